"""The directory in a real browser: search with a typo, filter by area, open
a profile, send a request to connect; add yourself, confirm, change and
remove a listing through the links the site e-mails; axe on every page type."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import ContactRequest, Listing
from directory.services import contact_report_url
from linkup.models import LocalAuthority
from linkup.moderation import Status
from tests.directory.factories import ContactRequestFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_search_filter_profile_and_connect(page, axe, run_jobs):
    derby = LocalAuthority.objects.get(slug="derby")
    ListingFactory(full_name="Priya Pemberton", job_title="Probation officer", areas=[derby])
    ListingFactory(full_name="Quentin Quarrie", job_title="Probation officer")
    ListingFactory(full_name="Opted In", show_contact=True)

    page.goto("/directory/")
    axe(page, context_label="directory home")
    page.fill("#directory-q", "probaton")
    page.press("#directory-q", "Enter")
    expect(page.locator(".app-directory-result")).to_have_count(2)
    axe(page, context_label="search results")

    page.select_option("#id_area", "derby")
    page.click("button:has-text('Apply')")
    expect(page.locator(".app-directory-result")).to_have_count(1)
    expect(page.locator(".app-filter-tag", has_text="Area: Derby")).to_have_count(1)
    # The usual order (relevance, for a keyword) is the sort box's first option.
    expect(page.locator("#id_sort")).to_have_value("")
    expect(page.locator("#id_sort option:checked")).to_have_text("Relevance")
    expect(page.locator("#sort-order")).to_have_text("Sorted by: Relevance")

    page.click("text=Priya Pemberton")
    axe(page, context_label="profile")
    page.click("a.govuk-button:has-text('Request to connect')")
    page.click("button:has-text('Send request')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, context_label="connect form with errors")
    page.fill("#id_sender_name", "Sam Sender")
    page.fill("#id_sender_job_title", "Work coach")
    page.fill("#id_sender_organisation", "Jobcentre Plus")
    page.fill("#id_sender_email", "sam@example.gov.test")
    page.check("#id_reason_0")
    # A clear identifier is refused, with what to remove; the other answers stay.
    page.fill("#id_message", "Her NHS number is 943 476 5919 and she lives at 14 Acacia Avenue.")
    page.click("button:has-text('Send request')")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Remove what looks like an NHS number")
    expect(summary).to_contain_text("a street address")
    expect(page.locator("#id_sender_organisation")).to_have_value("Jobcentre Plus")
    axe(page, context_label="connect form with identifying details")
    page.fill("#id_message", "Could we talk about housing for a shared client?")
    page.click("button:has-text('Send request')")
    expect(page.locator("h1", has_text="Check your e-mail to send your request")).to_be_visible()
    axe(page, context_label="check your e-mail to send your request")
    assert ContactRequest.objects.count() == 1
    run_jobs()
    (confirm,) = mail.outbox
    assert confirm.to == ["sam@example.gov.test"]

    # The sender confirms: the request goes, once.
    confirm_path = path_of(re.search(r"https?://\S+/connect/confirm/\S+/", confirm.body).group())
    page.goto(confirm_path)
    axe(page, context_label="confirm a request to connect")
    page.click("main button:has-text('Send request')")
    expect(page.locator("h1", has_text="Request sent")).to_be_visible()
    axe(page, context_label="request sent")
    assert [job.status for job in run_jobs()] == ["succeeded", "succeeded"]
    assert len(mail.outbox) == 3 and mail.outbox[1].to == [ContactRequest.objects.get().listing.email]
    assert ContactRequest.objects.get().emailed_at is not None
    page.goto(confirm_path)
    expect(page.locator("h1")).to_have_text("Your request has already been sent")
    axe(page, context_label="request already sent")
    assert not run_jobs() and len(mail.outbox) == 3
    page.goto(confirm_path[:-5] + "xxxx/")
    expect(page.locator("h1")).to_have_text("This link has expired")
    expect(page.locator("main a", has_text="Start your request to Priya Pemberton again")).to_be_visible()
    axe(page, context_label="confirm link expired")


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_the_professional_reports_a_request(page, axe, run_jobs):
    request = ContactRequestFactory(listing=ListingFactory(full_name="Pat Private"))
    report_path = path_of(contact_report_url(request))
    page.goto(report_path)
    axe(page, context_label="report a request")
    page.click("main button:has-text('Send report')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why you are reporting this message")
    axe(page, context_label="report with errors")
    page.check("#id_reason_0")
    page.fill("#id_details", "The third advert this week.")
    page.click("main button:has-text('Send report')")
    expect(page.locator(".govuk-panel")).to_contain_text("Report sent")
    axe(page, context_label="report sent")
    request.refresh_from_db()
    assert request.reported_at is not None and request.report_reason == "spam"
    run_jobs()
    assert len(mail.outbox) == 1
    page.goto(report_path)
    expect(page.locator("h1")).to_have_text("This message has already been reported")
    axe(page, context_label="already reported")
    page.goto(report_path[:-5] + "xxxx/")
    expect(page.locator("h1")).to_have_text("This link has expired")
    axe(page, context_label="report link expired")


def test_a_keyword_typed_after_a_filter_sorts_by_relevance(page, axe):
    ListingFactory(full_name="Ann Able", tags="", expertise="Some tenancy work")
    ListingFactory(full_name="Zed Best", job_title="Tenancy officer", tags="tenancy", expertise="Tenancy")
    page.goto("/directory/search/?agency=adult-social-care")
    expect(page.locator("#id_sort option:checked")).to_have_text("Name")
    expect(page.locator(".app-directory-result h3").first).to_have_text("Ann Able")
    page.fill("#id_q", "tenancy")
    page.click("button:has-text('Apply')")
    expect(page.locator("#id_sort option:checked")).to_have_text("Relevance")
    expect(page.locator(".app-directory-result h3").first).to_have_text("Zed Best")
    expect(page.locator("#results-count")).to_have_text("2 people found")
    axe(page, context_label="keyword and filter, by relevance")
    # A sort the user chooses is kept.
    page.select_option("#id_sort", "name")
    page.click("button:has-text('Apply')")
    expect(page.locator("#id_sort")).to_have_value("name")
    expect(page.locator(".app-directory-result h3").first).to_have_text("Ann Able")


def test_forms_and_other_pages_are_accessible(page, axe):
    page.goto("/directory/search/?area=nowhere&q=housing")
    axe(page, context_label="search with an error")
    page.goto("/directory/search/?q=care+leavers")
    expect(page.get_by_role("link", name="People who work with care leavers")).to_be_visible()
    axe(page, context_label="no one found, a client group named")
    page.goto("/directory/add/")
    axe(page, context_label="add yourself")
    page.click("button:has-text('Send for checking')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
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


def path_from_mail(run_jobs, pattern):
    """The site path of the link in the last e-mail sent, once the queue has
    sent it (the e-mail carries the full address on SITE_URL; the browser
    opens it on the live server)."""
    run_jobs()
    return re.search(rf"https?://[^/\s]+({pattern})", mail.outbox[-1].body).group(1)


def test_add_yourself_sent_page_is_accessible(page, axe):
    page.goto("/directory/add/")
    page.fill("#id_full_name", "Nia Newcomer")
    page.fill("#id_job_title", "Work coach")
    page.fill("#id_organisation", "Jobcentre Plus Leicester")
    page.select_option("#id_agency", label="Probation")
    page.get_by_label("Leicester", exact=True).check()
    page.get_by_label("Care leavers", exact=True).check()
    page.fill("#id_expertise", "Employment support for people on licence")
    page.get_by_label("Giving expert advice").check()
    page.fill("#id_email", "nia@example.gov.test")
    page.check("#id_show_contact_0")
    page.check("#id_consent")
    page.click("button:has-text('Send for checking')")
    page.wait_for_url("**/directory/add/sent/")
    expect(page.locator("h1")).to_have_text("Listing sent for checking")
    axe(page, context_label="add yourself: sent for checking")
    listing = Listing.objects.get()
    assert listing.full_name == "Nia Newcomer" and listing.status == Status.SUBMITTED


def test_confirm_link_and_done_page_are_accessible(page, axe, run_jobs):
    listing = ListingFactory(full_name="Cora Confirmer", last_confirmed=timezone.now() - timedelta(days=400))
    # The reminder e-mail, sent the way the site sends it, carries the confirm link.
    call_command("directory_freshness", stdout=io.StringIO())
    path = path_from_mail(run_jobs, r"/directory/confirm/\S+/")
    assert mail.outbox[-1].to == [listing.email]
    page.goto(path)
    expect(page.locator("h1")).to_have_text("Confirm your details are still right")
    expect(page.get_by_text("Cora Confirmer, Housing options officer")).to_be_visible()
    axe(page, context_label="confirm from the reminder")
    page.click("button:has-text('Confirm my details')")
    expect(page.locator("h1")).to_have_text("Details confirmed")
    axe(page, context_label="details confirmed")
    listing.refresh_from_db()
    assert listing.last_confirmed > timezone.now() - timedelta(minutes=5)


def ask_for_manage_link(page, run_jobs, email):
    """Ask for a manage link on the site and return its path from the e-mail."""
    page.goto("/directory/manage/")
    page.fill("#id_email", email)
    page.click("button:has-text('Send me a link')")
    page.wait_for_url("**/directory/manage/sent/")
    return path_from_mail(run_jobs, r"/directory/manage/\S+/")


def test_edit_and_withdraw_done_pages_are_accessible(page, axe, run_jobs):
    listing = ListingFactory(full_name="Eddie Editor", email="eddie@example.nhs.test")

    page.goto(ask_for_manage_link(page, run_jobs, "eddie@example.nhs.test"))
    expect(page.locator("h1")).to_have_text("Your listing")
    page.get_by_role("link", name="Change your details").click()
    page.fill("#id_job_title", "Senior housing options officer")
    page.check("#id_consent")
    page.click("button:has-text('Send changes for checking')")
    expect(page.locator("h1")).to_have_text("Changes sent for checking")
    axe(page, context_label="changes sent for checking")
    listing.refresh_from_db()
    assert listing.job_title == "Senior housing options officer" and listing.status == Status.SUBMITTED

    # The edit used up the link: withdrawing needs a new one.
    page.goto(ask_for_manage_link(page, run_jobs, "eddie@example.nhs.test"))
    page.get_by_role("link", name="Remove your listing from the directory").click()
    page.click("button:has-text('Remove my listing')")
    expect(page.locator("h1")).to_have_text("Listing removed")
    axe(page, context_label="listing removed")
    listing.refresh_from_db()
    assert listing.status == Status.WITHDRAWN
