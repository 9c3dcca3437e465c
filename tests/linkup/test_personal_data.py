"""Requests from a person: find everything held about an e-mail address,
export it, erase it, from admin and from the command line."""

import io
import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from alerts.models import Delivery, Subscription
from casestudies.models import CaseStudy
from directory.models import ContactRequest, Listing, searchword_refresh
from feedback.models import Feedback, Problem
from linkup.audit import AuditEvent
from linkup.models import QueuedEmail, SearchWord
from linkup.moderation import ModerationEvent, Status, moderation_record_submission
from linkup.notifications import email_prepare, emails_queue
from linkup.personal_data import normalise_email, personal_data_erase, personal_data_find
from linkup.retention import REMOVED
from tests.alerts.factories import SubscriptionFactory
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory
from tests.directory.factories import ContactRequestFactory, ListingFactory
from tests.hostile import DANGEROUS_MARKUP, HOSTILE, MALFORMED_UTF8

pytestmark = pytest.mark.django_db

CONFIRM_TOKEN = "confirm-token-Zq81.signed"


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("Jane.Doe+cases@GoogleMail.com", "janedoe@gmail.com"),
        ("j.a.n.e.doe@gmail.com", "janedoe@gmail.com"),
        ("Sam+portal@Outlook.com", "sam@outlook.com"),
        # Work addresses: only case is ignored.
        ("Jo.Bloggs+team@Derby.gov.uk", "jo.bloggs+team@derby.gov.uk"),
        ("  kim@example.nhs.test ", "kim@example.nhs.test"),
    ],
)
def test_addresses_are_normalised_as_their_domain_treats_them(typed, normalised):
    assert normalise_email(typed) == normalised


@pytest.fixture
def person(django_user_model):
    """Everything one person, who writes their Gmail address in different ways, left behind."""
    published = CaseStudyFactory(
        submitter_email="Jane.Doe@gmail.com", submitter_name="Jane Doe", show_contact=True
    )
    unpublished = UnpublishedCaseStudyFactory(
        status=Status.REJECTED, submitter_email="jane.doe+cases@googlemail.com", submitter_name="Jane Doe"
    )
    moderation_record_submission(obj=unpublished, note="Jane Doe rang from jane.doe@gmail.com")
    listing = ListingFactory(email="JANEDOE@gmail.com", full_name="Jane Doe")
    received = ContactRequestFactory(
        listing=listing,
        sender_email="other@example.gov.test",
        reported_at=timezone.now(),
        report_reason="spam",
        report_details="An advert, again",
    )
    sent = ContactRequestFactory(sender_email="janedoe+dir@gmail.com", sender_name="Jane Doe")
    audit = AuditEvent.objects.create(kind="sign_in_failed", username="jane.doe@gmail.com")
    alert = SubscriptionFactory(email="jane.doe+alerts@gmail.com")
    Delivery.objects.create(subscription=alert, case_study=published)
    report = Feedback.objects.create(
        path="/toolkit/",
        problem=Problem.WRONG,
        details="Jane Doe thinks a date is wrong",
        email="Jane.Doe+pages@gmail.com",
    )
    # Someone else's report on her listing goes with the listing.
    Feedback.objects.create(path=listing.get_absolute_url(), listing=listing, problem=Problem.OUT_OF_DATE)
    # Two e-mails waiting in the queue: one to her, with a signed link, and
    # one to someone else that she sent (her address is its Reply-To).
    to_her = email_prepare(
        template="alerts/email/confirm.txt",
        to="Jane.Doe+alerts@gmail.com",
        context={"topic": alert.topic, "frequency": "Weekly", "days": 7, "confirm_url": CONFIRM_TOKEN},
        log_as=f"alert sign-up {alert.pk}",
        headers={"List-Unsubscribe": f"<https://linkup.test/alerts/{CONFIRM_TOKEN}/>"},
    )
    from_her = email_prepare(
        template="directory/email/contact_request.txt",
        to="other.person@example.gov.test",
        reply_to=["janedoe+dir@gmail.com"],
        context={"request": sent, "listing": sent.listing},
        log_as=f"contact request {sent.pk}",
    )
    emails_queue([to_her, from_her])
    # She mistook admin's sign-in for the portal's; a moderator changed her listing in admin.
    AccessFailureLog.objects.create(username="jane.doe@gmail.com", ip_address="192.0.2.9")
    AccessAttempt.objects.create(
        username="jane.doe@gmail.com",
        ip_address="192.0.2.9",
        failures_since_start=1,
        post_data="username=jane.doe@gmail.com",
    )
    moderator = django_user_model.objects.create_user("mod", "mod@linkup.test", "x" * 16, is_staff=True)
    LogEntry.objects.log_actions(moderator.pk, [listing], CHANGE, change_message="Changed phone.")
    # A case study form she has started and not sent.
    session = SessionStore()
    session["casestudy_submission"] = {
        "answers": {"about_you": {"name": ["Jane Doe"], "email": ["Jane.Doe@GMail.com"]}},
        "prefill": {},
    }
    session.create()
    return {
        "alert": alert,
        "published": published,
        "unpublished": unpublished,
        "listing": listing,
        "received": received,
        "sent": sent,
        "audit": audit,
        "report": report,
    }


