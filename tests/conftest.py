"""Fixtures shared by every test: a clean cache, and a real browser with an
axe-core accessibility check."""

import json
import os
from pathlib import Path

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_DIR = Path(__file__).resolve().parent.parent
AXE_SOURCE = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # Rate limits and cached fragments live in the shared cache (a database
    # table by default), so only tests that use the database can have any.
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A browser page on the live server; fails the test on any CSP violation."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, f"Content Security Policy violations: {problems}"


def assert_accessible(page, *, context_label=""):
    """Run axe-core on the page and fail on any WCAG 2.2 A or AA violation."""
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]
    where = context_label or page.url
    assert not violations, f"Accessibility violations on {where}:\n{json.dumps(violations, indent=2)}"


@pytest.fixture
def axe():
    return assert_accessible


def admin_sign_in(page, *, username, password):
    """Sign a member of staff into admin in the browser. Every browser test
    that needs admin uses this, so a change to how staff sign in is made once."""
    from django.conf import settings

    page.goto(f"/{settings.ADMIN_PATH}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit], button[type=submit]")


@pytest.fixture
def moderator(django_user_model):
    """A member of staff in the Moderators group, with a known password."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="moderator",
        email="moderator@linkup.test",
        password="correct-horse-battery-staple",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    user.plain_password = "correct-horse-battery-staple"
    return user
