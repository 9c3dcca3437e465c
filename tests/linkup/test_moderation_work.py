"""The moderators' everyday tools, the same for case studies and listings:
kept versions and their comparison, claims, internal notes, working-day
ages and the target, the preview, review dates and the admin home."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from casestudies.review import REVIEW_PURPOSE, case_studies_review, review_due_after
from casestudies.services import case_study_resubmit
from linkup.models import ContentChange
from linkup.moderation import (
    ClaimedError,
    ModerationClaim,
    ModerationNote,
    ModerationRevision,
    Status,
    TransitionNotAllowedError,
    moderation_claim,
    moderation_note_add,
    moderation_position,
    moderation_record_submission,
    moderation_transition,
    submission_request_changes,
    working_days_between,
)
from linkup.retention import case_studies_anonymise
from linkup.tokens import make_token
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory
from tests.directory.factories import ListingFactory

pytestmark = pytest.mark.django_db
NOTE_TEXT = "Internal: phoned the council, the second paragraph names a street"


def change_url(obj):
    info = obj._meta.app_label, obj._meta.model_name
    return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])


def admin_url(obj, view):
    info = obj._meta.app_label, obj._meta.model_name, view
    return reverse("admin:{}_{}_{}".format(*info), args=[obj.pk])


@pytest.fixture
def colleague(django_user_model):
    user = django_user_model.objects.create_user(
        "colleague", "colleague@linkup.test", "x" * 16, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def clerk(django_user_model):
    """Staff without the moderation permission."""
    return django_user_model.objects.create_user("clerk", "clerk@linkup.test", "x" * 16, is_staff=True)


def sent_back_and_changed(moderator):
    case_study = UnpublishedCaseStudyFactory(summary="Two agencies met once a month.")
    moderation_record_submission(obj=case_study)
    submission_request_changes(submission=case_study, moderator=moderator, note="Say who met.")
    case_study.refresh_from_db()
    return case_study_resubmit(
        case_study=case_study,
        data={
            "summary": "Two agencies met every week.",
            "client_groups": list(case_study.client_groups.all()),
        },
    )


# --- Kept versions and the comparison ---------------------------------------------


def test_each_submission_resubmission_and_staff_edit_is_kept(moderator):
    case_study = sent_back_and_changed(moderator)
    reasons = [revision.reason for revision in case_study.revisions()]
    assert reasons == [ModerationRevision.Reason.SUBMITTED, ModerationRevision.Reason.RESUBMITTED]
    assert case_study.revisions().last().data["summary"] == "Two agencies met every week."


def test_the_change_page_compares_the_resubmission_with_what_was_sent_back(staff_client, moderator):
    case_study = sent_back_and_changed(moderator)
    html = staff_client.get(change_url(case_study)).content.decode()
    assert "What changed since it was sent back" in html
    assert '<del><span class="visually-hidden">removed: </span>once a month.</del>' in html
    assert '<ins><span class="visually-hidden">added: </span>every week.</ins>' in html
    # The timeline says who changed what, and when.
    assert "Version kept: changed and sent again" in html
    assert "Changed: Summary" in html


def test_a_staff_edit_in_admin_is_kept_with_who_made_it(staff_client, moderator):
    listing = ListingFactory(status=Status.SUBMITTED, job_title="Housing officer")
    moderation_record_submission(obj=listing)
    response = staff_client.get(change_url(listing))
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(job_title="Senior housing officer", areas=[a.pk for a in listing.areas.all()])
    data["client_groups"] = [g.pk for g in listing.client_groups.all()]
    data["open_to"] = listing.open_to
    response = staff_client.post(change_url(listing), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = listing.revisions().last()
    assert latest.reason == ModerationRevision.Reason.STAFF_EDIT
    assert latest.actor == moderator
    assert latest.data["job_title"] == "Senior housing officer"


def test_nobody_without_the_permission_sees_a_diff_or_a_note(otp_client, clerk, moderator):
    clerk.user_permissions.add(Permission.objects.get(codename="view_casestudy"))
    case_study = sent_back_and_changed(moderator)
    moderation_note_add(obj=case_study, author=moderator, text=NOTE_TEXT)
    client = otp_client(clerk)
    html = client.get(change_url(case_study)).content.decode()
    assert "What changed since it was sent back" not in html
    assert "Leave a note" not in html
    assert client.get(admin_url(case_study, "preview")).status_code == 403
    assert client.post(admin_url(case_study, "note"), {"text": "x"}).status_code == 403
    assert client.post(admin_url(case_study, "claim"), {"claim": "claim"}).status_code == 403
    assert not ModerationClaim.objects.exists()


# --- Claims -----------------------------------------------------------------------


def test_a_claim_shows_in_the_queue_and_on_the_change_page(staff_client, otp_client, colleague):
    case_study = UnpublishedCaseStudyFactory()
    staff_client.post(admin_url(case_study, "claim"), {"claim": "claim"})
    other = otp_client(colleague)
    queue = other.get(reverse("admin:casestudies_casestudy_changelist")).content.decode()
    assert "moderator <span>since" in queue
    page = other.get(change_url(case_study)).content.decode()
    assert "<strong>moderator</strong> is reviewing this" in page
    assert "Take over from moderator" in page
    mine = other.get(reverse("admin:casestudies_casestudy_changelist") + "?claim=mine")
    assert list(mine.context["cl"].result_list) == []


def test_deciding_someone_elses_claim_needs_a_take_over(staff_client, otp_client, moderator, colleague):
    case_study = UnpublishedCaseStudyFactory()
    moderation_claim(obj=case_study, user=moderator)
    with pytest.raises(ClaimedError):
        moderation_transition(obj=case_study, to_status=Status.PUBLISHED, actor=colleague)
    other = otp_client(colleague)
    url = reverse("admin:casestudies_casestudy_decide", args=[case_study.pk, "publish"])
    level = {f"evidence_level_{case_study.pk}": "2"}
    response = other.post(url, {"confirm": "yes", "acknowledge": "on"} | level)
    assert response.status_code == 200
    assert "moderator is reviewing this: confirm you are taking it over" in response.content.decode()
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED
    other.post(url, {"confirm": "yes", "acknowledge": "on", "take_over": "on"} | level)
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    assert not ModerationClaim.objects.exists()  # a decision ends the claim


def test_a_claim_lapses_after_the_set_time(settings, moderator, colleague):
    settings.MODERATION_CLAIM_HOURS = 2
    case_study = UnpublishedCaseStudyFactory()
    moderation_claim(obj=case_study, user=moderator)
    with pytest.raises(ClaimedError):
        moderation_claim(obj=case_study, user=colleague)
    ModerationClaim.objects.update(claimed_at=timezone.now() - datetime.timedelta(hours=2, minutes=1))
    assert moderation_claim(obj=case_study, user=colleague).user == colleague


# Real transactions in two threads; the reference data is restored after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_deciding_at_once_cannot_both_succeed(moderator, colleague, run_jobs):
    case_study = UnpublishedCaseStudyFactory()
    start = threading.Barrier(2)
    outcomes = {}

    def decide(user, status, note):
        start.wait()
        try:
            moderation_transition(
                obj=CaseStudy.objects.get(pk=case_study.pk),
                to_status=status,
                actor=user,
                note=note,
                expected_status=Status.SUBMITTED,
            )
            outcomes[user.username] = "done"
        except TransitionNotAllowedError:
            outcomes[user.username] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(moderator, Status.PUBLISHED, "")),
        threading.Thread(target=decide, args=(colleague, Status.CHANGES_REQUESTED, "Say who met.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["done", "refused"]
    assert case_study.history().filter(from_status=Status.SUBMITTED).count() == 1
    # One decision, one e-mail to the submitter. The queue's tables outlive
    # this test's flush, so its job is run here, not left for the next test.
    assert [job.status for job in run_jobs()] == ["succeeded"]
    assert [message.to for message in mail.outbox] == [[case_study.submitter_email]]


# --- Internal notes ---------------------------------------------------------------


def test_a_note_shows_in_the_timeline_and_never_leaves_admin(
    staff_client, client, moderator, no_page_cache, django_capture_on_commit_callbacks, run_jobs
):
    case_study = UnpublishedCaseStudyFactory(submitter_email="sender@example.test")
    moderation_record_submission(obj=case_study)
    response = staff_client.post(admin_url(case_study, "note"), {"text": NOTE_TEXT})
    assert response.status_code == 302
    assert NOTE_TEXT in staff_client.get(change_url(case_study)).content.decode()
    run_jobs()
    mail.outbox.clear()
    url = reverse("admin:casestudies_casestudy_decide", args=[case_study.pk, "publish"])
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            url, {"confirm": "yes", "acknowledge": "on", f"evidence_level_{case_study.pk}": "1"}
        )
    case_study.refresh_from_db()
    assert case_study.is_published
    run_jobs()
    assert mail.outbox, "the submitter hears of the decision"
    assert all(NOTE_TEXT not in message.body for message in mail.outbox)
    for path in (
        case_study.get_absolute_url(),
        reverse("casestudies:list"),
        reverse("casestudies:feed"),
        reverse("casestudies:export_csv"),
        reverse("casestudies:api"),
        reverse("search:results") + "?q=phoned+council",
    ):
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"phoned the council" not in body, path
    status = client.post(
        reverse("casestudies:status"), {"reference": case_study.reference, "email": "sender@example.test"}
    )
    assert "phoned the council" not in status.content.decode()


@pytest.mark.parametrize("kind", ["case_study", "listing"])
def test_a_note_on_a_problem_report_never_leaves_admin(staff_client, client, no_page_cache, run_jobs, kind):
    from feedback.models import Feedback, FeedbackStatus, Problem

    if kind == "case_study":
        record = CaseStudyFactory(submitter_email="sender@example.test")
        report = Feedback.objects.create(
            path=record.get_absolute_url(), case_study=record, problem=Problem.WRONG
        )
        public = [reverse("casestudies:list"), reverse("casestudies:feed"), reverse("casestudies:export_csv")]
        public += [reverse("casestudies:api"), reverse("search:results") + "?q=phoned+council"]
    else:
        record = ListingFactory(email="listed@example.test")
        report = Feedback.objects.create(
            path=record.get_absolute_url(), listing=record, problem=Problem.WRONG
        )
        public = [reverse("directory:search") + "?q=phoned+council"]
    staff_client.post(admin_url(report, "note"), {"text": NOTE_TEXT})
    assert NOTE_TEXT in staff_client.get(change_url(report)).content.decode()
    staff_client.post(change_url(report), {"status": FeedbackStatus.ACTED_ON})
    assert Feedback.objects.get(pk=report.pk).status == FeedbackStatus.ACTED_ON
    run_jobs()
    assert mail.outbox, "the person behind the record hears of the change"
    assert all("phoned the council" not in message.body + message.subject for message in mail.outbox)
    for path in [record.get_absolute_url(), reverse("feedback:feedback") + "?page=" + report.path, *public]:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"phoned the council" not in body, path


def test_an_empty_note_is_refused(staff_client):
    case_study = UnpublishedCaseStudyFactory()
    staff_client.post(admin_url(case_study, "note"), {"text": "  "})
    assert not ModerationNote.objects.exists()


# --- Working days and the target --------------------------------------------------


def test_working_days_skip_weekends_and_englands_bank_holidays():
    # Christmas Day 2026 is a Friday; Boxing Day's holiday moves to Monday the 28th.
    assert working_days_between(datetime.date(2026, 12, 24), datetime.date(2026, 12, 29)) == 1
    # Easter Monday 2027 is 29 March; Good Friday 26 March.
    assert working_days_between(datetime.date(2027, 3, 25), datetime.date(2027, 3, 31)) == 2
    assert working_days_between(datetime.date(2026, 12, 7), datetime.date(2026, 12, 7)) == 0


def test_the_queue_flags_whats_past_the_target_and_the_reminder_names_it(staff_client, settings, run_jobs):
    settings.MODERATION_TARGET_WORKING_DAYS = 10
    late = UnpublishedCaseStudyFactory(
        title="Late example", submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    UnpublishedCaseStudyFactory(title="Fresh example", submitted_at=timezone.now())
    html = staff_client.get(reverse("admin:casestudies_casestudy_changelist")).content.decode()
    assert html.count("Overdue") == 1
    call_command("moderation_reminder")
    run_jobs()
    body = mail.outbox[-1].body
    assert f"{late.reference}: Late example" in body
    assert "Fresh example" not in body


def test_the_submitter_is_told_where_their_example_is(settings):
    settings.MODERATION_TARGET_WORKING_DAYS = 10
    case_study = UnpublishedCaseStudyFactory(
        submitted_at=datetime.datetime(2027, 3, 3, 10, tzinfo=datetime.UTC)
    )
    assert moderation_position(case_study) == (
        "It has been with the taskforce since 3 March; we aim to decide within 10 working days."
    )


def test_the_admin_home_has_the_dashboard(staff_client):
    oldest = UnpublishedCaseStudyFactory(submitted_at=timezone.now() - datetime.timedelta(days=20))
    UnpublishedCaseStudyFactory(submitted_at=timezone.now())
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "Records by status" in html
    assert "Awaiting review, by region and client group" in html
    assert f'oldest: <a href="{change_url(oldest)}">{oldest.reference}</a>' in html


@pytest.mark.parametrize("view", ["changelist", "index"])
def test_queue_pages_take_the_same_queries_for_5_and_50_items(staff_client, count_queries, view):
    url = reverse("admin:index") if view == "index" else reverse("admin:casestudies_casestudy_changelist")

    def queue_of(n):
        CaseStudy.objects.all().delete()
        for case_study in UnpublishedCaseStudyFactory.create_batch(n):
            moderation_claim(obj=case_study, user=staff_client_user())
        return count_queries(lambda: staff_client.get(url))

    from django.contrib.auth import get_user_model

    def staff_client_user():
        return get_user_model().objects.get(username="moderator")

    assert queue_of(5) == queue_of(50)


# --- The admin home in plain words -------------------------------------------------


def test_moderators_see_moderation_first_and_no_sign_in_security(staff_client, otp_client, django_user_model):
    names = [app["name"] for app in staff_client.get(reverse("admin:index")).context["app_list"]]
    assert names[0] == "Moderation"
    assert "Sign-in security" not in names
    boss = otp_client(django_user_model.objects.create_superuser("boss", "boss@linkup.test", "x" * 16))
    apps = boss.get(reverse("admin:index")).context["app_list"]
    security = next(app for app in apps if app["name"] == "Sign-in security")
    assert {"Lockouts", "Authenticator apps", "Audit trail"} <= {
        model["name"] for model in security["models"]
    }
    assert "Axes" not in [app["name"] for app in apps]


def test_short_lists_are_checkboxes(staff_client):
    html = staff_client.get(change_url(UnpublishedCaseStudyFactory())).content.decode()
    assert 'type="checkbox" name="client_groups"' in html
    assert 'type="checkbox" name="outcomes"' in html


# --- The preview ------------------------------------------------------------------


def test_the_preview_is_the_public_page_marked_and_never_cached(staff_client, client):
    case_study = UnpublishedCaseStudyFactory(title="Waiting to be read")
    response = staff_client.get(admin_url(case_study, "preview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "casestudies/detail.html"
    assert "Preview, not published" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert client.get(admin_url(case_study, "preview")).status_code == 302  # to sign in
    page = staff_client.get(change_url(case_study)).content.decode()
    assert f'href="{admin_url(case_study, "preview")}"' in page
    listing = ListingFactory(status=Status.SUBMITTED)
    listing_preview = staff_client.get(admin_url(listing, "preview"))
    assert listing_preview.status_code == 200
    assert "Preview, not published" in listing_preview.content.decode()


def test_view_on_site_points_to_the_preview_until_published(staff_client):
    case_study = UnpublishedCaseStudyFactory()
    html = staff_client.get(change_url(case_study)).content.decode()
    assert f'href="{admin_url(case_study, "preview")}" class="viewsitelink"' in html
    from django.contrib.admin.sites import site

    model_admin = site._registry[CaseStudy]
    assert model_admin.view_on_site(case_study) == admin_url(case_study, "preview")
    published = CaseStudyFactory()
    assert model_admin.view_on_site(published) == published.get_absolute_url()


# --- Review dates ------------------------------------------------------------------


def test_publishing_sets_the_review_date(settings, moderator):
    settings.CASE_STUDY_REVIEW_MONTHS = 24
    case_study = UnpublishedCaseStudyFactory()
    moderation_transition(obj=case_study, to_status=Status.PUBLISHED, actor=moderator)
    case_study.refresh_from_db()
    assert case_study.review_due == review_due_after(timezone.now())
    assert review_due_after(datetime.date(2026, 3, 31)) == datetime.date(2028, 3, 31)
    assert review_due_after(datetime.date(2028, 2, 29)) == datetime.date(2030, 2, 28)


def test_a_month_before_the_submitter_and_taskforce_are_asked_once(settings, client, run_jobs):
    settings.CASE_STUDY_REVIEW_NOTICE_DAYS = 30
    due = CaseStudyFactory(review_due=timezone.localdate() + datetime.timedelta(days=20))
    CaseStudyFactory(review_due=timezone.localdate() + datetime.timedelta(days=200))
    anonymous = CaseStudyFactory(
        review_due=timezone.localdate() + datetime.timedelta(days=5), submitter_email=""
    )
    run_jobs()
    mail.outbox.clear()
    assert case_studies_review()["asked"] == 2
    run_jobs()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([due.submitter_email, settings.TASKFORCE_EMAIL, settings.TASKFORCE_EMAIL])
    assert case_studies_review()["asked"] == 0
    assert run_jobs() == []
    to_submitter = next(m for m in mail.outbox if m.to == [due.submitter_email])
    link = next(line for line in to_submitter.body.splitlines() if "/share/review/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert "Yes, it still holds" in page.content.decode()
    client.post("/" + path)
    due.refresh_from_db()
    assert due.review_asked_at is None and due.reviewed_at is not None
    assert due.review_due > timezone.localdate() + datetime.timedelta(days=300)
    assert client.post("/" + path).status_code == 410  # used once
    assert anonymous.internal_notes().count() == 0


def test_past_the_review_date_the_page_says_so_and_staff_renew(staff_client, client, no_page_cache):
    case_study = CaseStudyFactory(
        published_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
        review_due=timezone.localdate() - datetime.timedelta(days=1),
    )
    before = ContentChange.objects.count()
    case_studies_review()
    assert ContentChange.objects.count() > before  # cached pages retired
    html = client.get(case_study.get_absolute_url()).content.decode()
    assert "This example was published in 2026 and has not been reviewed since." in html
    past = staff_client.get(reverse("admin:casestudies_casestudy_changelist") + "?review=past")
    assert list(past.context["cl"].result_list) == [case_study]
    staff_client.post(
        reverse("admin:casestudies_casestudy_changelist"),
        {"action": "renew_review", "_selected_action": [case_study.pk]},
    )
    html = client.get(case_study.get_absolute_url()).content.decode()
    assert "has not been reviewed since" not in html
    assert "Reviewed: it still holds" in staff_client.get(change_url(case_study)).content.decode()


def test_staff_can_withdraw_from_the_queue(staff_client, client):
    case_study = CaseStudyFactory(review_due=timezone.localdate() - datetime.timedelta(days=1))
    url = reverse("admin:casestudies_casestudy_decide", args=[case_study.pk, "withdraw"])
    staff_client.post(url, {"confirm": "yes", "note": "Out of date"})
    case_study.refresh_from_db()
    assert case_study.status == Status.WITHDRAWN


def test_a_forged_review_link_does_nothing(client):
    case_study = CaseStudyFactory()
    token = make_token(case_study, REVIEW_PURPOSE) + "x"
    assert client.post(reverse("casestudies:review", args=[token])).status_code == 410


# --- Personal data ------------------------------------------------------------------


def test_kept_versions_go_with_the_personal_data(moderator):
    case_study = sent_back_and_changed(moderator)
    moderation_note_add(obj=case_study, author=moderator, text="Sender is Priya from the council")
    case_studies_anonymise(ids=[case_study.pk], now=timezone.now())
    assert not case_study.revisions().exists()
    assert "Priya" not in case_study.internal_notes().get().text
