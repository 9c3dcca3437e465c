"""The Cookie header check, and the security headers on responses that are
not pages: static files, redirects and the Cookie refusal itself."""

from unittest import mock

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.hostile import HOSTILE_COOKIES

pytestmark = pytest.mark.django_db


def parse_cookie_refused(raw):
    raise AssertionError("the Cookie header was parsed")


@pytest.mark.parametrize("cookie", HOSTILE_COOKIES.values(), ids=HOSTILE_COOKIES)
def test_an_abusive_cookie_header_is_refused_before_it_is_parsed(client, cookie):
    with mock.patch("django.core.handlers.wsgi.parse_cookie", parse_cookie_refused):
        response = client.get(reverse("healthz"), HTTP_COOKIE=cookie)
    assert response.status_code == 400
    assert response.content == b"Bad request: the Cookie header is too large.\n"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_refusal_to_head_has_no_body(client):
    response = client.head(reverse("healthz"), HTTP_COOKIE=HOSTILE_COOKIES["an-oversized-header"])
    assert response.status_code == 400
    assert response.content == b""


def test_ordinary_cookies_pass():
    client = Client()
    client.get(reverse("casestudies:submit_step", args=["about-you"]))
    client.cookies["sessionid"] = "k" * 32
    client.cookies["messages"] = "a:b" * 600
    response = client.get(reverse("home"))
    assert response.status_code == 200


@override_settings(COOKIE_HEADER_MAX_LENGTH=100_000, COOKIE_HEADER_MAX_BACKSLASHES=10)
def test_the_limits_are_settings(client):
    assert client.get(reverse("healthz"), HTTP_COOKIE="a=" + "x" * 50_000).status_code == 200
    assert client.get(reverse("healthz"), HTTP_COOKIE='a="' + "\\" * 12 + '"').status_code == 400


def assert_security_headers(response, label):
    for header in ("Content-Security-Policy", "Permissions-Policy", "Referrer-Policy"):
        assert header in response.headers, f"{label}: no {header}"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], label
    assert response.headers["X-Frame-Options"] == "DENY", label
    assert response.headers["X-Content-Type-Options"] == "nosniff", label
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin", label


@override_settings(WHITENOISE_USE_FINDERS=True)
def test_static_files_carry_the_security_headers_and_no_open_cors():
    response = Client().get("/static/app.css", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert_security_headers(response, "static file")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_whitenoise_adds_the_security_headers_itself():
    """For files served without the middleware around them (whitenoise as
    the WSGI application)."""
    from django.conf import settings

    from linkup.middleware import security_headers

    headers = {"Content-Type": "text/css"}
    settings.WHITENOISE_ADD_HEADERS_FUNCTION(headers, "/srv/app.css", "/static/app.css")
    assert headers == {"Content-Type": "text/css", **security_headers()}
    assert settings.WHITENOISE_ALLOW_ALL_ORIGINS is False


def test_a_trailing_slash_redirect_carries_the_security_headers(client):
    response = client.get("/privacy")
    assert response.status_code == 301
    assert_security_headers(response, "trailing-slash redirect")


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_https_redirect_carries_the_security_headers(client):
    response = client.get(reverse("home"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert_security_headers(response, "HTTPS redirect")
