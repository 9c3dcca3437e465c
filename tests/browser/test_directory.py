"""The directory in a real browser: search with a typo, filter by area, open
a profile, send a request to connect; axe on every page type."""

import pytest
from django.core import mail

from directory.models import ContactRequest
from linkup.models import LocalAuthority
from tests.directory.factories import ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_search_filter_profile_and_connect(page, axe):
    derby = LocalAuthority.objects.get(slug="derby")
    ListingFactory(full_name="Priya Pemberton", job_title="Probation officer", areas=[derby])
    ListingFactory(full_name="Quentin Quarrie", job_title="Probation officer")
    ListingFactory(full_name="Opted In", show_contact=True)

    page.goto("/directory/")
    axe(page, context_label="directory home")
    page.fill("#directory-q", "probaton")
    page.press("#directory-q", "Enter")
    assert page.locator(".app-directory-result").count() == 2
    axe(page, context_label="search results")

    page.select_option("#id_area", "derby")
    page.click("button:has-text('Apply')")
    assert page.locator(".app-directory-result").count() == 1
    assert page.locator(".app-filter-tag", has_text="Area: Derby").count() == 1

    page.click("text=Priya Pemberton")
    axe(page, context_label="profile")
    page.click("a.govuk-button:has-text('Request to connect')")
    page.click("button:has-text('Send request')")
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page, context_label="connect form with errors")
    page.fill("#id_sender_name", "Sam Sender")
    page.fill("#id_sender_job_title", "Work coach")
    page.fill("#id_sender_organisation", "Jobcentre Plus")
    page.fill("#id_sender_email", "sam@example.gov.test")
    page.check("#id_reason_0")
    page.fill("#id_message", "Could we talk about housing for a shared client?")
    page.click("button:has-text('Send request')")
    assert page.locator("h1", has_text="Request sent").is_visible()
    axe(page, context_label="request sent")
    assert ContactRequest.objects.count() == 1
    assert len(mail.outbox) == 2


def test_forms_and_other_pages_are_accessible(page, axe):
    page.goto("/directory/search/?area=nowhere&q=housing")
    axe(page, context_label="search with an error")
    page.goto("/directory/add/")
    axe(page, context_label="add yourself")
    page.click("button:has-text('Send for checking')")
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page, context_label="add yourself with errors")
    page.goto("/directory/manage/")
    axe(page, context_label="manage request")
    page.click("button:has-text('Send me a link')")
    axe(page, context_label="manage request with errors")
    page.fill("#id_email", "nobody@example.test")
    page.click("button:has-text('Send me a link')")
    axe(page, context_label="check your e-mail")
    page.goto("/directory/manage/not-a-token/")
    axe(page, context_label="expired link")


def test_manage_pages_are_accessible(page, axe):
    from directory.services import MANAGE_PURPOSE
    from linkup.tokens import make_token

    listing = ListingFactory()
    token = make_token(listing, MANAGE_PURPOSE)
    for path, label in [
        (f"/directory/manage/{token}/", "manage"),
        (f"/directory/manage/{token}/edit/", "edit"),
        (f"/directory/manage/{token}/withdraw/", "withdraw"),
        (f"/directory/confirm/{token}/", "confirm (wrong purpose shows expired page)"),
    ]:
        page.goto(path)
        axe(page, context_label=label)
