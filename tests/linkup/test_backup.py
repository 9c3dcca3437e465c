"""backup_db and restore_db round-trip a seeded database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command

from linkup.models import Agency, Region

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_backup_and_restore_round_trip(tmp_path):
    Agency.objects.create(name="Round-trip test agency", slug="round-trip-test-agency", position=99)
    get_user_model().objects.create_user(username="kept", password="a-long-enough-password")
    regions = list(Region.objects.values_list("name", "description"))
    dump = tmp_path / "linkup.dump"

    call_command("backup_db", output=dump)
    assert dump.stat().st_size > 1000

    Agency.objects.filter(slug="round-trip-test-agency").delete()
    get_user_model().objects.filter(username="kept").delete()
    Region.objects.update(description="changed after the backup")
    cache.set("page:after-the-backup", "a page of the changed database")

    call_command("restore_db", str(dump), yes=True)

    assert cache.get("page:after-the-backup") is None  # nothing cached outlives a restore

    assert Agency.objects.filter(slug="round-trip-test-agency").exists()
    assert get_user_model().objects.get(username="kept").check_password("a-long-enough-password")
    assert list(Region.objects.values_list("name", "description")) == regions


def test_restore_refuses_a_missing_file(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No such file"):
        call_command("restore_db", str(tmp_path / "missing.dump"), yes=True)
