""" "Ask about this example" in a real browser: the link on the example, the
form with its errors, "check your e-mail", the confirm page and the question
sent, with axe on each; the sender of the example's address never shows."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from directory.models import ContactRequest
from tests.casestudies.factories import CaseStudyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SUBMITTER = "priya.private@example.nhs.test"


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_ask_about_this_example(page, axe, run_jobs):
    study = CaseStudyFactory(
        title="Derby homes first", contact_through_portal=True, submitter_email=SUBMITTER
    )
    page.goto(study.get_absolute_url())
    page.get_by_role("link", name="Ask about this example").click()
    expect(page.locator("h1")).to_have_text("Ask about this example")
    axe(page, context_label="ask about this example")
    page.click("main button:has-text('Send question')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your question")
    axe(page, context_label="ask form with errors")
    page.fill("#id_sender_name", "Sam Sender")
    page.fill("#id_sender_job_title", "Work coach")
    page.fill("#id_sender_organisation", "Jobcentre Plus")
    page.fill("#id_sender_email", "sam@example.gov.test")
    page.fill("#id_message", "Her date of birth is 12/03/1990.")
    page.click("main button:has-text('Send question')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Remove what looks like a date of birth")
    expect(page.locator("#id_sender_organisation")).to_have_value("Jobcentre Plus")
    axe(page, context_label="ask form with identifying details")
    page.fill("#id_message", "How did you fund the housing link worker?")
    page.click("main button:has-text('Send question')")
    expect(page.locator("h1")).to_have_text("Check your e-mail to send your question")
    axe(page, context_label="check your e-mail to send your question")
    assert SUBMITTER not in page.content()
    run_jobs()
    (confirm,) = mail.outbox

    confirm_path = path_of(re.search(r"https?://\S+/ask/confirm/\S+/", confirm.body).group())
    page.goto(confirm_path)
    expect(page.locator("h1")).to_have_text("Send your question about this example")
    axe(page, context_label="confirm a question")
    page.click("main button:has-text('Send question')")
    expect(page.locator(".govuk-panel")).to_contain_text("Question sent")
    axe(page, context_label="question sent")
    assert SUBMITTER not in page.content()
    run_jobs()
    assert mail.outbox[1].to == [SUBMITTER]
    assert ContactRequest.objects.get().emailed_at is not None
    page.goto(confirm_path[:-5] + "xxxx/")
    expect(page.locator("h1")).to_have_text("This link has expired")
    expect(page.locator("main a", has_text="Ask your question again")).to_be_visible()
    axe(page, context_label="question link expired")
