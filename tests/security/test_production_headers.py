"""In production: HSTS, and cookies that are Secure, HttpOnly and SameSite."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.casestudies.submission_helpers import valid_answers

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@override_settings(**PRODUCTION)
def test_plain_http_is_redirected_to_https():
    response = Client().get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@override_settings(**PRODUCTION)
def test_hsts_and_secure_cookies():
    client = Client()
    response = client.get(reverse("casestudies:submit_step", args=["about-you"]), secure=True)
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("casestudies:submit_step", args=["about-you"]), valid_answers()["about-you"], secure=True
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