@pytest.fixture
def someone_else():
    """A work address that differs only by a +tag: another mailbox, never matched."""
    CaseStudyFactory(submitter_email="jo.bloggs+team@derby.gov.uk")
    return ListingFactory(email="jo.bloggs@derby.gov.uk")


def test_search_finds_every_record_holding_the_address(person, someone_else):
    found = personal_data_find(email="janedoe@gmail.com")
    assert {c.pk for c in found.case_studies} == {person["published"].pk, person["unpublished"].pk}
    assert [listing.pk for listing in found.listings] == [person["listing"].pk]
    assert [m.pk for m in found.messages_received] == [person["received"].pk]
    assert [m.pk for m in found.messages_sent] == [person["sent"].pk]
    assert [e.pk for e in found.audit_events] == [person["audit"].pk]
    assert len(found.moderation_events) == 1
    assert [a.pk for a in found.alerts] == [person["alert"].pk]
    assert [r.pk for r in found.reports] == [person["report"].pk]
    assert sorted(e.to for e in found.emails) == [
        "Jane.Doe+alerts@gmail.com",
        "other.person@example.gov.test",
    ]
    assert sorted(type(r).__name__ for r in found.sign_ins) == ["AccessAttempt", "AccessFailureLog"]
    assert len(found.sessions) == 1
    assert found.total == 14


def test_a_plus_tag_on_a_work_address_is_another_person(someone_else):
    assert personal_data_find(email="jo.bloggs@derby.gov.uk").total == 1
    assert personal_data_find(email="Jo.Bloggs+team@derby.gov.uk").total == 1


def test_mentions_in_free_text_match_the_whole_address_in_any_of_its_forms():
    found_in = [
        moderation_record_submission(obj=ListingFactory(), note=note)
        for note in ("Ask J.aneDoe+x@GoogleMail.com.", "(janedoe@gmail.com)", "janedoe@gmail.com")
    ]
    for note in ("xjanedoe@gmail.com", "janedoe@gmail.community", "jane@gmail.com", "janedoe@example.com"):
        moderation_record_submission(obj=ListingFactory(), note=note)
    found = personal_data_find(email="janedoe@gmail.com")
    assert sorted(e.pk for e in found.moderation_events) == sorted(e.pk for e in found_in)


def test_export_as_json_and_a_readable_summary(person):
    found = personal_data_find(email="janedoe@gmail.com")
    exported = json.loads(found.as_json())
    assert exported["email_address"] == "janedoe@gmail.com"
    assert {row["reference"] for row in exported["case_studies"]} == {
        person["published"].reference,
        person["unpublished"].reference,
    }
    assert exported["listings"][0]["email_address"] == "JANEDOE@gmail.com"
    assert exported["messages_sent"][0]["message"] == person["sent"].message
    # Their own report of a message sent to them is theirs too.
    (received,) = exported["messages_received"]
    assert received["you_reported_it"]["details"] == "An advert, again"
    assert "you_reported_it" not in exported["messages_sent"][0]
    assert exported["email_alerts"][0]["case_studies_sent"] == 1
    assert exported["email_alerts"][0]["email_address"] == "jane.doe+alerts@gmail.com"
    summary = found.as_text()
    assert "Directory listings: 1" in summary and "Jane Doe" in summary


