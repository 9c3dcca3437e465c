"""Fixtures shared by every test: a clean cache, and a real browser with an
axe-core accessibility check."""

import asyncio
import json
import os
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from procrastinate.contrib.django.django_connector import DjangoConnector

from linkup import ratelimit

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
def _rate_limit_clock(monkeypatch):
    # A limit's window is a clock minute; one that ended between two requests
    # of a test would reset the count it is testing.
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_800_000_000.0)


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # The shared cache is a database table by default, so only tests that
    # use the database can have anything in it.
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    cache.clear()
    yield
    cache.clear()
    if {"transactional_db", "live_server"} & set(request.fixturenames) or _is_transactional(request):
        # The job queue's tables are not Django's to flush after a test that
        # commits: a job left unrun would be the next test's.
        from procrastinate.contrib.django.models import ProcrastinateJob

        ProcrastinateJob.objects.all().delete()


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.fixture
def no_page_cache(settings):
    """Pages built every time: for counting a page's own queries (the page
    cache's fixed cost is counted in tests/linkup/test_pagecache.py)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def count_queries():
    """How many queries a call makes. Query-count tests compare a page over
    5 rows with the same page over 50, so they fail only if a query is made
    per row."""

    def count(call) -> int:
        with CaptureQueriesContext(connection) as captured:
            call()
        return len(captured)

    return count


class JobArgumentsDecoded(DjangoConnector):
    """Django's connection, for a worker: Django reads JSON columns as text
    (its model fields decode them), and the worker needs a job's arguments
    decoded. A worker in production has a connection of its own."""

    @staticmethod
    def decoded(row: dict) -> dict:
        if isinstance(row.get("args"), str):
            row["args"] = json.loads(row["args"])
        return row

    def execute_query_one(self, query, **arguments):
        return self.decoded(super().execute_query_one(query, **arguments))

    def execute_query_all(self, query, **arguments):
        return [self.decoded(row) for row in super().execute_query_all(query, **arguments)]


def playwright_loop_running() -> bool:
    """Playwright's sync API keeps an event loop running in the test's thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def run_jobs():
    """Run the job queue's worker here until no job is due; return the jobs
    that were due, as they are afterwards (``status``, ``attempts``).

    Every test that checks an e-mail calls it: e-mails are jobs, and nothing
    is sent until a worker runs. The worker reads the real queue on Django's
    connection, so it sees what the test wrote in its own transaction; the
    jobs' database work runs on that connection too (Django's thread-sensitive
    executor is this thread under ``async_to_sync``). Django's clean-up around
    each job is left out for that reason: closing the connection would end
    the test's transaction."""
    from asgiref.sync import async_to_sync
    from django.db import connections
    from procrastinate.contrib.django import app
    from procrastinate.contrib.django.models import ProcrastinateJob

    from linkup.notifications import EMAIL_QUEUE

    def run(*, queues=(EMAIL_QUEUE,)) -> list:
        due = ProcrastinateJob.objects.filter(status="todo", queue_name__in=queues)
        due = list(due.values_list("pk", flat=True))
        worker = async_to_sync(app.run_worker_async)
        options = {
            "queues": list(queues),
            "wait": False,
            "listen_notify": False,
            "install_signal_handlers": False,
            "delete_jobs": "never",
            "task_middleware": [],
        }
        with app.replace_connector(JobArgumentsDecoded()):
            if playwright_loop_running():
                # Browser tests commit as they go, so a thread of its own
                # (with its own connection, closed after) sees everything.
                def in_thread():
                    try:
                        worker(**options)
                    finally:
                        connections.close_all()

                thread = threading.Thread(target=in_thread)
                thread.start()
                thread.join()
            else:
                worker(**options)
        return list(ProcrastinateJob.objects.filter(pk__in=due).order_by("pk"))

    return run


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # What serialized_rollback restores, kept on the connection objects made
    # when the test database was set up.
    serialized = {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        # Playwright's greenlet has its own context, where Django makes new
        # connection objects: give them the data too, or tests marked
        # serialized_rollback after a browser starts find reference data gone.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
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
    # A violation reported with no script address comes from code the test
    # itself evaluated: axe re-reads a stylesheet's @import (Django admin's
    # forms.css has one) through a <style> element, which the policy blocks.
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error"
            and "Content Security Policy" in message.text
            and message.location.get("url")
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, f"Content Security Policy violations: {problems}"


def assert_accessible(page, *, context_label=""):
    """Run axe-core on the page and fail on any WCAG 2.2 A or AA violation.

    A click that submits a form returns once the next page starts to load;
    axe waits for it to finish loading, so it never checks half a page."""
    page.wait_for_load_state("load")
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


def staff_otp_token(user) -> str:
    """A valid authenticator code for ``user`` (a User or a username), setting
    up a confirmed authenticator first if they have none. Tests only."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if isinstance(user, str):
        user = get_user_model().objects.get(username=user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    # A code is accepted once; forget the last one so a test may sign in again.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def admin_sign_in(page, *, username, password):
    """Sign a member of staff into admin in the browser: password, then a code
    from their authenticator (one is set up for them if they have none).
    Every browser test that needs admin uses this, so a change to how staff
    sign in is made once."""
    from django.conf import settings

    token = staff_otp_token(username)
    page.goto(f"/{settings.ADMIN_PATH}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.fill("#id_code", token)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/{settings.ADMIN_PATH}/**")


@pytest.fixture
def otp_client():
    """Django test clients signed in as a member of staff who has passed the
    second factor, as admin requires. ``client.force_login(user)`` alone
    no longer reaches any admin page. Use::

        def test_something(otp_client, moderator):
            client = otp_client(moderator)
            response = client.get(reverse("admin:index"))

    The user gets a confirmed authenticator if they have none."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def make(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


@pytest.fixture
def staff_client(otp_client, moderator):
    """A test client signed in (both factors) as the ``moderator`` fixture."""
    return otp_client(moderator)


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
