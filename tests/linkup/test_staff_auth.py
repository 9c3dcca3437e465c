"""Two-factor sign-in for admin: password, then authenticator or backup code."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from linkup.audit import AuditEvent
from linkup.staff_auth import staff_backup_codes_issue, too_many_attempts
from tests.conftest import staff_otp_token

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="chief", email="", password=PASSWORD)


def sign_in_password(client, username, password=PASSWORD, next_url=None):
    url = reverse("admin:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_password_alone_reaches_no_admin_page(client, superuser):
    staff_otp_token(superuser)  # has an authenticator
    response = sign_in_password(client, "chief")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login_verify"))
    # Not signed in yet: every admin page sends them back to sign in.
    for url in [
        reverse("admin:index"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:password_change"),
        reverse("admin:linkup_auditevent_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    assert "_auth_user_id" not in client.session


def test_force_login_without_second_factor_gets_no_admin_page(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_password_then_code_signs_in(client, superuser):
    token = staff_otp_token(superuser)
    response = sign_in_password(client, "chief", next_url=reverse("admin:auth_user_changelist"))
    response = client.post(response["Location"], {"code": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:auth_user_changelist")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY]


def test_wrong_code_is_refused_and_audited(client, superuser):
    staff_otp_token(superuser)
    sign_in_password(client, "chief")
    response = client.post(reverse("admin:login_verify"), {"code": "000000"})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    assert AuditEvent.objects.filter(kind="second_factor_failed", user=superuser).exists()


def throttle(user, *, failures: int, ago: datetime.timedelta = datetime.timedelta(0)):
    """Every device of ``user`` as django-otp leaves it after ``failures`` wrong codes."""
    when = timezone.now() - ago
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(
            throttling_failure_count=failures, throttling_failure_timestamp=when
        )


def test_a_right_code_while_throttled_says_too_many_attempts_and_how_long(client, superuser):
    token = staff_otp_token(superuser)
    staff_backup_codes_issue(user=superuser)
    # After 10 failures django-otp refuses every code for 2**9 seconds.
    throttle(superuser, failures=10)
    sign_in_password(client, "chief")
    response = client.post(reverse("admin:login_verify"), {"code": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There have been too many attempts to enter a code. Wait 9 minutes, then enter a new code" in html
    assert "The code is not right" not in html
    assert client.get(reverse("admin:index")).status_code == 302
    assert AuditEvent.objects.filter(
        kind="second_factor_failed", user=superuser, detail="too many attempts"
    ).exists()

    # Once the wait is over, the same code signs in.
    throttle(superuser, failures=10, ago=datetime.timedelta(seconds=513))
    assert client.post(reverse("admin:login_verify"), {"code": token}).status_code == 302


def test_enrolment_while_throttled_says_too_many_attempts(client, superuser):
    response = client.get(sign_in_password(client, "chief")["Location"])
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    throttle(superuser, failures=1)
    response = client.post(reverse("admin:login_enrol"), {"code": code_for(device)})
    assert "too many attempts to enter a code. Wait 1 second, then" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.parametrize(
    ("wait", "words"),
    [(1, "Wait 1 second,"), (59, "Wait 59 seconds,"), (60, "Wait 1 minute,"), (61, "Wait 2 minutes,")],
)
def test_the_wait_is_said_in_seconds_or_whole_minutes(wait, words):
    assert words in too_many_attempts(wait)


def test_a_code_works_only_once(superuser):
    token = staff_otp_token(superuser)
    first, second = Client(), Client()
    sign_in_password(first, "chief")
    assert first.post(reverse("admin:login_verify"), {"code": token}).status_code == 302
    sign_in_password(second, "chief")
    assert second.post(reverse("admin:login_verify"), {"code": token}).status_code == 200


def test_verify_page_without_password_step_goes_back_to_sign_in(client):
    response = client.get(reverse("admin:login_verify"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_non_staff_cannot_start_sign_in(client, django_user_model):
    django_user_model.objects.create_user(username="public", password=PASSWORD)
    response = sign_in_password(client, "public")
    assert response.status_code == 200
    assert "staff" in response.content.decode()


def test_first_sign_in_enrols_with_qr_code_and_backup_codes(client, superuser):
    response = sign_in_password(client, "chief")
    assert response["Location"].startswith(reverse("admin:login_enrol"))
    response = client.get(response["Location"])
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert "<script" not in html.split("</head>")[1].replace('<script type="module"', "")
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)

    response = client.post(reverse("admin:login_enrol"), {"code": "123456x"})
    assert "The code is not right" in response.content.decode()
    # A wrong code makes the next try wait a moment (django-otp's throttling).
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    response = client.post(reverse("admin:login_enrol"), {"code": code_for(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = list(StaticToken.objects.filter(device__user=superuser).values_list("token", flat=True))
    assert len(codes) == 10
    html = response.content.decode()
    assert all(code in html for code in codes)
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(kind="second_factor_enrolled", user=superuser).exists()


def test_enrolled_user_cannot_enrol_again(client, superuser):
    staff_otp_token(superuser)
    sign_in_password(client, "chief")
    response = client.get(reverse("admin:login_enrol"))
    assert response["Location"].startswith(reverse("admin:login_verify"))


def test_a_user_without_an_authenticator_is_sent_from_the_code_to_enrolment(client, superuser):
    sign_in_password(client, "chief", next_url="/admin/linkup/")
    response = client.get(reverse("admin:login_verify") + "?next=/admin/linkup/")
    assert response["Location"].startswith(reverse("admin:login_enrol"))
    assert response["Location"].endswith("?next=%2Fadmin%2Flinkup%2F")


def test_backup_code_signs_in_once(superuser):
    from linkup.staff_auth import staff_backup_codes_issue

    staff_otp_token(superuser)
    code = staff_backup_codes_issue(user=superuser)[0]
    first = Client()
    sign_in_password(first, "chief")
    assert first.post(reverse("admin:login_verify"), {"code": code.upper()}).status_code == 302
    assert first.get(reverse("admin:index")).status_code == 200
    assert StaticToken.objects.filter(device__user=superuser).count() == 9
    assert AuditEvent.objects.filter(kind="backup_code_used", user=superuser).exists()

    second = Client()
    sign_in_password(second, "chief")
    assert second.post(reverse("admin:login_verify"), {"code": code}).status_code == 200
    assert second.get(reverse("admin:index")).status_code == 302


def test_pending_password_step_expires(client, superuser, monkeypatch):
    import time

    token = staff_otp_token(superuser)
    sign_in_password(client, "chief")
    later = time.time() + 6 * 60
    monkeypatch.setattr("linkup.staff_auth.time.time", lambda: later)
    response = client.post(reverse("admin:login_verify"), {"code": token})
    assert response["Location"].startswith(reverse("admin:login"))


def test_reset_staff_device_command(superuser, otp_client):
    from linkup.staff_auth import staff_backup_codes_issue

    signed_in = otp_client(superuser)
    staff_backup_codes_issue(user=superuser)
    call_command("reset_staff_device", "chief", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not TOTPDevice.objects.filter(user=superuser).exists()
    assert not StaticDevice.objects.filter(user=superuser).exists()
    # Signed out everywhere, and enrols again at the next sign-in.
    assert signed_in.get(reverse("admin:index")).status_code == 302
    client = Client()
    assert sign_in_password(client, "chief")["Location"].startswith(reverse("admin:login_enrol"))
    assert AuditEvent.objects.filter(kind="second_factor_reset", user=superuser).exists()


def test_reset_staff_device_unknown_user():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reset_staff_device", "nobody")


def test_ensure_local_admin_mentions_enrolment(tmp_path, monkeypatch):
    from io import StringIO

    from linkup.management.commands import ensure_local_admin

    monkeypatch.setattr(ensure_local_admin, "PASSWORD_FILE", tmp_path / "local-admin-password")
    out = StringIO()
    call_command("ensure_local_admin", stdout=out)
    assert "authenticator app" in out.getvalue()


# --- Lockout ------------------------------------------------------------------------


def test_lockout_after_five_failures_and_cool_off(client, superuser, settings):
    from axes.models import AccessAttempt

    token = staff_otp_token(superuser)
    for _ in range(5):
        sign_in_password(client, "chief", password="wrong-password-123")
    response = sign_in_password(client, "chief")  # right password, but locked
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert AuditEvent.objects.filter(kind="locked_out", user=superuser).exists()
    assert AuditEvent.objects.filter(kind="sign_in_failed", username="chief").count() >= 5

    # Another address is not locked out by this one.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert sign_in_password(other, "chief")["Location"].startswith(reverse("admin:login_verify"))

    # After the cool-off (15 minutes), the same address may sign in again.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    response = sign_in_password(client, "chief")
    assert response.status_code == 302
    assert client.post(response["Location"], {"code": token}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_behind_a_proxy_the_lockout_keys_on_the_client_not_the_proxy(superuser, settings):
    """Everyone arrives from the proxy's address; the client is the last
    address it forwards. Five wrong passwords lock out the attacker only."""
    from axes.models import AccessAttempt

    token = staff_otp_token(superuser)
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.66")
    staff = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(5):
        sign_in_password(attacker, "chief", password="wrong-password-123")
    assert sign_in_password(attacker, "chief").status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.66"]

    response = sign_in_password(staff, "chief")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login_verify"))
    assert staff.post(response["Location"], {"code": token}).status_code == 302
    assert staff.get(reverse("admin:index")).status_code == 200
    # A forged extra hop does not move the attacker to a fresh address.
    forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.66")
    assert sign_in_password(forged, "chief").status_code == 429


def test_lockout_rule_matches_readme(settings):
    from pathlib import Path

    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME * 60 == 15
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert "after 5 failed attempts for the same username" in readme
    assert "paused for 15 minutes" in readme
