"""The reference-data migration loads its own frozen copy, never the code of
the day, so an old migration does what it did when it was written."""

import json
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from linkup import reference_data
from linkup.models import Agency, LocalAuthority, NationalIndicator, Region

pytestmark = pytest.mark.django_db

MIGRATION = import_module("linkup.migrations.0003_load_reference_data")


def test_the_migration_restores_its_frozen_records_whatever_the_live_module_says(monkeypatch):
    monkeypatch.setattr(reference_data, "AGENCIES", ["Pirates"])
    monkeypatch.setattr(reference_data, "REGIONS", [("Atlantis", "Under the sea.")])
    monkeypatch.setattr(reference_data, "load", lambda apps: pytest.fail("live reference data"))
    Agency.objects.filter(name="Police").delete()
    NationalIndicator.objects.filter(code="NI 150").delete()
    LocalAuthority.objects.get(name="Rutland").neighbours.clear()

    historical = MigrationLoader(connection).project_state(("linkup", "0003_load_reference_data")).apps
    MIGRATION.load(historical, None)

    frozen = json.loads(MIGRATION.DATA.read_text(encoding="utf-8"))
    assert list(Region.objects.ordered().values_list("name", flat=True)) == [
        r["name"] for r in frozen["regions"]
    ]
    assert list(Agency.objects.order_by("position").values_list("name", flat=True)) == frozen["agencies"]
    assert NationalIndicator.objects.get(code="NI 150").outcomes.get().name == "Employment"
    rutland = next(a for a in frozen["east_midlands_authorities"] if a["name"] == "Rutland")
    neighbours = LocalAuthority.objects.get(name="Rutland").neighbours.values_list("name", flat=True)
    assert set(neighbours) == set(rutland["neighbours"])
