"""Page feedback in a real browser, with axe in every state: the block, the
form opened in it, its errors and the thank-you; and the same journey
without JavaScript, through the feedback page."""

import pytest
from playwright.sync_api import expect

from feedback.models import Feedback, Problem
from tests.casestudies.factories import CaseStudyFactory
from tests.directory.factories import ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_report_a_problem_with_a_case_study_in_the_page(page, axe):
    case_study = CaseStudyFactory(title="Housing first for care leavers")
    page.goto(case_study.get_absolute_url())
    block = page.locator("#feedback")
    expect(block.get_by_role("heading", name="Is this page useful?")).to_be_visible()
    axe(page, context_label="case study with the feedback block")

    page.locator("main").get_by_role("link", name="Report a problem with this page").click()
    form = block.locator("form#feedback-form")
    expect(form).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)  # the form's heading is the block's own
    expect(block.get_by_role("heading", name="Report a problem with this page")).to_be_focused()
    assert page.url.endswith(case_study.get_absolute_url())
    axe(page, context_label="report form in the block")

    form.get_by_role("button", name="Send").click()
    summary = block.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Select what is wrong with this page")).to_be_visible()
    axe(page, context_label="report form with errors")

    block.get_by_label("It is out of date").check()
    block.get_by_label("Tell us more (optional)").fill("The funding ended in 2011")
    block.get_by_role("button", name="Send").click()
    expect(block.get_by_text("Thank you for your feedback")).to_be_focused()
    assert page.url.endswith(case_study.get_absolute_url())
    axe(page, context_label="thank you in the block")

    report = Feedback.objects.get()
    assert (report.case_study, report.problem, report.details) == (
        case_study,
        Problem.OUT_OF_DATE,
        "The funding ended in 2011",
    )


def test_yes_and_no_in_the_page(page, axe):
    page.goto("/toolkit/")
    page.locator("#feedback").get_by_role("button", name="Yes this page is useful").click()
    expect(page.locator("#feedback").get_by_text("Thank you for your feedback")).to_be_visible()
    axe(page, context_label="thank you after yes")
    assert Feedback.objects.get().useful is True

    page.goto("/toolkit/")
    block = page.locator("#feedback")
    block.get_by_role("button", name="No this page is not useful").click()
    expect(block.get_by_role("heading", name="Help us improve this page")).to_be_visible()
    block.get_by_role("button", name="Cancel").click()
    expect(block.locator("form")).to_have_count(0)
    expect(block.get_by_role("button", name="No this page is not useful")).to_be_focused()

    block.get_by_role("button", name="No this page is not useful").click()
    block.get_by_label("A link is broken").check()
    block.get_by_label("Tell us more (optional)").fill("Ring me on 01632 960001")
    block.get_by_role("button", name="Send").click()
    expect(block.locator(".govuk-error-summary")).to_contain_text("Remove the e-mail address or phone number")
    # The other answers are kept.
    expect(block.get_by_label("A link is broken")).to_be_checked()
    axe(page, context_label="contact details refused in the block")
    block.get_by_label("Tell us more (optional)").fill("The link to the guidance")
    block.get_by_role("button", name="Send").click()
    expect(block.get_by_text("Thank you for your feedback")).to_be_visible()
    assert Feedback.objects.filter(useful=False, problem=Problem.BROKEN_LINK).count() == 1


def test_report_a_problem_with_a_profile_without_javascript(browser, live_server, axe):
    listing = ListingFactory(full_name="Priya Pemberton")
    # The portal's scripts never load (axe, run by the test, still can).
    context = browser.new_context(base_url=live_server.url)
    context.route("**/static/js/**", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(listing.get_absolute_url())
        axe(page, context_label="profile without JavaScript")
        page.locator("main").get_by_role("link", name="Report a problem with this page").click()
        expect(page.locator("h1")).to_have_text("Report a problem with this page")
        expect(page.get_by_text("Directory profile: Priya Pemberton")).to_be_visible()
        axe(page, context_label="feedback page")

        page.get_by_label("Something else").check()
        page.get_by_role("button", name="Send").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Tell us what is wrong with this page")
        axe(page, context_label="feedback page with errors")

        page.get_by_label("Tell us more (optional)").fill("They have moved to another team")
        page.get_by_label("Your e-mail address (optional)").fill("colleague@example.gov.test")
        page.get_by_role("button", name="Send").click()
        page.wait_for_url(f"**{listing.get_absolute_url()}#feedback")
        expect(page.locator("#feedback").get_by_text("Thank you for your feedback")).to_be_visible()
        axe(page, context_label="profile with the thank-you")
        report = Feedback.objects.get()
        assert (report.listing, report.email) == (listing, "colleague@example.gov.test")

        # "Yes" without JavaScript: one more step on the feedback page.
        page.goto("/toolkit/")
        page.locator("#feedback").get_by_role("button", name="Yes this page is useful").click()
        expect(page.locator("h1")).to_have_text("Is this page useful?")
        axe(page, context_label="confirming yes")
        page.get_by_role("button", name="Send").click()
        page.wait_for_url("**/toolkit/#feedback")
        assert Feedback.objects.filter(useful=True, path="/toolkit/").count() == 1
    finally:
        context.close()
