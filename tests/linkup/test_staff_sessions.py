"""Staff session limits: idle and absolute expiry, new key at sign-in,
deactivation ends sessions."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from linkup.audit import AuditEvent
from linkup.staff_sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.conftest import staff_otp_token

pytestmark = pytest.mark.django_db


def shift_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_active_session_is_kept(otp_client, moderator):
    client = otp_client(moderator)
    shift_session(client, staff_signed_in_at=11 * 3600, staff_last_seen_at=29 * 60)
    assert client.get(reverse("admin:index")).status_code == 200
    assert time.time() - client.session[LAST_SEEN_AT] < 5


def test_idle_session_ends_after_30_minutes(otp_client, moderator):
    client = otp_client(moderator)
    shift_session(client, staff_signed_in_at=31 * 60, staff_last_seen_at=31 * 60)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        kind="session_expired", user=moderator, detail="30 minutes idle"
    ).exists()


def test_session_ends_12_hours_after_sign_in_however_active(otp_client, moderator):
    client = otp_client(moderator)
    shift_session(client, staff_signed_in_at=12 * 3600 + 60, staff_last_seen_at=10)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind="session_expired", detail="12 hours since sign-in").exists()


def test_sign_in_records_session_times(otp_client, moderator):
    client = otp_client(moderator)
    assert client.session[SIGNED_IN_AT] == pytest.approx(time.time(), abs=10)


def test_sign_in_gives_a_new_session_key(moderator):
    client = Client()
    client.get(reverse("admin:login"))
    token = staff_otp_token(moderator)
    response = client.post(
        reverse("admin:login"), {"username": "moderator", "password": moderator.plain_password}
    )
    before_code = client.cookies["sessionid"].value
    client.post(response["Location"], {"code": token})
    after = client.cookies["sessionid"].value
    assert after != before_code
    assert not Session.objects.filter(session_key=before_code).exists()
    assert client.get(reverse("admin:index")).status_code == 200


def test_password_step_gives_a_new_session_key(moderator):
    client = Client()
    session = client.session
    session["planted"] = "by someone else"
    session.save()
    planted_key = session.session_key
    staff_otp_token(moderator)
    client.post(reverse("admin:login"), {"username": "moderator", "password": moderator.plain_password})
    assert client.cookies["sessionid"].value != planted_key


def test_deactivating_a_user_ends_their_sessions_at_once(otp_client, moderator, django_user_model):
    first, second = otp_client(moderator), otp_client(moderator)
    other = django_user_model.objects.create_user(username="other", password="x" * 12, is_staff=True)
    others = otp_client(other)
    assert Session.objects.count() == 3

    moderator.is_active = False
    moderator.save()

    assert Session.objects.count() == 1
    assert first.get(reverse("admin:index")).status_code == 302
    assert second.get(reverse("admin:index")).status_code == 302
    assert others.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(kind="sessions_ended", user=moderator).exists()