def test_export_lists_emails_not_yet_sent_without_their_links_or_others_addresses(person):
    found = personal_data_find(email="janedoe@gmail.com")
    exported = found.as_json()
    emails = {row["about"]: row for row in json.loads(exported)["emails_not_yet_sent"]}
    to_her = emails[f"alert sign-up {person['alert'].pk}"]
    assert to_her["email_address"] == "Jane.Doe+alerts@gmail.com"
    assert to_her["subject"] == "Confirm your e-mail alert from Link Up, Link In"
    assert to_her["state"] == "waiting to be sent"
    from_her = emails[f"contact request {person['sent'].pk}"]
    assert from_her["email_address"] == "" and from_her["subject"].startswith("Request to connect from")
    # The signed link (in the body and a header) would act for her: never exported.
    assert CONFIRM_TOKEN in QueuedEmail.objects.get(to="Jane.Doe+alerts@gmail.com").body
    for text in (exported, found.as_text()):
        assert CONFIRM_TOKEN not in text and "other.person@" not in text
    assert "2 e-mails not yet sent" in dict(found.erasure_plan())


def test_an_erased_persons_emails_are_not_sent(person, run_jobs, mailoutbox):
    personal_data_erase(email="janedoe@gmail.com")
    jobs = run_jobs()
    assert len(jobs) == 2 and {job.status for job in jobs} == {"succeeded"}
    assert mailoutbox == []


def searchable_columns() -> list[tuple[str, str]]:
    """Every column of every table in the database that can hold text (text,
    character, JSON, arrays of text, search vectors), read from the schema
    itself, so a table added later is searched without anyone listing it."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name
            FROM information_schema.columns c
            JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
                   OR c.udt_name IN ('_text', '_varchar', 'tsvector'))
            ORDER BY 1, 2
            """
        )
        return cursor.fetchall()


def text_columns_holding(fragment: str) -> list[str]:
    """Every text column of every table that holds ``fragment`` (ignoring
    case), as "table.column"; sessions are decoded first (their data is
    signed and encoded, so the raw column never shows it)."""
    holding = []
    with connection.cursor() as cursor:
        for table, column in searchable_columns():
            table_sql, column_sql = connection.ops.quote_name(table), connection.ops.quote_name(column)
            cursor.execute(
                f"SELECT 1 FROM {table_sql} WHERE {column_sql}::text ILIKE %s LIMIT 1",  # noqa: S608
                [f"%{fragment}%"],
            )
            if cursor.fetchone():
                holding.append(f"{table}.{column}")
    for session in Session.objects.all():
        if fragment.lower() in json.dumps(session.get_decoded()).lower():
            holding.append(f"{Session._meta.db_table}.{session.session_key} (decoded)")
    return holding


def test_after_erasure_no_table_holds_the_address(person, someone_else):
    variants = ["jane.doe", "janedoe", "Jane Doe"]
    searched = {table for table, _ in searchable_columns()}
    # Every app's tables are searched, not the project's alone.
    for table in [
        "linkup_queuedemail",
        "linkup_auditevent",
        "linkup_moderationrevision",
        "linkup_moderationnote",
        "feedback_feedback",
        "alerts_subscription",
        "procrastinate_jobs",
        "django_session",
        "django_admin_log",
        "axes_accessattempt",
        "axes_accessfailurelog",
        "auth_user",
    ]:
        assert table in searched, table
    # The check can fail, in the tables beyond the project's models too.
    before = text_columns_holding("jane")
    for column in [
        "linkup_queuedemail.to",
        "linkup_queuedemail.reply_to",
        "django_admin_log.object_repr",
        "axes_accessattempt.post_data",
        "axes_accessfailurelog.username",
    ]:
        assert column in before, column
    assert any(column.startswith("django_session.") for column in before)

    total = personal_data_erase(email="Jane.Doe@gmail.com", actor_label="Data protection officer")

    assert total == 14
    assert not Subscription.objects.exists() and not Delivery.objects.exists()
    for fragment in variants:
        assert text_columns_holding(fragment) == [], fragment
    # What must stay, stays: the published case study, the decisions, the
    # record of a message sent, and the other person's data.
    published = CaseStudy.objects.get(pk=person["published"].pk)
    assert published.status == Status.PUBLISHED and not published.show_contact
    assert published.title == person["published"].title
    assert not Listing.objects.filter(pk=person["listing"].pk).exists()
    sent = ContactRequest.objects.get(pk=person["sent"].pk)
    assert sent.listing_id == person["sent"].listing_id and sent.created_at
    assert ModerationEvent.objects.filter(object_id=person["unpublished"].pk).exists()
    assert AuditEvent.objects.filter(pk=person["audit"].pk).exists()
    report = Feedback.objects.get(pk=person["report"].pk)
    assert (report.problem, report.path, report.email, report.details) == (
        Problem.WRONG,
        "/toolkit/",
        "",
        REMOVED,
    )
    assert not Feedback.objects.filter(listing_id=person["listing"].pk).exists()
    assert personal_data_find(email="jo.bloggs@derby.gov.uk").total == 1
    erased = AuditEvent.objects.get(kind=AuditEvent.Kind.PERSONAL_DATA_ERASED)
    assert erased.detail == "14 records erased or anonymised"
    assert erased.username == "Data protection officer"
    # The e-mails' jobs stay in the queue, holding nothing but an e-mail's id.
    assert ProcrastinateJob.objects.filter(task_name="email_deliver").count() == 2
    assert not QueuedEmail.objects.exists()


