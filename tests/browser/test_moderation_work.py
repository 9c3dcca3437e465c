"""A moderator's day in a real browser, with axe on every page: what changed
in a resubmission, claiming and taking over, an internal note, the
preview, a published example past its review date confirmed and renewed,
and a problem report claimed, taken over, noted and acted on."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from casestudies.review import case_studies_review
from casestudies.services import case_study_resubmit
from feedback.models import Feedback, FeedbackStatus
from linkup.moderation import moderation_record_submission, submission_request_changes
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory
from tests.conftest import admin_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def colleague(django_user_model):
    user = django_user_model.objects.create_user(
        "colleague", "colleague@linkup.test", "another-correct-horse-battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    user.plain_password = "another-correct-horse-battery"
    return user


def test_changes_claim_take_over_note_and_preview(page, axe, moderator, colleague):
    case_study = UnpublishedCaseStudyFactory(
        title="Panel for care leavers", summary="Two agencies met once a month."
    )
    moderation_record_submission(obj=case_study)
    submission_request_changes(submission=case_study, moderator=moderator, note="Say how often.")
    case_study.refresh_from_db()
    case_study_resubmit(
        case_study=case_study,
        data={
            "summary": "Two agencies met every week.",
            "client_groups": list(case_study.client_groups.all()),
        },
    )
    change = f"/admin/casestudies/casestudy/{case_study.pk}/change/"

    # The colleague sees what changed, claims it and leaves a note.
    admin_sign_in(page, username=colleague.username, password=colleague.plain_password)
    page.goto(change)
    changes = page.locator("#moderation-changes")
    expect(changes.locator("del")).to_contain_text("removed: once a month.")
    expect(changes.locator("ins")).to_contain_text("added: every week.")
    axe(page, context_label="the changes since it was sent back")
    page.click("text=I'm reviewing this")
    expect(page.locator("#moderation-claim")).to_contain_text("You are reviewing this")
    page.fill("#moderation-note textarea", "Checked with the council: the figures are right.")
    page.click("#moderation-note input[type=submit]")
    expect(page.locator("#moderation-timeline")).to_contain_text("Checked with the council")
    axe(page, context_label="claimed, with a note")

    # The preview is the public page, marked.
    page.click("#moderation-claim >> xpath=.. >> text=Preview")
    expect(page.locator("#preview-banner")).to_contain_text("Preview, not published")
    expect(page.locator("h1")).to_have_text("Panel for care leavers")
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    axe(page, context_label="preview")
    page.context.clear_cookies()

    # The moderator sees who is on it, and takes it over.
    admin_sign_in(page, username=moderator.username, password=moderator.plain_password)
    page.goto("/admin/casestudies/casestudy/?queue=waiting")
    expect(page.locator("#result_list")).to_contain_text("colleague")
    axe(page, context_label="the queue")
    page.goto(change)
    expect(page.locator("#moderation-claim")).to_contain_text("colleague is reviewing this")
    page.click("text=Take over from colleague")
    expect(page.locator("#moderation-claim")).to_contain_text("You are reviewing this")
    axe(page, context_label="taken over")


def test_review_confirmed_by_the_submitter_and_renewed_by_staff(page, axe, moderator, settings, run_jobs):
    due_soon = CaseStudyFactory(
        title="Shared housing assessments",
        submitter_email="sam.adviser@example.test",
        review_due=timezone.localdate() + datetime.timedelta(days=10),
    )
    lapsed = CaseStudyFactory(
        title="Joint probation and housing clinic",
        published_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        review_due=timezone.localdate() - datetime.timedelta(days=2),
        review_asked_at=timezone.now() - datetime.timedelta(days=40),
    )
    run_jobs()
    mail.outbox.clear()
    case_studies_review()
    run_jobs()

    # The submitter confirms through the e-mailed link.
    message = next(m for m in mail.outbox if m.to == ["sam.adviser@example.test"])
    link = re.search(r"https?://\S+(/case-studies/share/review/\S+/)", message.body).group(1)
    page.goto(link)
    axe(page, context_label="confirm it still holds")
    page.click("text=Yes, it still holds")
    expect(page.locator(".govuk-panel")).to_contain_text("Your example stays published")
    axe(page, context_label="confirmed")
    due_soon.refresh_from_db()
    assert due_soon.reviewed_at is not None

    # Past its review date, the page says so.
    page.goto(lapsed.get_absolute_url())
    expect(page.locator("#review-overdue")).to_have_text(
        "This example was published in 2026 and has not been reviewed since."
    )
    axe(page, context_label="past its review date")

    # Staff renew it from the queue.
    admin_sign_in(page, username=moderator.username, password=moderator.plain_password)
    page.goto("/admin/casestudies/casestudy/?review=past")
    axe(page, context_label="past the review date in the queue")
    page.check(f"input[name=_selected_action][value='{lapsed.pk}']")
    page.select_option("select[name=action]", "renew_review")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text(f"Renewed: {lapsed.reference}")
    page.context.clear_cookies()
    page.goto(lapsed.get_absolute_url())
    expect(page.locator("#review-overdue")).to_have_count(0)


def test_a_problem_report_claimed_taken_over_noted_and_acted_on(page, axe, moderator, colleague, run_jobs):
    case_study = CaseStudyFactory(
        title="Housing first for care leavers", submitter_email="sam@example.gov.test"
    )

    # A visitor reports a problem with the example.
    page.goto(case_study.get_absolute_url())
    block = page.locator("#feedback")
    page.locator("main").get_by_role("link", name="Report a problem with this page").click()
    block.get_by_label("The information is wrong").check()
    block.get_by_label("Tell us more (optional)").fill("The phone number is old")
    block.get_by_role("button", name="Send").click()
    expect(block.get_by_text("Thank you for your feedback")).to_be_visible()
    report = Feedback.objects.get()
    change = f"/admin/feedback/feedback/{report.pk}/change/"

    # The colleague finds it against the case study and claims it.
    admin_sign_in(page, username=colleague.username, password=colleague.plain_password)
    page.goto(f"/admin/casestudies/casestudy/{case_study.pk}/change/")
    reports = page.locator("#moderation-reports")
    expect(reports).to_contain_text("The information is wrong")
    axe(page, context_label="the case study with its reports")
    reports.get_by_role("link", name=f"Report {report.pk}").click()
    page.wait_for_url(f"**{change}")
    axe(page, context_label="a report")
    page.click("text=I'm reviewing this")
    expect(page.locator("#moderation-claim")).to_contain_text("You are reviewing this")
    page.context.clear_cookies()

    # The moderator sees the claim, cannot decide without taking over, takes over.
    admin_sign_in(page, username=moderator.username, password=moderator.plain_password)
    page.goto("/admin/feedback/feedback/?claim=others")
    expect(page.locator("#result_list")).to_contain_text("colleague")
    axe(page, context_label="the report queue")
    page.goto(change)
    expect(page.locator("#moderation-claim")).to_contain_text("colleague is reviewing this")
    page.get_by_label("Status").select_option(label="Acted on: led to a change")
    page.click("input[name=_save]")
    expect(page.locator(".errorlist")).to_contain_text(
        "colleague is reviewing this: confirm you are taking it over"
    )
    axe(page, context_label="deciding someone else's report")
    page.click("text=Take over from colleague")
    expect(page.locator("#moderation-claim")).to_contain_text("You are reviewing this")

    # A note for colleagues, then the decision.
    page.fill("#moderation-note textarea", "Rang the team: the new number is on their website.")
    page.click("#moderation-note input[type=submit]")
    expect(page.locator("#moderation-timeline")).to_contain_text("Rang the team")
    axe(page, context_label="a report taken over, with a note")
    page.get_by_label("Status").select_option(label="Acted on: led to a change")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    axe(page, context_label="the queue after the decision")
    report.refresh_from_db()
    assert report.status == FeedbackStatus.ACTED_ON and report.decided_by == moderator

    # The submitter is told, in the portal's own words.
    run_jobs()
    message = next(m for m in mail.outbox if m.to == ["sam@example.gov.test"])
    assert "led to a change" in message.subject
    assert "The phone number is old" not in message.body and "Rang the team" not in message.body
