"""Sharing an example, end to end in a real browser: submit (correcting an
error), moderator asks for changes, submitter edits through the e-mailed
link, moderator publishes, and the example is public."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from casestudies.models import CaseStudy
from linkup.moderation import Status
from tests.conftest import admin_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def continue_(page):
    page.click("main form button[type=submit]")


def test_share_moderate_change_and_publish(page, axe, moderator, live_server, run_jobs):
    page.goto("/case-studies/share/")
    axe(page, context_label="start page")
    page.click("text=Start now")

    # About you, with an error corrected on the way.
    axe(page, context_label="about you")
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, context_label="about you with errors")
    page.fill("#id_submitter_name", "Sam Adviser")
    page.fill("#id_submitter_job_title", "Personal adviser")
    page.fill("#id_submitter_organisation", "Brackenford Council")
    page.fill("#id_submitter_email", "sam.adviser@example.test")
    page.check("#id_show_contact_1")
    continue_(page)

    axe(page, context_label="where and who")
    continue_(page)
    axe(page, context_label="where and who with errors")
    page.check("#id_region_0")
    page.check("#id_client_groups_0")
    page.fill("#id_organisations", "Leaving care team and Brackenford Homes")
    continue_(page)

    axe(page, context_label="what you did")
    continue_(page)
    axe(page, context_label="what you did with errors")
    page.fill("#id_example_title", "Joint housing panel for care leavers")
    page.fill("#id_summary", "A monthly panel planned each move together.")
    page.fill("#id_challenge", "Young people left care with nowhere settled to live.")
    page.fill("#id_approach", "Leaving care and housing staff met monthly.")
    continue_(page)

    axe(page, context_label="results and lessons")
    page.fill("#id_results", "Eight of ten young people were settled a year later.")
    page.fill("#id_lessons", "Agree one plan and one named lead.")
    continue_(page)

    # The evidence questions may all be left unknown (tests/browser/test_evidence_steps.py answers them).
    continue_(page)  # people helped
    page.check("#id_add_another_1")  # no results in numbers
    continue_(page)
    continue_(page)  # how measured
    continue_(page)  # costs
    continue_(page)  # evidence level

    axe(page, context_label="permission")
    continue_(page)
    axe(page, context_label="permission with errors")
    page.check("#id_consent_to_publish")
    continue_(page)

    expect(page.locator("h1")).to_have_text("Check your answers before sending your example")
    axe(page, context_label="check answers")
    page.click("text=Accept and send")
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Example sent")
    axe(page, context_label="confirmation")
    case_study = CaseStudy.objects.get()
    assert case_study.reference in panel.inner_text()
    assert case_study.status == Status.SUBMITTED

    # Status page: no answers, a wrong pair, then the right pair; the two
    # pairs get the same page, and only the right one an e-mail.
    page.goto("/case-studies/check-your-submission/")
    axe(page, context_label="status form")
    page.click("main form button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your reference number")
    axe(page, context_label="status form with error")
    run_jobs()  # the acknowledgements of the example itself
    sent_before = len(mail.outbox)
    page.fill("#id_reference", case_study.reference)
    page.fill("#id_email", "wrong@example.test")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("We have sent you an e-mail")
    axe(page, context_label="status look-up sent")
    wrong_pair = page.locator("main").inner_html()
    assert run_jobs() == [] and len(mail.outbox) == sent_before
    page.goto("/case-studies/check-your-submission/")
    page.fill("#id_reference", case_study.reference)
    page.fill("#id_email", "sam.adviser@example.test")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("We have sent you an e-mail")
    assert page.locator("main").inner_html() == wrong_pair
    assert len(run_jobs()) == 1
    assert "Status: Received" in mail.outbox[-1].body

    # The moderator asks for changes.
    admin_sign_in(page, username=moderator.username, password=moderator.plain_password)
    page.goto(f"/admin/casestudies/casestudy/{case_study.pk}/change/")
    page.click("text=Request changes")
    page.fill("#id_note", "Please say how many people were helped.")
    page.click("input[type=submit][value^='Yes']")
    case_study.refresh_from_db()
    assert case_study.status == Status.CHANGES_REQUESTED
    page.context.clear_cookies()

    # The submitter follows the e-mailed link and sends changes.
    run_jobs()
    message = next(
        m for m in mail.outbox if "change" in m.subject.lower() and m.to == ["sam.adviser@example.test"]
    )
    edit_link = re.search(r"https?://\S+/case-studies/share/change/\S+/", message.body).group()
    page.goto(path_of(edit_link))
    expect(page.locator("body")).to_contain_text("Please say how many people were helped.")
    axe(page, context_label="edit form")
    page.fill("#id_results", "")
    page.click("text=Send your changes")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, context_label="edit form with errors")
    page.fill("#id_results", "Twelve people helped; eight settled a year later.")
    page.click("text=Send your changes")
    expect(page.locator("h1")).to_contain_text("Changes sent")
    axe(page, context_label="changes sent")
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED

    # The moderator approves and publishes.
    admin_sign_in(page, username=moderator.username, password=moderator.plain_password)
    page.goto(f"/admin/casestudies/casestudy/{case_study.pk}/change/")
    page.click("text=Approve and publish")
    page.select_option(f"#id_evidence_level_{case_study.pk}", "1")
    page.click("input[type=submit][value^='Yes']")
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    page.context.clear_cookies()

    # It is public.
    response = page.goto(case_study.get_absolute_url())
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text("Joint housing panel for care leavers")
    assert "sam.adviser@example.test" not in page.content()
    page.goto("/case-studies/browse/")
    expect(page.locator("body")).to_contain_text("Joint housing panel for care leavers")