def test_erasing_a_listing_takes_its_name_out_of_the_typo_vocabulary():
    ListingFactory(email="zq@example.nhs.test", full_name="Zebedee Quartermaine")
    ListingFactory(full_name="Alex Other")
    searchword_refresh()
    assert SearchWord.objects.filter(word="quartermaine").exists()
    personal_data_erase(email="zq@example.nhs.test")
    assert not SearchWord.objects.filter(word__in=["zebedee", "quartermaine"]).exists()
    assert SearchWord.objects.filter(word="alex").exists()


def test_a_message_that_only_mentions_the_address_keeps_its_sender():
    mention = ContactRequestFactory(message="Please also copy in kim@example.nhs.test")
    personal_data_erase(email="kim@example.nhs.test")
    mention.refresh_from_db()
    assert mention.message == REMOVED
    assert mention.sender_name == "Sam Sender"


# --- Admin -----------------------------------------------------------------------


@pytest.fixture
def data_protection_client(otp_client, django_user_model):
    officer = django_user_model.objects.create_user("officer", "officer@linkup.test", "x" * 16, is_staff=True)
    officer.user_permissions.add(Permission.objects.get(codename="handle_personal_data"))
    return otp_client(officer)


def test_only_superusers_and_data_protection_staff_reach_the_tools(staff_client, data_protection_client):
    find = reverse("admin:linkup_personaldatarequest_find")
    assert staff_client.get(find).status_code == 403
    assert "Find a person's data" not in staff_client.get(reverse("admin:index")).content.decode()
    assert data_protection_client.get(find).status_code == 200
    index = data_protection_client.get(reverse("admin:index")).content.decode()
    assert find in index


def test_superusers_see_the_link_on_the_admin_home(otp_client, django_user_model):
    client = otp_client(django_user_model.objects.create_superuser("boss", "boss@linkup.test", "x" * 16))
    assert (
        reverse("admin:linkup_personaldatarequest_find")
        in client.get(reverse("admin:index")).content.decode()
    )


