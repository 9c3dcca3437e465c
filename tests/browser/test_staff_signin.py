"""Two-factor admin sign-in in a real browser, with axe on every step."""

import re

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import admin_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADMIN = f"/{settings.ADMIN_PATH}/"


def sign_in_password(page, user):
    page.goto(f"{ADMIN}login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.plain_password)
    page.click("main button[type=submit]")


def test_sign_in_page_is_accessible_with_and_without_errors(page, axe):
    page.goto(f"{ADMIN}login/")
    axe(page, context_label="sign-in")
    page.click("main button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, context_label="sign-in with errors")


def test_first_sign_in_enrols_then_shows_backup_codes(page, axe, moderator):
    sign_in_password(page, moderator)
    expect(page).to_have_url(re.compile("/login/enrol/"))
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    axe(page, context_label="enrolment")

    page.fill("#id_code", "999999")
    page.click("main button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, context_label="enrolment with errors")

    device = TOTPDevice.objects.get(user=moderator)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    page.fill("#id_code", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    expect(page.locator(".app-backup-codes li")).to_have_count(10)
    axe(page, context_label="backup codes")
    page.click("text=Continue to administration")
    expect(page.locator("#user-tools")).to_be_visible()  # signed in to admin
    assert page.url.endswith(ADMIN)


def test_verify_page_is_accessible_and_password_alone_gets_no_admin_page(page, axe, moderator):
    from tests.conftest import staff_otp_token

    staff_otp_token(moderator)
    sign_in_password(page, moderator)
    assert "/login/verify/" in page.url
    axe(page, context_label="verification")
    page.fill("#id_code", "000000")
    page.click("main button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, context_label="verification with errors")
    # Straight to admin with only the password: back to sign in.
    page.goto(ADMIN)
    expect(page).to_have_url(re.compile("/login/"))
    expect(page.get_by_role("heading", name="Sign in to administration")).to_be_visible()


def test_admin_sign_in_helper_reaches_admin(page, moderator):
    admin_sign_in(page, username=moderator.username, password=moderator.plain_password)
    assert page.url.endswith(ADMIN)
    expect(page.locator("#user-tools")).to_be_visible()  # signed in to admin
