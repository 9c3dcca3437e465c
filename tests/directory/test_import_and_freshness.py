"""Freshness for self-listings, and the import's rules for repeated,
withdrawn and updated listings."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.freshness import listings_hide_stale, listings_remind
from directory.importing import HEADER
from directory.models import Listing
from linkup.moderation import Status, submission_approve, submission_withdraw

from .factories import ListingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def row(email="ada@example.nhs.test", **values):
    fields = {
        "full_name": "Ada Import",
        "job_title": "Probation officer",
        "organisation": "East Midlands Probation",
        "agency": "probation",
        "areas": "Derby",
        "client_groups": "care-leavers",
        "expertise": "Resettlement",
        "tags": "",
        "open_to": "case",
        "email": email,
        "phone": "",
        "show_contact": "no",
        **values,
    }
    return [fields[name] for name in HEADER]


def run_import(tmp_path, rows, *args):
    path = tmp_path / "listings.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_directory", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- freshness of self-listings ---------------------------------------------------


def test_an_approved_self_listing_counts_as_confirmed_and_is_reminded_in_time(client, moderator, run_jobs):
    listing = ListingFactory(status=Status.SUBMITTED, published_at=None, last_confirmed=None)
    submission_approve(submission=listing, moderator=moderator)
    listing.refresh_from_db()
    assert listing.last_confirmed and listing.last_confirmed >= timezone.now() - datetime.timedelta(minutes=1)
    html = client.get(listing.get_absolute_url()).content.decode()
    assert "Not yet confirmed" not in html
    later = timezone.now() + datetime.timedelta(days=400)
    assert listings_remind(days=365, now=later) == 1
    run_jobs()
    published, reminder = mail.outbox
    assert published.to == reminder.to == [listing.email]
    assert "/directory/confirm/" in reminder.body and "/directory/confirm/" not in published.body
    assert listings_hide_stale(days=548, now=later) == 0
    assert listings_hide_stale(days=548, now=later + datetime.timedelta(days=200)) == 1
    assert not Listing.objects.public().filter(pk=listing.pk).exists()


def test_a_later_approval_keeps_the_confirmed_date(moderator):
    confirmed = timezone.now() - datetime.timedelta(days=30)
    listing = ListingFactory(status=Status.SUBMITTED, published_at=None, last_confirmed=confirmed)
    submission_approve(submission=listing, moderator=moderator)
    listing.refresh_from_db()
    assert listing.last_confirmed == confirmed


def test_most_recently_confirmed_puts_never_confirmed_last(client, monkeypatch):
    monkeypatch.setattr("directory.views.hit", lambda *args, **kwargs: True)
    ListingFactory(full_name="Never Confirmed", last_confirmed=None)
    ListingFactory(full_name="Long Ago", last_confirmed=timezone.now() - datetime.timedelta(days=300))
    ListingFactory(full_name="Just Now")
    page = client.get(reverse("directory:search"), {"sort": "confirmed"}).context["page"]
    assert [listing.full_name for listing in page] == ["Just Now", "Long Ago", "Never Confirmed"]


# --- import ----------------------------------------------------------------------------


def test_import_reports_addresses_and_phones_the_directory_cannot_keep(tmp_path):
    long_address = "a" * 250 + "@example.nhs.test"
    out, err = run_import(
        tmp_path,
        [
            row(email=long_address),
            row(email="bo@example.nhs.test", phone="call 0115"),
            row(email="ok@x.test"),
        ],
    )
    assert "Row 2, email: " in err and "254 characters or fewer" in err
    assert "Row 3, phone: Enter a phone number, like 01632 960 001" in err
    assert "Imported 1 new" in out and "2 rows had errors" in out
    assert list(Listing.objects.values_list("email", flat=True)) == ["ok@x.test"]


def test_a_repeated_address_is_reported_and_the_first_row_imported(tmp_path):
    rows = [
        row(full_name="First"),
        row(email="other@x.test"),
        row(full_name="Second", email="ADA@example.nhs.test"),
    ]
    out, err = run_import(tmp_path, rows, "--dry-run")
    assert "Row 4, email: is the same as row 2's; only row 2 is imported" in err
    assert "2 of 3 rows are valid, 1 has errors" in out
    run_import(tmp_path, rows)
    assert Listing.objects.get(email="ada@example.nhs.test").full_name == "First"
    assert Listing.objects.count() == 2


def test_a_withdrawn_or_rejected_person_is_never_listed_again_by_import(tmp_path, moderator):
    withdrawn = ListingFactory(email="gone@example.nhs.test")
    submission_withdraw(submission=withdrawn, actor_label="Listed person")
    rejected = ListingFactory(email="no@example.nhs.test", status=Status.SUBMITTED, published_at=None)
    rejected.status = Status.REJECTED
    rejected.save()
    out, err = run_import(tmp_path, [row(email="gone@example.nhs.test"), row(email="No@example.nhs.test")])
    assert "Row 2, email: belongs to a listing that withdrew their listing" in err
    assert "Row 3, email: belongs to a listing that was rejected by a moderator" in err
    assert (
        "Imported 0 new listings and updated 0 existing listings;" in out
        and "2 rows were for listings that were withdrawn" in out
    )
    assert Listing.objects.count() == 2 and not Listing.objects.public().exists()


def test_a_person_who_listed_again_after_withdrawing_is_updated(tmp_path, moderator):
    old = ListingFactory(email="back@example.nhs.test")
    submission_withdraw(submission=old, actor_label="Listed person")
    new = ListingFactory(email="back@example.nhs.test", expertise="Old words")
    run_import(tmp_path, [row(email="back@example.nhs.test", expertise="New words")])
    assert Listing.objects.count() == 2
    new.refresh_from_db()
    assert new.expertise == "New words" and new.status == Status.PUBLISHED


def test_a_pending_import_sends_updates_back_through_moderation(tmp_path):
    listing = ListingFactory(email="ada@example.nhs.test", expertise="Before")
    out, _ = run_import(tmp_path, [row(expertise="After")], "--pending")
    assert "updated 1" in out
    listing.refresh_from_db()
    assert listing.status == Status.SUBMITTED and listing.expertise == "After"
    assert not Listing.objects.public().exists()
    assert [(e.from_status, e.to_status, e.note) for e in listing.history()] == [
        ("published", "submitted", "Updated by import.")
    ]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.CHANGES_REQUESTED])
@pytest.mark.parametrize("args", [(), ("--pending",)])
def test_an_import_leaves_a_listing_waiting_for_a_moderator_alone(tmp_path, status, args):
    listing = ListingFactory(
        email="ada@example.nhs.test",
        expertise="What they sent",
        status=status,
        published_at=None,
        last_confirmed=None,
    )
    out, err = run_import(
        tmp_path, [row(expertise="What the taskforce has"), row("bo@example.nhs.test")], *args
    )
    assert "Row 2, email: belongs to a listing waiting for a moderator's decision" in err
    assert "Imported 1 new listing and updated 0 existing listings;" in out
    listing.refresh_from_db()
    assert (listing.status, listing.expertise, len(listing.history())) == (status, "What they sent", 0)


def test_an_import_updates_a_listing_once_a_moderator_has_approved_it(tmp_path, moderator):
    listing = ListingFactory(email="ada@example.nhs.test", status=Status.SUBMITTED, published_at=None)
    submission_approve(submission=listing, moderator=moderator)
    run_import(tmp_path, [row(expertise="Updated")])
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED and listing.expertise == "Updated"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"open_to": ";"}, "Row 2, open_to: Select what you are open to"),
        ({"areas": " ; "}, "Row 2, areas: Select at least one area you cover"),
        ({"client_groups": ";;"}, "Row 2, client_groups: Select at least one client group"),
        (
            {"expertise": "Call me on 01632 960 001"},
            "Row 2, expertise: Remove the e-mail address or phone number from your expertise",
        ),
        (
            {"tags": "housing, ada@example.org"},
            "Row 2, tags: Remove the e-mail address or phone number from tags",
        ),
        ({"full_name": "Ada\nBcc: all@example.org"}, "Row 2, full_name: Full name must be on one line"),
        ({"job_title": "x" * 151}, "Row 2, job_title: Job title must be 150 characters or fewer"),
        ({"agency": ""}, "Row 2, agency: Select your agency or sector"),
    ],
)
def test_import_reports_rows_that_name_nothing_or_hold_contact_details(tmp_path, values, message):
    _, err = run_import(tmp_path, [row(**values), row("bo@example.nhs.test")], "--dry-run")
    assert message in err
    _, err = run_import(tmp_path, [row(**values), row("bo@example.nhs.test")])
    assert message in err
    assert list(Listing.objects.values_list("email", flat=True)) == ["bo@example.nhs.test"]


def test_import_of_a_file_that_is_not_utf8_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    path = tmp_path / "latin1.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\nZo\xeb,x\n")
    with pytest.raises(CommandError, match="not valid UTF-8 CSV"):
        call_command("import_directory", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    path.write_bytes(b"full_name\xff,job_title\n")
    with pytest.raises(CommandError, match="not valid UTF-8 CSV"):
        call_command("import_directory", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_the_reminder_says_when_the_listing_will_be_hidden(run_jobs):
    confirmed = timezone.make_aware(datetime.datetime(2025, 11, 1, 12, 0))
    ListingFactory(email="due@example.nhs.test", last_confirmed=confirmed)
    call_command(
        "directory_freshness", "--remind-after-days=300", "--hide-after-days=400", stdout=io.StringIO()
    )
    run_jobs()
    body = mail.outbox[0].body
    assert "since 1 November 2025" in body
    assert "will stop appearing in the directory on 6 December 2026" in body


@pytest.mark.parametrize("option", ["--remind-after-days=0", "--hide-after-days=0", "--hide-after-days=-5"])
def test_freshness_refuses_days_that_are_not_positive(option):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="more than 0"):
        call_command("directory_freshness", option, stdout=io.StringIO())


def test_freshness_refuses_to_hide_before_it_reminds():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="hidden \\(500 days\\) before anyone is reminded \\(600 days\\)"):
        call_command(
            "directory_freshness", "--remind-after-days=600", "--hide-after-days=500", stdout=io.StringIO()
        )


def test_the_reminder_link_still_works_after_the_listing_is_hidden(client, settings, run_jobs):
    hide_after_days = settings.DIRECTORY_HIDE_AFTER_DAYS
    remind_after_days = settings.DIRECTORY_REMIND_AFTER_DAYS
    assert (hide_after_days - remind_after_days) * 86400 < settings.DIRECTORY_CONFIRM_LINK_MAX_AGE
    listing = ListingFactory(last_confirmed=timezone.now() - datetime.timedelta(days=400))
    call_command("directory_freshness", stdout=io.StringIO())
    run_jobs()
    link = next(word for word in mail.outbox[0].body.split() if "/directory/confirm/" in word)
    path = link[link.index("/directory/") :]
    later = timezone.now() + datetime.timedelta(days=(hide_after_days - 400) + 30)
    Listing.objects.filter(pk=listing.pk).update(stale_hidden_at=later)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        client.post(path)
    listing.refresh_from_db()
    assert listing.stale_hidden_at is None and listing.last_confirmed > timezone.now() - datetime.timedelta(
        days=1
    )


def test_an_edit_brings_a_listing_hidden_as_stale_back_once_approved(moderator):
    from directory.services import listing_update_by_owner
    from linkup.models import ClientGroup, LocalAuthority

    listing = ListingFactory(
        last_confirmed=timezone.now() - datetime.timedelta(days=600), stale_hidden_at=timezone.now()
    )
    assert not Listing.objects.public().exists()
    listing_update_by_owner(
        listing=listing,
        data={
            "expertise": "Still here",
            "areas": [LocalAuthority.objects.get(slug="derby")],
            "client_groups": [ClientGroup.objects.get(slug="care-leavers")],
        },
    )
    listing.refresh_from_db()
    assert listing.stale_hidden_at is None and listing.status == Status.SUBMITTED
    submission_approve(submission=listing, moderator=moderator)
    assert Listing.objects.public().get() == listing


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "call me"),
        ("expertise", "Ring 01632 960 001"),
        ("full_name", "x" * 121),
        ("email", "not-an-email"),
        ("organisation", "Split\r\nline"),
        ("job_title", ""),
    ],
)
def test_import_refuses_a_row_the_form_refuses_with_the_same_message(tmp_path, field, value):
    from directory.forms import ListingForm
    from tests.directory.test_flows import add_data

    form = ListingForm(data=add_data(**{field: value}))
    assert not form.is_valid()
    (message,) = form.errors[field]
    _, err = run_import(tmp_path, [row(**{field: value})])
    assert f"Row 2, {field}: {message}" in err
    assert not Listing.objects.exists()


def test_import_records_history_through_the_moderation_service_and_one_audit_event(tmp_path):
    from linkup.audit import AuditEvent

    ListingFactory(email="bo@example.nhs.test")
    run_import(
        tmp_path, [row(), row("bo@example.nhs.test", expertise="New"), row("bad", phone="x")], "--pending"
    )
    ada = Listing.objects.get(email="ada@example.nhs.test")
    bo = Listing.objects.get(email="bo@example.nhs.test")
    assert [(e.from_status, e.to_status, e.actor_label) for e in ada.history()] == [
        ("", "submitted", "Import")
    ]
    assert [(e.from_status, e.to_status, e.note) for e in bo.history()] == [
        ("published", "submitted", "Updated by import.")
    ]
    (audit,) = AuditEvent.objects.filter(kind=AuditEvent.Kind.DIRECTORY_IMPORT)
    assert audit.detail == "listings: 1 new, 1 updated; rows: 1 refused, 0 skipped"
    assert "ada@" not in audit.detail


def test_a_dry_run_records_no_audit_event(tmp_path):
    from linkup.audit import AuditEvent

    run_import(tmp_path, [row()], "--dry-run")
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DIRECTORY_IMPORT).exists()


# --- the area names copied into places --------------------------------------------


def test_places_follow_the_areas_from_either_side_in_the_authorities_order():
    from linkup.models import LocalAuthority

    nottingham = LocalAuthority.objects.get(slug="nottingham")
    derby = LocalAuthority.objects.get(slug="derby")
    LocalAuthority.objects.filter(pk=derby.pk).update(position=nottingham.position + 1)
    listing = ListingFactory(areas=[derby, nottingham])
    listing.refresh_from_db()
    assert listing.places == "Nottingham, Derby"
    derby.listings.remove(listing)
    listing.refresh_from_db()
    assert listing.places == "Nottingham"
    listing.areas.clear()
    listing.refresh_from_db()
    assert listing.places == ""


def test_a_new_area_is_searchable_at_once(client):
    from linkup.models import LocalAuthority

    listing = ListingFactory(full_name="Ada Places", expertise="Resettlement")
    assert not Listing.objects.public().search("Rutland").count()
    listing.areas.add(LocalAuthority.objects.get(slug="rutland"))
    assert [found.pk for found in Listing.objects.public().search("Rutland")] == [listing.pk]


def test_an_import_writes_the_same_places_as_an_edit_and_a_reimport_moves_them(tmp_path):
    from directory.services import listing_refresh_places

    run_import(tmp_path, [row(areas="Nottingham;Derby;Rutland")])
    listing = Listing.objects.get()
    imported = listing.places
    listing_refresh_places(listing_ids=[listing.pk])
    listing.refresh_from_db()
    assert imported == listing.places == "Derby, Nottingham, Rutland"
    run_import(tmp_path, [row(areas="Leicester")])
    listing.refresh_from_db()
    assert listing.places == "Leicester"
    assert [found.pk for found in Listing.objects.public().search("Leicester")] == [listing.pk]
    assert not Listing.objects.public().search("Rutland").count()


def test_forged_highlight_markers_in_an_imported_row_mark_nothing(tmp_path, client):
    from linkup.search import MARK_START, MARK_STOP

    run_import(
        tmp_path,
        [
            row(
                full_name=f"Ada {MARK_START}Forged{MARK_STOP}",
                expertise=f"{MARK_START}Forged{MARK_STOP} tenancy help",
            )
        ],
    )
    body = client.get(reverse("directory:search"), {"q": "tenancy"}).content.decode()
    assert "Ada" in body and "tenancy</mark>" in body
    assert "Forged</mark>" not in body and MARK_START not in body and MARK_STOP not in body


def test_the_import_speaks_of_one_row_and_one_listing_in_the_singular(tmp_path, moderator):
    withdrawn = ListingFactory(email="gone@example.nhs.test")
    submission_withdraw(submission=withdrawn, actor_label="Listed person")
    rows = [row(), row(email="not an address"), row(email="gone@example.nhs.test")]
    out, _ = run_import(tmp_path, rows, "--dry-run")
    assert "Dry run: 2 of 3 rows are valid, 1 has errors." in out
    out, _ = run_import(tmp_path, rows)
    assert "Imported 1 new listing and updated 0 existing listings; 1 row had errors and was skipped." in out
    assert "1 row was for listings that were withdrawn" in out and "and was skipped." in out


def test_freshness_speaks_of_one_reminder_and_one_listing_in_the_singular():
    ListingFactory(last_confirmed=timezone.now() - datetime.timedelta(days=2, hours=1))
    ListingFactory(last_confirmed=timezone.now() - datetime.timedelta(days=5))
    out = io.StringIO()
    call_command("directory_freshness", "--remind-after-days=1", "--hide-after-days=3", stdout=out)
    assert "Sent 1 reminder; hid 1 listing not confirmed for 3 days." in out.getvalue()