def test_admin_search_lists_the_records(data_protection_client, person):
    response = data_protection_client.post(
        reverse("admin:linkup_personaldatarequest_find"), {"email": "jane.doe@gmail.com"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "14 records hold this address" in html
    assert "E-mail alerts" in html
    assert "Problems they reported with a page" in html
    assert person["listing"].reference in html and person["unpublished"].reference in html


def test_admin_search_with_a_bad_address_says_what_to_do(data_protection_client):
    response = data_protection_client.post(
        reverse("admin:linkup_personaldatarequest_find"), {"email": "jane.doe"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter an e-mail address in the correct format, like name@example.com" in html
    assert 'value="jane.doe"' in html


@pytest.mark.parametrize("typed", [*HOSTILE.values(), MALFORMED_UTF8])
def test_admin_search_refuses_hostile_input_with_the_error_summary(data_protection_client, typed):
    response = data_protection_client.post(reverse("admin:linkup_personaldatarequest_find"), {"email": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    for markup in DANGEROUS_MARKUP:
        assert markup not in html


# Valid addresses whose characters mean something to a regular expression or to SQL.
AWKWARD_ADDRESSES = ["a.*+{2}@gmail.com", "x'||'y@example.test", "a|b?$^@example.test", "%_%@example.test"]


@pytest.mark.parametrize("typed", AWKWARD_ADDRESSES)
def test_awkward_but_valid_addresses_match_only_themselves(person, typed):
    # A moderation note with the address in it, and one that would match a wildcard.
    listing = ListingFactory()
    moderation_record_submission(obj=listing, note=f"From {typed}")
    moderation_record_submission(obj=listing, note="From ab@example.test and aaa@gmail.com")
    found = personal_data_find(email=typed)
    assert [e.note for e in found.moderation_events] == [f"From {typed}"]
    assert found.total == 1


def test_admin_export_downloads_json_or_a_summary_and_is_recorded(data_protection_client, person):
    url = reverse("admin:linkup_personaldatarequest_export")
    response = data_protection_client.post(url, {"email": "janedoe@gmail.com", "format": "json"})
    assert response["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    assert json.loads(response.content)["listings"][0]["reference"] == person["listing"].reference
    summary = data_protection_client.post(url, {"email": "janedoe@gmail.com", "format": "text"})
    assert summary["Content-Type"].startswith("text/plain") and b"Directory listings: 1" in summary.content
    exports = AuditEvent.objects.filter(kind=AuditEvent.Kind.PERSONAL_DATA_EXPORTED)
    assert exports.count() == 2
    assert all("jane" not in f"{e.username} {e.detail}".lower() for e in exports)
    assert data_protection_client.get(url).status_code == 405


def test_admin_erase_explains_first_then_erases_on_confirmation(data_protection_client, person):
    url = reverse("admin:linkup_personaldatarequest_erase")
    assert data_protection_client.get(url).status_code == 405

    response = data_protection_client.post(url, {"email": "janedoe@gmail.com"})
    html = response.content.decode()
    assert "1 published case study" in html and "stays published" in html
    assert "1 directory listing" in html
    assert "1 problem they reported" in html
    assert Listing.objects.filter(pk=person["listing"].pk).exists()  # nothing erased yet

    response = data_protection_client.post(url, {"email": "janedoe@gmail.com", "confirm": "yes"})
    assert response.status_code == 302
    assert not Listing.objects.filter(pk=person["listing"].pk).exists()
    assert CaseStudy.objects.get(pk=person["published"].pk).submitter_email == ""
    erased = AuditEvent.objects.get(kind=AuditEvent.Kind.PERSONAL_DATA_ERASED)
    assert erased.username == "officer" and "jane" not in erased.detail.lower()
    listed = data_protection_client.get(reverse("admin:linkup_personaldatarequest_changelist"))
    assert "14 records erased or anonymised" in listed.content.decode()


def test_admin_applies_the_retention_schedule_now_on_the_job_queue(
    data_protection_client, staff_client, run_jobs
):
    url = reverse("admin:linkup_personaldatarequest_retention")
    assert data_protection_client.get(url).status_code == 405
    assert staff_client.post(url).status_code == 403
    changelist = reverse("admin:linkup_personaldatarequest_changelist")
    assert url in data_protection_client.get(changelist).content.decode()

    response = data_protection_client.post(url, follow=True)
    assert "will be applied in a moment" in response.content.decode()
    again = data_protection_client.post(url, follow=True)
    assert "already waiting" in again.content.decode()
    (job,) = ProcrastinateJob.objects.filter(task_name="apply_retention")
    assert job.queue_name == "scheduled"

    (done,) = run_jobs(queues=("scheduled",))
    assert done.status == "succeeded"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.RETENTION_APPLIED).exists()


# --- Command line --------------------------------------------------------------------


def test_command_search_export_and_erase(person, tmp_path, monkeypatch):
    out = io.StringIO()
    call_command("personal_data", "search", "JaneDoe@gmail.com", stdout=out)
    assert "Directory listings: 1" in out.getvalue()

    target = tmp_path / "export.json"
    call_command(
        "personal_data", "export", "janedoe@gmail.com", "--output", str(target), stdout=io.StringIO()
    )
    assert json.loads(target.read_text())["email_address"] == "janedoe@gmail.com"

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was erased"):
        call_command("personal_data", "erase", "janedoe@gmail.com", stdout=io.StringIO())
    assert Listing.objects.filter(pk=person["listing"].pk).exists()

    out = io.StringIO()
    call_command("personal_data", "erase", "janedoe@gmail.com", "--yes", stdout=out)
    assert "14 records erased or anonymised" in out.getvalue()
    assert personal_data_find(email="janedoe@gmail.com").total == 0


def test_command_refuses_a_fragment_of_an_address():
    with pytest.raises(CommandError, match="correct format"):
        call_command("personal_data", "search", "jane")
