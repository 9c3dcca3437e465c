"""Problem reports in admin get the moderators' own tools: claims and take
over, internal notes in a timeline, a locked decision, and each record's
change page listing the reports against it."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, FeedbackStatus, Problem
from feedback.services import feedback_decide
from linkup.moderation import (
    ClaimedError,
    ModerationClaim,
    ModerationNote,
    TransitionNotAllowedError,
    moderation_claim,
    moderation_note_add,
)
from tests.casestudies.factories import CaseStudyFactory
from tests.directory.factories import ListingFactory
from tests.hostile import DANGEROUS_MARKUP, HOSTILE

pytestmark = pytest.mark.django_db
NOTE_TEXT = "Internal: rang the listed person, the old number belongs to their team"
QUEUE = reverse("admin:feedback_feedback_changelist")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def report_url(report, view):
    return reverse(f"admin:feedback_feedback_{view}", args=[report.pk])


@pytest.fixture
def colleague(django_user_model):
    user = django_user_model.objects.create_user(
        "colleague", "colleague@linkup.test", "x" * 16, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def listing():
    return ListingFactory(email="listed@example.gov.test")


def report_on(record, **fields):
    key = "listing" if record._meta.model_name == "listing" else "case_study"
    fields.setdefault("problem", Problem.WRONG)
    return Feedback.objects.create(path=record.get_absolute_url(), **{key: record}, **fields)


# --- Claims -------------------------------------------------------------------------------------


def test_a_claim_shows_in_the_queue_and_on_the_report(staff_client, otp_client, colleague, listing):
    report = report_on(listing)
    other = report_on(listing, problem=Problem.OUT_OF_DATE)
    staff_client.post(report_url(report, "claim"), {"claim": "claim"})
    assert ModerationClaim.objects.get().user.username == "moderator"
    client = otp_client(colleague)
    queue = client.get(QUEUE).content.decode()
    assert "moderator <span>since" in queue
    page = client.get(change_url(report)).content.decode()
    assert "<strong>moderator</strong> is reviewing this" in page
    assert "Take over from moderator" in page
    assert list(client.get(QUEUE, {"claim": "others"}).context["cl"].result_list) == [report]
    assert list(client.get(QUEUE, {"claim": "nobody"}).context["cl"].result_list) == [other]
    assert list(client.get(QUEUE, {"claim": "mine"}).context["cl"].result_list) == []


def test_taking_over_and_letting_go(staff_client, otp_client, colleague, listing):
    report = report_on(listing)
    staff_client.post(report_url(report, "claim"), {"claim": "claim"})
    client = otp_client(colleague)
    client.post(report_url(report, "claim"), {"claim": "claim"})  # not without taking over
    assert ModerationClaim.objects.get().user.username == "moderator"
    client.post(report_url(report, "claim"), {"claim": "take_over"})
    assert ModerationClaim.objects.get().user == colleague
    staff_client.post(report_url(report, "claim"), {"claim": "release"})  # not theirs to let go
    assert ModerationClaim.objects.get().user == colleague
    client.post(report_url(report, "claim"), {"claim": "release"})
    assert not ModerationClaim.objects.exists()


def test_deciding_someone_elses_claim_needs_a_take_over(
    otp_client, moderator, colleague, listing, django_capture_on_commit_callbacks, run_jobs
):
    report = report_on(listing)
    moderation_claim(obj=report, user=moderator)
    with pytest.raises(ClaimedError):
        feedback_decide(feedback=report, status=FeedbackStatus.ACTED_ON, user=colleague)
    client = otp_client(colleague)
    response = client.post(change_url(report), {"status": FeedbackStatus.ACTED_ON})
    assert response.status_code == 200
    assert "moderator is reviewing this: confirm you are taking it over" in response.content.decode()
    report.refresh_from_db()
    assert report.status == FeedbackStatus.NEW
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(report), {"status": FeedbackStatus.ACTED_ON, "take_over": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == FeedbackStatus.ACTED_ON and report.decided_by == colleague
    assert not ModerationClaim.objects.exists()  # a decision ends the claim
    run_jobs()
    assert [message.to for message in mail.outbox] == [["listed@example.gov.test"]]


def test_the_queue_actions_leave_a_report_someone_else_is_reviewing(
    otp_client, moderator, colleague, listing
):
    claimed, free = report_on(listing), report_on(listing, problem=Problem.OUT_OF_DATE)
    moderation_claim(obj=claimed, user=moderator)
    response = otp_client(colleague).post(
        QUEUE, {"action": "mark_no_action", "_selected_action": [claimed.pk, free.pk]}, follow=True
    )
    shown = [str(message) for message in response.context["messages"]]
    assert f"Report {claimed.pk}: moderator is reviewing this. Take it over before deciding." in shown
    assert "1 report marked “No action”." in shown
    assert Feedback.objects.get(pk=claimed.pk).status == FeedbackStatus.NEW
    assert Feedback.objects.get(pk=free.pk).status == FeedbackStatus.NO_ACTION


def test_a_claim_on_a_report_lapses_after_the_set_time(settings, moderator, colleague, listing):
    settings.MODERATION_CLAIM_HOURS = 2
    report = report_on(listing)
    moderation_claim(obj=report, user=moderator)
    ModerationClaim.objects.update(claimed_at=timezone.now() - datetime.timedelta(hours=2, minutes=1))
    assert feedback_decide(feedback=report, status=FeedbackStatus.NO_ACTION, user=colleague)


# Real transactions in two threads; the reference data is restored after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_deciding_a_report_at_once_cannot_both_succeed(moderator, colleague, run_jobs):
    report = report_on(ListingFactory(email="listed@example.gov.test"))
    start = threading.Barrier(2)
    outcomes = {}

    def decide(user, status):
        start.wait()
        try:
            feedback_decide(
                feedback=Feedback.objects.get(pk=report.pk),
                status=status,
                user=user,
                expected_status=FeedbackStatus.NEW,
            )
            outcomes[user.username] = status
        except TransitionNotAllowedError:
            outcomes[user.username] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(moderator, FeedbackStatus.ACTED_ON)),
        threading.Thread(target=decide, args=(colleague, FeedbackStatus.NO_ACTION)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    decided = [status for status in outcomes.values() if status != "refused"]
    assert len(outcomes) == 2 and len(decided) == 1
    report.refresh_from_db()
    assert report.status == decided[0]
    # The queue's tables outlive this test's flush, so its jobs run here.
    jobs = run_jobs()
    assert len(jobs) == (1 if decided[0] == FeedbackStatus.ACTED_ON else 0)


# --- Internal notes ----------------------------------------------------------------------------


def test_a_note_on_a_report_shows_in_its_timeline(staff_client, listing):
    report = report_on(listing)
    response = staff_client.post(report_url(report, "note"), {"text": NOTE_TEXT})
    assert response.status_code == 302
    html = staff_client.get(change_url(report)).content.decode()
    timeline = html[html.index('id="moderation-timeline"') :]
    assert NOTE_TEXT in timeline
    assert "Received" in timeline
    staff_client.post(report_url(report, "note"), {"text": "   "})
    assert ModerationNote.objects.for_object(report).count() == 1


@pytest.mark.parametrize("label", sorted(set(HOSTILE) - {"huge"}))
def test_a_hostile_note_on_a_report_is_kept_as_text_or_refused(staff_client, listing, label):
    report = report_on(listing)
    response = staff_client.post(report_url(report, "note"), {"text": HOSTILE[label]})
    assert response.status_code == 302
    html = staff_client.get(change_url(report)).content.decode()
    assert not any(markup in html for markup in DANGEROUS_MARKUP), label
    if "\x00" in HOSTILE[label]:
        assert not ModerationNote.objects.exists()
    else:
        assert ModerationNote.objects.get().text == HOSTILE[label].strip()


def test_a_note_too_long_is_refused(staff_client, listing):
    report = report_on(listing)
    staff_client.post(report_url(report, "note"), {"text": HOSTILE["huge"]})
    assert not ModerationNote.objects.exists()


# --- Who sees reports ---------------------------------------------------------------------------


@pytest.fixture
def clerk(django_user_model):
    """Staff who may see and change reports and records, but not moderate."""
    user = django_user_model.objects.create_user("clerk", "clerk@linkup.test", "x" * 16, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_feedback", "change_feedback", "view_casestudy", "view_listing"]
        )
    )
    return user


def test_nobody_without_the_permission_sees_a_report_its_notes_or_claims(
    otp_client, clerk, moderator, listing
):
    report = report_on(listing, details="The phone number is old")
    moderation_note_add(obj=report, author=moderator, text=NOTE_TEXT)
    client = otp_client(clerk)
    assert client.get(QUEUE).status_code == 403
    assert client.get(change_url(report)).status_code == 403
    assert client.post(change_url(report), {"status": FeedbackStatus.NO_ACTION}).status_code == 403
    assert client.post(report_url(report, "claim"), {"claim": "claim"}).status_code == 403
    assert client.post(report_url(report, "note"), {"text": "x"}).status_code == 403
    assert not ModerationClaim.objects.exists()
    assert Feedback.objects.get(pk=report.pk).status == FeedbackStatus.NEW
    page = client.get(change_url(listing)).content.decode()
    assert "Problem reports about this" not in page
    assert "The phone number is old" not in page and NOTE_TEXT not in page
    index = client.get(reverse("admin:index")).content.decode()
    assert QUEUE not in index


def test_a_record_moderator_without_the_report_permission_sees_no_reports(otp_client, moderator, listing):
    report_on(listing, details="The phone number is old")
    moderator.groups.get().permissions.remove(Permission.objects.get(codename="moderate_feedback"))
    page = otp_client(moderator).get(change_url(listing)).content.decode()
    assert "Leave a note for colleagues" in page  # still moderates the listing
    assert "Problem reports about this" not in page


def test_the_listed_persons_address_is_not_on_the_report(staff_client, listing):
    report = report_on(listing, email="reporter@example.gov.test")
    for url in (QUEUE, change_url(report)):
        assert "listed@example.gov.test" not in staff_client.get(url).content.decode()


# --- The record's change page lists its reports ------------------------------------------------


@pytest.mark.parametrize("kind", ["case_study", "listing"])
def test_a_records_change_page_lists_its_reports(staff_client, kind):
    record = CaseStudyFactory() if kind == "case_study" else ListingFactory()
    other_record = CaseStudyFactory() if kind == "case_study" else ListingFactory()
    older = report_on(record, problem=Problem.OUT_OF_DATE)
    Feedback.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    newer = report_on(record, problem=Problem.BROKEN_LINK, status=FeedbackStatus.NO_ACTION)
    elsewhere = report_on(other_record)
    html = staff_client.get(change_url(record)).content.decode()
    section = html[html.index('id="moderation-reports"') :]
    section = section[: section.index("</div>")]
    assert section.index(f"Report {newer.pk}") < section.index(f"Report {older.pk}")
    assert f'href="{change_url(newer)}"' in section and f'href="{change_url(older)}"' in section
    assert "A link is broken" in section and "No action" in section
    assert "It is out of date" in section and "New" in section
    assert timezone.localtime(Feedback.objects.get(pk=older.pk).created_at).strftime("%-d %b %Y") in section
    assert f"Report {elsewhere.pk}<" not in section
    quiet = CaseStudyFactory() if kind == "case_study" else ListingFactory()
    assert "Nobody has reported a problem with this" in staff_client.get(change_url(quiet)).content.decode()


# --- Queries stay flat --------------------------------------------------------------------------


def test_the_report_queue_takes_the_same_queries_for_5_and_50_reports(staff_client, moderator, count_queries):
    def queue_of(n):
        Feedback.objects.all().delete()
        for _ in range(n):
            record = ListingFactory() if _ % 2 else CaseStudyFactory()
            moderation_claim(obj=report_on(record), user=moderator)
        return count_queries(lambda: staff_client.get(QUEUE))

    assert queue_of(5) == queue_of(50)


@pytest.mark.parametrize("kind", ["case_study", "listing"])
def test_a_records_page_takes_the_same_queries_for_5_and_50_reports(staff_client, count_queries, kind):
    record = CaseStudyFactory() if kind == "case_study" else ListingFactory()

    def page_with(n):
        Feedback.objects.all().delete()
        for _ in range(n):
            report_on(record)
        return count_queries(lambda: staff_client.get(change_url(record)))

    assert page_with(5) == page_with(50)


# --- Personal data ------------------------------------------------------------------------------


def test_notes_and_claims_on_reports_go_with_a_deleted_listing(moderator, listing):
    from linkup.retention import listings_delete

    report = report_on(listing)
    kept = report_on(ListingFactory())
    moderation_note_add(obj=report, author=moderator, text=NOTE_TEXT)
    moderation_note_add(obj=kept, author=moderator, text="Another listing's note")
    moderation_claim(obj=report, user=moderator)
    listings_delete(ids=[listing.pk], now=timezone.now())
    assert not Feedback.objects.filter(pk=report.pk).exists()
    assert list(ModerationNote.objects.values_list("text", flat=True)) == ["Another listing's note"]
    assert not ModerationClaim.objects.exists()


def test_erasing_a_reporters_data_removes_the_notes_on_their_reports(moderator, listing):
    from linkup.personal_data import personal_data_erase
    from linkup.retention import REMOVED

    report = report_on(listing, email="reporter@example.gov.test", details="It names my client")
    other = report_on(listing)
    moderation_note_add(obj=report, author=moderator, text="The reporter says it names their client")
    moderation_note_add(obj=other, author=moderator, text=NOTE_TEXT)
    personal_data_erase(email="reporter@example.gov.test")
    assert ModerationNote.objects.for_object(report).get().text == REMOVED
    assert ModerationNote.objects.for_object(other).get().text == NOTE_TEXT
