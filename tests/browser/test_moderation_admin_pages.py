"""The admin pages a moderator works through, for directory listings and
case studies alike, checked with axe in a real browser: the queue with its
filters, a record's change page with what changed, a claim, a note and its
problem reports, the decision confirmation page and the preview."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casestudies.services import case_study_resubmit
from directory.services import listing_update_by_owner
from feedback.models import Feedback, Problem
from linkup.models import LocalAuthority
from linkup.moderation import (
    Status,
    moderation_claim,
    moderation_note_add,
    moderation_record_submission,
    submission_request_changes,
)
from tests.casestudies.factories import UnpublishedCaseStudyFactory
from tests.conftest import admin_sign_in
from tests.directory.factories import ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _listing_sent_back_and_edited(moderator):
    listing = ListingFactory(
        full_name="Priya Shah",
        expertise="Supported housing for care leavers.",
        status=Status.SUBMITTED,
        published_at=None,
    )
    moderation_record_submission(obj=listing, actor_label="Listed person")
    submission_request_changes(submission=listing, moderator=moderator, note="Say which areas.")
    listing.refresh_from_db()
    listing_update_by_owner(
        listing=listing,
        data={
            "expertise": "Supported housing for care leavers in Nottingham.",
            "areas": list(LocalAuthority.objects.open_to_listings()[:2]),
            "client_groups": list(listing.client_groups.all()),
        },
    )
    listing.refresh_from_db()
    return listing


def _walk(page, axe, *, opts, obj, queue_filters, changed_text):
    """The queue (plain and filtered), the change page, a decision's
    confirmation page and the preview, each checked with axe."""
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    page.goto(base)
    expect(page.locator("#result_list")).to_contain_text(obj.reference)
    axe(page, context_label=f"the {opts.verbose_name} queue")
    for query in queue_filters:
        page.goto(f"{base}?{query}")
        expect(page.locator("#result_list")).to_contain_text(obj.reference)
        axe(page, context_label=f"the {opts.verbose_name} queue filtered by {query}")

    page.goto(f"{base}{obj.pk}/change/")
    expect(page.locator("#moderation-changes ins").last).to_contain_text(changed_text)
    expect(page.locator("#moderation-claim")).to_contain_text("colleague is reviewing this")
    expect(page.locator("#moderation-timeline")).to_contain_text("Rang them to check")
    expect(page.locator("#moderation-reports")).to_contain_text("It is out of date")
    axe(page, context_label=f"a {opts.verbose_name} change page")

    page.locator("#content").get_by_role("link", name="Publish").first.click()
    page.wait_for_url(f"**{base}{obj.pk}/decide/publish/")
    expect(page.locator("#content")).to_contain_text(obj.reference)
    axe(page, context_label=f"publishing a {opts.verbose_name}")

    page.goto(f"{base}{obj.pk}/preview/")
    expect(page.locator("#preview-banner")).to_contain_text("Preview, not published")
    axe(page, context_label=f"a {opts.verbose_name} preview")


def test_listing_admin_pages_pass_axe(page, axe, moderator, django_user_model):
    colleague = django_user_model.objects.create_user("colleague", "colleague@linkup.test", is_staff=True)
    listing = _listing_sent_back_and_edited(moderator)
    moderation_claim(obj=listing, user=colleague)
    moderation_note_add(obj=listing, author=colleague, text="Rang them to check the areas.")
    Feedback.objects.create(
        path="/directory/", listing=listing, problem=Problem.OUT_OF_DATE, details="Moved team"
    )
    admin_sign_in(page, username=moderator.username, password=moderator.plain_password)
    _walk(
        page,
        axe,
        opts=listing._meta,
        obj=listing,
        queue_filters=[
            "status__exact=submitted",
            "claim=others",
            f"areas__id__exact={listing.areas.first().pk}",
        ],
        changed_text="in Nottingham",
    )

    # Staff correct the listing: the areas are checkboxes and "last
    # confirmed" one labelled box; a mistake is shown with the answers kept.
    page.goto(f"/admin/directory/listing/{listing.pk}/change/")
    page.click("text=Take over from colleague")
    areas = page.locator("#id_areas")
    boxes = areas.get_by_role("checkbox")
    expect(boxes.first).to_be_visible()
    for box in boxes.all():
        box.uncheck()
    page.get_by_label("Last confirmed").fill("2026-11-02T09:30")
    page.click("input[name=_continue]")
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.get_by_label("Last confirmed")).to_have_value("2026-11-02T09:30")
    axe(page, context_label="a listing with a mistake")
    areas.get_by_label("Nottingham", exact=True).check()
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    axe(page, context_label="a listing corrected")
    listing.refresh_from_db()
    assert [a.name for a in listing.areas.all()] == ["Nottingham"]
    assert timezone.localtime(listing.last_confirmed).strftime("%Y-%m-%d %H:%M") == "2026-11-02 09:30"


def test_case_study_admin_pages_pass_axe(page, axe, moderator, django_user_model):
    colleague = django_user_model.objects.create_user("colleague", "colleague@linkup.test", is_staff=True)
    case_study = UnpublishedCaseStudyFactory(title="Panel for care leavers", summary="Met once a month.")
    moderation_record_submission(obj=case_study)
    submission_request_changes(submission=case_study, moderator=moderator, note="Say how often.")
    case_study.refresh_from_db()
    case_study_resubmit(
        case_study=case_study,
        data={"summary": "Met every week.", "client_groups": list(case_study.client_groups.all())},
    )
    moderation_claim(obj=case_study, user=colleague)
    moderation_note_add(obj=case_study, author=colleague, text="Rang them to check the figures.")
    Feedback.objects.create(
        path="/case-studies/", case_study=case_study, problem=Problem.OUT_OF_DATE, details="Old"
    )
    admin_sign_in(page, username=moderator.username, password=moderator.plain_password)
    _walk(
        page,
        axe,
        opts=case_study._meta,
        obj=case_study,
        queue_filters=["status__exact=submitted", "claim=others", "queue=waiting"],
        changed_text="every week",
    )
