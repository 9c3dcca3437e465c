"""E-mail alerts and feeds in a real browser: follow care leavers in the East
Midlands from the coverage grid, sign up (with its errors), confirm, get the
weekly digest, manage it and unsubscribe in one click; the "Get updates"
page and a feed opened in the browser. Axe on every page."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alerts.digests import alerts_send_digest
from alerts.models import Frequency, Subscription
from alerts.services import unsubscribe_url
from linkup.models import ClientGroup, Region
from tests.alerts.factories import SubscriptionFactory, topic_for
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADDRESS = "sam.worker@derby.gov.test"


def link_in(body, name):
    url = re.search(rf"http://\S+/email-alerts/{name}/\S+/", body).group(0)
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def east_midlands_care():
    return {
        "region": Region.objects.get(slug="east-midlands"),
        "care": ClientGroup.objects.get(slug="care-leavers"),
    }


def test_follow_care_leavers_in_the_east_midlands_confirm_digest_and_unsubscribe(
    page, axe, east_midlands_care, run_jobs
):
    region, care = east_midlands_care["region"], east_midlands_care["care"]
    CaseStudyFactory(title="An older example", region=region, client_groups=[care])

    page.goto("/case-studies/")
    page.get_by_role("link", name="1 case study: care leavers in East Midlands").click()
    page.get_by_role("link", name="Get e-mails about these results").click()
    expect(page.locator("#alert-topic")).to_have_text("Case studies for care leavers in the East Midlands")
    axe(page, context_label="alert sign-up")

    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your e-mail address")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how often you want to get e-mails")
    axe(page, context_label="alert sign-up with errors")
    page.fill("#id_email", "not-an-address")
    page.get_by_label("Once a week").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("in the correct format")
    expect(page.get_by_label("Once a week")).to_be_checked()
    axe(page, context_label="alert sign-up with a bad address")

    page.fill("#id_email", ADDRESS)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    axe(page, context_label="check your e-mail")
    assert [job.status for job in run_jobs()] == ["succeeded"]
    [confirm_mail] = mail.outbox
    assert not Subscription.objects.confirmed().exists()

    page.goto(link_in(confirm_mail.body, "confirm"))
    axe(page, context_label="confirm alert")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1")).to_have_text("You have signed up")
    axe(page, context_label="alert confirmed")

    new = CaseStudyFactory(
        title="Moving on together in Leicester",
        region=region,
        client_groups=[care],
        published_at=timezone.now(),
    )
    UnpublishedCaseStudyFactory(title="Not yet published", region=region, client_groups=[care])
    assert alerts_send_digest(frequency=Frequency.WEEKLY) == 1
    assert [job.status for job in run_jobs()] == ["succeeded"]
    assert len(mail.outbox) == 2
    digest = mail.outbox[-1]
    assert digest.to == [ADDRESS]
    assert new.title in digest.body and "Not yet published" not in digest.body
    assert "An older example" not in digest.body

    page.goto(link_in(digest.body, "manage"))
    expect(page.locator(".govuk-inset-text")).to_have_text(
        "Case studies for care leavers in the East Midlands"
    )
    axe(page, context_label="manage alert")
    page.get_by_label("Once a day").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    axe(page, context_label="manage alert, frequency changed")
    assert Subscription.objects.get().frequency == Frequency.DAILY

    one_click = link_in(digest.body, "unsubscribe")
    assert digest.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{one_click}>"
    page.goto(one_click)
    expect(page.locator("h1")).to_have_text("Unsubscribe from this alert")
    axe(page, context_label="unsubscribe confirm")
    # What a mail program does for "Unsubscribe": one POST, no page, no CSRF token.
    response = page.request.post(
        one_click,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200
    assert not Subscription.objects.exists()


def test_unsubscribe_done_and_an_expired_link(page, axe):
    subscription = SubscriptionFactory(topic=topic_for("region=london"))
    page.goto(unsubscribe_url(subscription).removeprefix("http://127.0.0.1:8000"))
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("h1")).to_have_text("You have unsubscribed")
    axe(page, context_label="unsubscribed")
    page.go_back()
    page.reload()
    expect(page.locator("h1")).to_have_text("This link does not work")
    axe(page, context_label="alert link expired")


def test_get_updates_page(page, axe):
    CaseStudyFactory(title="Shared tenancy support", region=Region.objects.get(slug="london"))
    page.goto("/case-studies/regions/london/")
    page.get_by_role("link", name="Atom feed of new case studies in London").click()
    expect(page.locator("h1")).to_have_text("Get updates")
    axe(page, context_label="get updates")
    address = page.get_by_label("Feed address").input_value()
    assert address.endswith("/case-studies/regions/london/feed/")
    expect(page.get_by_role("link", name="Get e-mails about these case studies")).to_have_attribute(
        "href", "/email-alerts/?region=london"
    )
    expect(page.get_by_role("link", name="feed", exact=True)).to_have_attribute(
        "href", "/case-studies/regions/london/feed/"
    )


def test_a_feed_opened_in_a_browser_is_a_readable_page(browser, live_server, axe):
    """Not the ``page`` fixture, which fails on any CSP report: Chromium adds
    its own banner, with inline style, to every XSLT page (XSLT is deprecated
    there), and the CSP blocks that style. The page the stylesheet makes has
    no inline script or style of its own."""
    CaseStudyFactory(
        title="Shared tenancy support",
        summary="A young person's move, planned by housing & leaving care <together>.",
        region=Region.objects.get(slug="london"),
    )
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    reports = []
    page.on("console", lambda m: reports.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/case-studies/regions/london/feed/")
    expect(page.locator("h1")).to_have_text("Link Up, Link In: new case studies in London")
    expect(page.get_by_role("link", name="Shared tenancy support")).to_be_visible()
    # The summary reads as its text, never as markup.
    expect(page.locator("main")).to_contain_text(
        "A young person's move, planned by housing & leaving care <together>."
    )
    # Styled by the site's own stylesheet.
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontWeight") == "700"
    # Nothing of the page's own is inline: no script, no style, no handler.
    own = "[...document.querySelectorAll('body *')].filter(e => !e.closest('xslt-warning-banner'))"
    assert page.evaluate("document.querySelectorAll('script, style').length") == 0
    assert page.evaluate(f"{own}.filter(e => e.hasAttribute('style')).length") == 0
    assert (
        page.evaluate(f"{own}.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length") == 0
    )
    # Whatever the CSP blocks is the browser's own banner's.
    banner = ("Applying inline style", "Executing inline event handler")
    assert all(report.startswith(banner) for report in reports), reports
    axe(page, context_label="feed in a browser")
    context.close()
