"""The layout and error pages in a real browser, checked with axe-core."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/", "/cookies/", "/contact/", "/missing/"])
def test_page_is_accessible(page, axe, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
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
