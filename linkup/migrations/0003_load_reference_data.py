"""The campaign's reference data as it was when the site opened: regions,
outcomes, client groups and their indicators, agencies and the East
Midlands authorities. It is frozen in data/0003_reference_data.json so that
this migration always does the same thing, whatever the code says later."""

import json
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data" / "0003_reference_data.json"


def load(apps, schema_editor):
    """Create the records that are missing; descriptions staff edited stay."""
    Region = apps.get_model("linkup", "Region")
    Outcome = apps.get_model("linkup", "Outcome")
    ClientGroup = apps.get_model("linkup", "ClientGroup")
    NationalIndicator = apps.get_model("linkup", "NationalIndicator")
    Agency = apps.get_model("linkup", "Agency")
    LocalAuthority = apps.get_model("linkup", "LocalAuthority")
    data = json.loads(DATA.read_text(encoding="utf-8"))

    def upsert(model, position, name, **extra):
        record, _ = model.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "position": position, **extra}
        )
        return record

    regions = {
        item["name"]: upsert(Region, position, **item) for position, item in enumerate(data["regions"], 1)
    }
    outcomes = {
        item["name"]: upsert(Outcome, position, **item) for position, item in enumerate(data["outcomes"], 1)
    }
    for position, item in enumerate(data["client_groups"], start=1):
        indicators = item.pop("indicators")
        group = upsert(ClientGroup, position, **item)
        for indicator_data in indicators:
            indicator, _ = NationalIndicator.objects.get_or_create(
                code=indicator_data["code"],
                defaults={
                    "client_group": group,
                    "title": indicator_data["title"],
                    "plain_english": indicator_data["plain_english"],
                },
            )
            indicator.outcomes.add(*(outcomes[name] for name in indicator_data["outcomes"]))
    for position, name in enumerate(data["agencies"], start=1):
        upsert(Agency, position, name)
    authorities = {
        item["name"]: upsert(LocalAuthority, position, item["name"], region=regions["East Midlands"])
        for position, item in enumerate(data["east_midlands_authorities"], start=1)
    }
    for item in data["east_midlands_authorities"]:
        authorities[item["name"]].neighbours.add(*(authorities[name] for name in item["neighbours"]))


class Migration(migrations.Migration):
    dependencies = [("linkup", "0002_reference_models")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
