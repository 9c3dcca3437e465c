"""linkup.ratelimit: atomic counts in PostgreSQL, shared by every process."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from linkup import ratelimit
from linkup.models import RateLimitCounter

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_hits_within_the_limit_pass_and_the_next_is_refused():
    results = [ratelimit.hit("search", "192.0.2.1", limit=3, window=60) for _ in range(5)]
    assert results == [True, True, True, False, False]


@pytest.mark.django_db
def test_a_refused_attempt_gets_the_page_saying_when_to_try_again():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    answers = [ratelimit.refused(request, "submit", limit=2, window=900) for _ in range(3)]
    assert answers[:2] == [None, None]
    assert answers[2].status_code == 429 and answers[2]["Retry-After"] == "900"
    assert "15 minutes" in answers[2].content.decode()


@pytest.mark.django_db
def test_limits_are_per_identity_and_per_scope():
    for _ in range(3):
        ratelimit.hit("search", "192.0.2.1", limit=3, window=60)
    assert not ratelimit.hit("search", "192.0.2.1", limit=3, window=60)
    assert ratelimit.hit("search", "192.0.2.2", limit=3, window=60)
    assert ratelimit.hit("submit", "192.0.2.1", limit=3, window=60)
    # The identity is normalised: case and spaces do not escape the limit.
    assert not ratelimit.hit("search", " 192.0.2.1 ".upper(), limit=3, window=60)


@pytest.mark.django_db
def test_a_new_window_starts_a_new_count(monkeypatch):
    now = 1_800_000_000.0  # the start of a 60-second window
    monkeypatch.setattr(ratelimit, "clock", lambda: now)
    assert ratelimit.hit("search", "192.0.2.1", limit=1, window=60)
    assert not ratelimit.hit("search", "192.0.2.1", limit=1, window=60)
    monkeypatch.setattr(ratelimit, "clock", lambda: now + 60)
    assert ratelimit.hit("search", "192.0.2.1", limit=1, window=60)


@pytest.mark.django_db
def test_counts_write_no_wal():
    # A hit commits without waiting for the disk: the table is unlogged.
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'linkup_ratelimitcounter'")
        assert cursor.fetchone() == ("u",)


@pytest.mark.django_db
def test_no_address_is_stored_in_clear():
    ratelimit.hit("search", "192.0.2.1", limit=3, window=60)
    (counter,) = RateLimitCounter.objects.all()
    assert "192.0.2.1" not in counter.key
    assert counter.key.startswith("search:") and counter.hits == 1


def test_client_address_trusts_only_configured_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.5"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 2
    assert ratelimit.client_address(request) == "198.51.100.9"


def test_too_many_requests_page():
    response = ratelimit.too_many_requests(RequestFactory().get("/"), retry_after=120)
    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assert "2 minutes" in response.content.decode()


# --- Two server processes, one database ------------------------------------------


@pytest.mark.django_db
def test_self_listings_are_limited_by_the_setting(client, settings):
    from tests.directory.test_flows import add_data

    settings.DIRECTORY_ADD_LIMIT_PER_HOUR = 1
    url = reverse("directory:add")
    assert client.post(url, add_data(email="one@example.gov.test")).status_code == 302
    assert client.post(url, add_data(email="two@example.gov.test")).status_code == 429


@pytest.mark.django_db
def test_manage_links_are_limited_by_the_settings(client, settings, run_jobs):
    from tests.directory.factories import ListingFactory

    ListingFactory(email="me@example.nhs.test")
    settings.DIRECTORY_MANAGE_EMAIL_LIMIT_PER_HOUR = 1
    url = reverse("directory:manage_request")
    for address in ("10.0.0.1", "10.0.0.2"):
        client.post(url, {"email": "me@example.nhs.test"}, REMOTE_ADDR=address)
    run_jobs()
    assert len(mail.outbox) == 1  # one link e-mailed, whichever address asks
    settings.DIRECTORY_MANAGE_EMAIL_LIMIT_PER_HOUR = 100
    settings.DIRECTORY_MANAGE_LIMIT_PER_HOUR = 1
    ListingFactory(email="other@example.nhs.test")
    for email in ("other@example.nhs.test", "me@example.nhs.test"):
        client.post(url, {"email": email}, REMOTE_ADDR="10.0.0.3")
    run_jobs()
    assert [message.to for message in mail.outbox[1:]] == [["other@example.nhs.test"]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - loopback only
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def two_servers():
    """Two `manage.py runserver --noreload` processes on the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.linkup.ratelimit_settings",
        "RATELIMIT_TEST_DB": connection.settings_dict["NAME"],
    }
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 60
        for url, server in zip(urls, servers, strict=True):
            while True:
                assert server.poll() is None, "a test server stopped"
                try:
                    if _get(f"{url}/ready/") == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "the test servers did not start"
                time.sleep(0.2)
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rate_limit_holds_across_two_server_processes(two_servers):
    from tests.linkup.ratelimit_urls import LIMIT

    first, second = two_servers
    # Requests split between the servers, many at once: the combined count is
    # what is limited, not each server's share.
    urls = [f"{(first, second)[i % 2]}/limited/" for i in range(4 * LIMIT)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(_get, urls))
    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == 3 * LIMIT, statuses
    # Both servers refuse once the shared limit is reached.
    assert _get(f"{first}/limited/") == 429
    assert _get(f"{second}/limited/") == 429
    (counter,) = RateLimitCounter.objects.all()
    assert counter.hits == 4 * LIMIT + 2
