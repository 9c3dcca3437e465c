"""The request-to-connect relay: the sender confirms their address through a
signed link before anything is relayed; the message passes the safeguarding
check; the professional can report a relayed request to the moderators."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from directory.models import ContactRequest
from directory.services import CONTACT_CONFIRM_PURPOSE, CONTACT_REPORT_PURPOSE
from linkup.tokens import make_token
from tests.hostile import HOSTILE, IDENTIFYING

from .factories import ContactRequestFactory, ListingFactory

pytestmark = pytest.mark.django_db

CONNECT = {
    "sender_name": "Sam Sender",
    "sender_job_title": "Work coach",
    "sender_organisation": "Jobcentre Plus",
    "sender_email": "sam@example.gov.test",
    "reason": "case",
    "message": "Could we talk about joint working on housing?",
}
LINK = re.compile(r"https?://\S+")


def link_in(message, path_part):
    return next(url for url in LINK.findall(message.body) if path_part in url)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def request_and_confirm_link(client, run_jobs, listing, data=CONNECT):
    response = client.post(reverse("directory:connect", args=[listing.reference]), data)
    assert response.status_code == 302
    run_jobs()
    (confirm,) = mail.outbox
    mail.outbox.clear()
    return response, path_of(link_in(confirm, "/connect/confirm/"))


def test_nothing_is_relayed_until_the_sender_confirms(client, run_jobs):
    listing = ListingFactory(full_name="Pat Private", email="pat@example.nhs.test")
    url = reverse("directory:connect", args=[listing.reference])
    data = {**CONNECT, "sender_name": "Visit evil.example now", "message": "Buy cheap pills at evil.example"}
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Check your e-mail to send your request" in page
    run_jobs()
    (confirm,) = mail.outbox
    assert confirm.to == ["sam@example.gov.test"]
    assert "/connect/confirm/" in confirm.body
    # Nothing the sender typed goes to the address they gave, before it is confirmed theirs.
    assert "evil.example" not in confirm.subject + confirm.body
    assert "pat@example.nhs.test" not in confirm.body
    request = ContactRequest.objects.get()
    assert request.confirmed_at is None and request.emailed_at is None


def test_confirming_relays_the_request_once(client, run_jobs):
    listing = ListingFactory(full_name="Pat Private", email="pat@example.nhs.test")
    _, confirm_path = request_and_confirm_link(client, run_jobs, listing)
    # Opening the link (as a mail scanner would) changes nothing.
    page = client.get(confirm_path)
    assert page.status_code == 200 and "Send your request to Pat Private" in page.content.decode()
    assert not run_jobs() and not mail.outbox
    request = ContactRequest.objects.get()
    assert request.confirmed_at is None and request.emailed_at is None

    done = client.post(confirm_path)
    assert "Request sent" in done.content.decode()
    # Relayed means queued: the relay is marked e-mailed only once it has gone.
    request = ContactRequest.objects.get()
    assert request.confirmed_at is not None and request.emailed_at is None
    assert [job.status for job in run_jobs()] == ["succeeded", "succeeded"]
    relay, copy = mail.outbox
    assert relay.to == ["pat@example.nhs.test"] and relay.reply_to == ["sam@example.gov.test"]
    assert "Could we talk about joint working" in relay.body and "Jobcentre Plus" in relay.body
    assert "/directory/report/" in relay.body
    assert copy.to == ["sam@example.gov.test"] and "pat@example.nhs.test" not in copy.body
    request = ContactRequest.objects.get()
    assert request.confirmed_at is not None and request.emailed_at is not None

    mail.outbox.clear()
    for again in (client.get(confirm_path), client.post(confirm_path)):
        assert again.status_code == 200
        assert "Your request has already been sent" in again.content.decode()
    assert not run_jobs() and not mail.outbox


def test_an_expired_or_tampered_confirm_link_says_so_and_offers_to_start_again(client, settings, run_jobs):
    listing = ListingFactory(full_name="Pat Private")
    _, confirm_path = request_and_confirm_link(client, run_jobs, listing)
    tampered = client.post(confirm_path[:-4] + "xyz/")
    settings.DIRECTORY_CONTACT_CONFIRM_LINK_MAX_AGE = -1  # every link is past its age
    expired = client.post(confirm_path)
    for response in (tampered, expired):
        html = response.content.decode()
        assert response.status_code == 404
        assert "This link has expired" in html
        assert reverse("directory:connect", args=[listing.reference]) in html
    assert not run_jobs() and not mail.outbox
    request = ContactRequest.objects.get()
    assert request.confirmed_at is None and request.emailed_at is None


def test_a_confirm_link_works_only_with_its_own_listing(client, run_jobs):
    listing, other = ListingFactory(), ListingFactory()
    _, confirm_path = request_and_confirm_link(client, run_jobs, listing)
    moved = confirm_path.replace(listing.reference, other.reference)
    assert client.post(moved).status_code == 404
    assert not run_jobs() and not mail.outbox
    assert ContactRequest.objects.get().confirmed_at is None


def test_a_failing_mail_server_leaves_the_relay_queued_and_a_second_click_sends_nothing_more(
    client, caplog, monkeypatch, run_jobs
):
    listing = ListingFactory(full_name="Pat Private", email="pat@example.nhs.test")
    _, confirm_path = request_and_confirm_link(client, run_jobs, listing)

    def broken(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    response = client.post(confirm_path)
    assert response.status_code == 200 and "Request sent" in response.content.decode()
    # The relay and the sender's copy wait to be tried again; neither has gone.
    assert [(job.status, job.attempts) for job in run_jobs()] == [("todo", 1), ("todo", 1)]
    assert not mail.outbox
    request = ContactRequest.objects.get()
    assert request.confirmed_at is not None and request.emailed_at is None
    assert "pat@example" not in caplog.text and "sam@example" not in caplog.text
    assert "Could not send the contact-request" in caplog.text
    assert "Could not send the contact-confirmation" in caplog.text

    # The same link does not queue the request again.
    queued = ProcrastinateJob.objects.count()
    again = client.post(confirm_path).content.decode()
    assert "Your request has already been sent" in again and "Request sent" not in again
    assert ProcrastinateJob.objects.count() == queued
    assert ContactRequest.objects.get().emailed_at is None


def test_confirming_relays_nothing_once_the_listing_is_no_longer_public(client, run_jobs):
    listing = ListingFactory()
    _, confirm_path = request_and_confirm_link(client, run_jobs, listing)
    listing.status = "withdrawn"
    listing.save()
    assert client.post(confirm_path).status_code == 404
    assert not run_jobs() and not mail.outbox
    assert ContactRequest.objects.get().confirmed_at is None


@pytest.mark.parametrize("label", sorted(IDENTIFYING))
def test_clear_identifiers_in_the_message_are_refused_with_what_to_remove(client, run_jobs, label):
    listing = ListingFactory()
    url = reverse("directory:connect", args=[listing.reference])
    response = client.post(url, {**CONNECT, "message": IDENTIFYING[label]})
    html = response.content.decode()
    assert response.status_code == 200, label
    assert "There is a problem" in html and "govuk-error-summary" in html, label
    assert "Remove what looks like" in html and "from your message" in html, label
    assert 'href="#id_message"' in html, label  # the summary links to the box
    assert "Jobcentre Plus" in html and "sam@example.gov.test" in html  # the other answers are kept
    assert not run_jobs() and not mail.outbox, label
    assert not ContactRequest.objects.exists(), label


def test_the_message_says_which_identifiers_to_remove(client):
    listing = ListingFactory()
    url = reverse("directory:connect", args=[listing.reference])
    html = client.post(url, {**CONNECT, "message": IDENTIFYING["everything"]}).content.decode()
    for kind in ("an NHS number", "a date of birth", "a postcode", "a street address"):
        assert kind in html


def relayed(client, run_jobs, listing=None):
    listing = listing or ListingFactory(full_name="Pat Private", email="pat@example.nhs.test")
    _, confirm_path = request_and_confirm_link(client, run_jobs, listing)
    client.post(confirm_path)
    run_jobs()
    relay = mail.outbox[0]
    mail.outbox.clear()
    return ContactRequest.objects.get(listing=listing), path_of(link_in(relay, "/directory/report/"))


def test_the_professional_reports_a_request_and_the_moderators_are_told(client, settings, run_jobs):
    request, report_path = relayed(client, run_jobs)
    form = client.get(report_path)
    assert form.status_code == 200 and "Report a request to connect" in form.content.decode()
    assert not run_jobs() and not mail.outbox

    missing = client.post(report_path, {"details": "Third one this week."})
    html = missing.content.decode()
    assert "There is a problem" in html and "Select why you are reporting this message" in html
    assert "Third one this week." in html  # kept
    request.refresh_from_db()
    assert request.reported_at is None

    done = client.post(report_path, {"reason": "spam", "details": "Third one this week."})
    assert "Report sent" in done.content.decode()
    request.refresh_from_db()
    assert request.reported_at is not None
    assert (request.report_reason, request.report_details) == ("spam", "Third one this week.")
    run_jobs()
    (notice,) = mail.outbox
    assert notice.to == [settings.TASKFORCE_EMAIL]
    assert reverse("admin:directory_contactrequest_change", args=[request.pk]) in notice.body
    assert "Third one this week." not in notice.body  # read in admin, behind the sign-in

    mail.outbox.clear()
    for again in (client.get(report_path), client.post(report_path, {"reason": "abuse"})):
        assert "This message has already been reported" in again.content.decode()
    request.refresh_from_db()
    assert request.report_reason == "spam"
    assert not run_jobs() and not mail.outbox


def test_report_links_that_are_tampered_expired_or_for_an_unrelayed_request(client, settings, run_jobs):
    request, report_path = relayed(client, run_jobs)
    unrelayed = ContactRequestFactory(confirmed_at=None, emailed_at=None)
    paths = [
        report_path[:-4] + "xyz/",
        reverse("directory:report", args=[make_token(unrelayed, CONTACT_REPORT_PURPOSE)]),
        # A link of another purpose (the sender's confirm link) is no report link.
        reverse("directory:report", args=[make_token(request, CONTACT_CONFIRM_PURPOSE)]),
    ]
    for path in paths:
        response = client.post(path, {"reason": "spam"})
        assert response.status_code == 404 and "This link has expired" in response.content.decode()
    settings.DIRECTORY_CONTACT_REPORT_LINK_DAYS = -1
    assert client.get(report_path).status_code == 404
    assert not ContactRequest.objects.reported().exists()
    assert not run_jobs() and not mail.outbox


def test_hostile_report_answers_are_stored_as_text_and_never_reflected_as_markup(client, run_jobs):
    request, report_path = relayed(client, run_jobs)
    for label, payload in HOSTILE.items():
        response = client.post(report_path, {"reason": payload, "details": payload})
        assert response.status_code == 200, label
        assert "<script>alert" not in response.content.decode(), label
    response = client.post(report_path, {"reason": "other", "details": HOSTILE["script"]})
    assert "Report sent" in response.content.decode()
    request.refresh_from_db()
    assert request.report_details == HOSTILE["script"]
    run_jobs()
    (notice,) = mail.outbox
    assert HOSTILE["script"] not in notice.body


def test_staff_see_reported_requests_in_admin(client, staff_client, run_jobs):
    reported, report_path = relayed(client, run_jobs, ListingFactory(full_name="Reported Person"))
    client.post(report_path, {"reason": "abuse"})
    quiet = ContactRequestFactory(listing=ListingFactory(full_name="Quiet Person"))
    url = reverse("admin:directory_contactrequest_changelist")
    only_reported = staff_client.get(url, {"reported": "yes"}).content.decode()
    assert "Reported Person" in only_reported and "Quiet Person" not in only_reported
    not_reported = staff_client.get(url, {"reported": "no"}).content.decode()
    assert "Quiet Person" in not_reported and "Reported Person" not in not_reported
    page = staff_client.get(reverse("admin:directory_contactrequest_change", args=[reported.pk]))
    assert page.status_code == 200 and "abusive" in page.content.decode()
    assert quiet.reported_at is None
