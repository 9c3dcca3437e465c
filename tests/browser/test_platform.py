"""The layout and error pages in a real browser, checked with axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/", "/cookies/", "/contact/", "/missing/"])
def test_page_is_accessible(page, axe, path):
    page.goto(path)
    expect(page.locator("h1")).to_have_count(1)
    axe(page)


def test_govuk_frontend_javascript_runs(page):
    page.goto("/")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").lower().startswith("arial")
    )


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")


def test_layout_works_on_a_phone(browser, live_server, axe):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375
    axe(page, context_label="home page on a phone")
    context.close()


@pytest.mark.parametrize(
    ("status", "heading"),
    [
        (400, "Sorry, there is a problem with your request"),
        (403, "You do not have permission to see this page"),
        (500, "Sorry, there is a problem with the service"),
        (503, "Sorry, the service is unavailable"),
    ],
)
def test_error_pages_are_styled_and_accessible(page, axe, settings, status, heading):
    settings.ROOT_URLCONF = "tests.browser.error_urls"
    response = page.goto(f"/fail/{status}/")
    assert response.status == status
    assert page.locator("h1").inner_text() == heading
    assert "Traceback" not in page.content()
    axe(page, context_label=f"{status} page")


def test_too_many_requests_page_is_styled_and_accessible(page, axe, settings):
    settings.DIRECTORY_RATE_LIMIT_PER_MINUTE = 1
    assert page.goto("/directory/search/?q=housing").status == 200
    response = page.goto("/directory/search/?q=housing")
    assert response.status == 429
    expect(page.locator("h1")).to_have_text("Sorry, you have made too many requests")
    axe(page, context_label="429 page")
