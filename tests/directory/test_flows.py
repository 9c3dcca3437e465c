import csv
import datetime
import re
from urllib.parse import quote

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from directory.models import ContactRequest, Listing
from directory.services import CONFIRM_PURPOSE, MANAGE_PURPOSE
from linkup.moderation import Status, submission_approve
from linkup.tokens import make_token
from tests.hostile import HOSTILE

from .factories import ListingFactory

pytestmark = pytest.mark.django_db

CONNECT = {
    "sender_name": "Sam Sender",
    "sender_job_title": "Work coach",
    "sender_organisation": "Jobcentre Plus",
    "sender_email": "sam@example.gov.test",
    "reason": "case",
    "message": "Could we talk about joint working on housing?",
}


def add_data(**extra):
    from linkup.models import Agency, ClientGroup, LocalAuthority

    return {
        "full_name": "Nia Newcomer",
        "job_title": "Work coach",
        "organisation": "Jobcentre Plus Leicester",
        "agency": Agency.objects.get(slug="probation").pk,
        "areas": [LocalAuthority.objects.get(slug="leicester").pk],
        "client_groups": [ClientGroup.objects.first().pk],
        "expertise": "Employment support for people on licence",
        "tags": "employment, licence",
        "open_to": ["case", "advice"],
        "email": "nia@example.gov.test",
        "phone": "",
        "show_contact": "no",
        "consent": "on",
        **extra,
    }


# --- privacy -----------------------------------------------------------------


def privacy_scan_pages(client, named):
    """Every public page type where a listing, or a search over listings,
    can appear: the addresses the privacy scan below reads. ``named`` is an
    opted-out listing, searched for by name and sent a request to connect."""
    public = Listing.objects.public()
    area = named.areas.first()
    agency = public.order_by("pk").first().agency
    group = named.client_groups.first()
    pages = [
        reverse("home"),
        reverse("directory:home"),
        reverse("directory:add"),
        reverse("directory:manage_request"),
    ]
    site_search = reverse("search:results")
    pages += [f"{site_search}?q={q}" for q in ["housing", "nhs", "01632", "example.nhs.test"]]
    pages += [f"{site_search}?q=housing&type=directory", f"{site_search}?q={quote(named.full_name)}"]
    url = reverse("directory:search")
    pages += [f"{url}?page={n}" for n in range(1, 12)]
    pages += [f"{url}?q={q}" for q in ["housing", "nhs", "example", "01632", "test", "Nottingham"]]
    pages.append(f"{url}?q={quote(named.full_name)}")
    for query in [
        f"area={area.slug}",
        f"area={area.slug}&neighbours=on",
        f"agency={agency.slug}",
        f"client_group={group.slug}",
        "open_to=case",
        "sort=confirmed",
        "sort=name",
        "sort=confirmed&page=2",
        "sort=name&page=2",
        f"q=housing&client_group={group.slug}&open_to=advice&sort=confirmed",
    ]:
        pages.append(f"{url}?{query}")
    for listing in public:
        pages.append(listing.get_absolute_url())
        if not listing.show_contact:
            pages.append(reverse("directory:connect", args=[listing.reference]))
    # The confirmation page, reached the way a sender reaches it.
    sent = client.post(reverse("directory:connect", args=[named.reference]), CONNECT)
    assert sent.status_code == 302
    assert sent.url.startswith(reverse("directory:connect_sent", args=[named.reference]) + "?sent=")
    pages.append(sent.url)
    return pages


def test_no_opted_out_contact_details_on_any_public_page(client):
    from directory.demo import seed

    class Out:
        def write(self, text):
            pass

    seed(Out())
    ListingFactory(status="submitted", show_contact=True, email="pending@example.nhs.test")
    secret = list(
        Listing.objects.exclude(status="published", show_contact=True).values_list("email", "phone")
    )
    shown = Listing.objects.filter(status="published", show_contact=True).exclude(
        stale_hidden_at__isnull=False
    )
    assert secret and shown.exists()
    named = Listing.objects.public().filter(show_contact=False).order_by("pk").first()
    with override_settings(DIRECTORY_RATE_LIMIT_PER_MINUTE=100000):
        pages = privacy_scan_pages(client, named)
        responses = {page: client.get(page) for page in pages}
    # An error page would pass the scan without showing anything.
    assert {page: r.status_code for page, r in responses.items() if r.status_code != 200} == {}
    text = {page: response.content.decode() for page, response in responses.items()}
    html = "".join(text.values())
    # The pages really show people: the one searched for by name, and a page 2.
    by_name = f"?q={quote(named.full_name)}"
    assert named.get_absolute_url() in text[reverse("search:results") + by_name]
    assert named.get_absolute_url() in text[reverse("directory:search") + by_name]
    second = text[reverse("directory:search") + "?sort=name&page=2"]
    assert second.count('<li class="app-directory-result">') == 25
    assert "Check your e-mail to send your request" in next(
        v for k, v in text.items() if "/connect/sent/" in k
    )
    for email, phone in secret:
        assert email not in html
        assert phone not in html
        assert phone.replace(" ", "") not in html
    visible = shown.filter(stale_hidden_at__isnull=True).first()
    assert visible.email in html


# --- contact relay (confirming, safeguarding and reporting: test_relay.py) ------


def test_connect_form_errors_and_honeypot(client):
    listing = ListingFactory()
    url = reverse("directory:connect", args=[listing.reference])
    response = client.post(url, {"sender_email": "nope", "message": "\x00"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter your name" in html and "Enter an e-mail address in the correct format" in html
    response = client.post(url, {**CONNECT, "website": "spam"})
    assert response.status_code == 302 and not ContactRequest.objects.exists()


def test_request_sent_page_only_after_a_request(client):
    listing, other = ListingFactory(), ListingFactory()
    sent_url = reverse("directory:connect_sent", args=[listing.reference])
    connect_url = reverse("directory:connect", args=[listing.reference])
    assert client.get(sent_url).url == connect_url
    response = client.post(connect_url, CONNECT)
    assert client.get(response.url).status_code == 200
    token = response.url.split("?sent=")[1]
    assert client.get(f"{sent_url}?sent={token[:-3]}xyz").url == connect_url
    other_sent = reverse("directory:connect_sent", args=[other.reference])
    assert client.get(f"{other_sent}?sent={token}").status_code == 302


def test_connect_rate_limits_per_sender_and_address(client):
    listing = ListingFactory()
    url = reverse("directory:connect", args=[listing.reference])
    with override_settings(DIRECTORY_CONTACT_LIMIT_PER_HOUR=2):
        assert client.post(url, CONNECT).status_code == 302
        assert client.post(url, CONNECT).status_code == 302
        assert client.post(url, CONNECT).status_code == 429
        other = {**CONNECT, "sender_email": "other@example.gov.test"}
        # a new address from the same client is still limited
        assert client.post(url, other, REMOTE_ADDR="127.0.0.1").status_code == 429
        # the same sender from a new client address is limited too
        assert client.post(url, CONNECT, REMOTE_ADDR="10.0.0.9").status_code == 429
    assert ContactRequest.objects.count() == 2


def test_browsing_is_rate_limited_per_address(client):
    listing = ListingFactory()
    with override_settings(DIRECTORY_RATE_LIMIT_PER_MINUTE=3):
        for _ in range(2):
            assert client.get(reverse("directory:search")).status_code == 200
        assert client.get(listing.get_absolute_url()).status_code == 200
        response = client.get(reverse("directory:search"))
        assert response.status_code == 429
        assert "too many requests" in response.content.decode()
        assert client.get(reverse("directory:search"), REMOTE_ADDR="10.1.1.1").status_code == 200


def test_opted_in_profile_shows_contact_and_no_connect_form(client):
    listing = ListingFactory(show_contact=True, email="open@example.nhs.test")
    html = client.get(listing.get_absolute_url()).content.decode()
    assert "open@example.nhs.test" in html and "Request to connect" not in html
    assert client.get(reverse("directory:connect", args=[listing.reference])).status_code == 302


def test_back_to_search_returns_to_the_same_results_page(client):
    listing = ListingFactory(full_name="Priya Pemberton", job_title="Probation officer")
    search = reverse("directory:search") + "?q=probation&client_group=care-leavers&page=1"
    html = client.get(search).content.decode()
    profile_link = re.search(rf'href="({re.escape(listing.get_absolute_url())}\?back=[^"]+)"', html).group(1)
    profile = client.get(profile_link.replace("&amp;", "&")).content.decode()
    back = re.search(r'<a class="govuk-link" href="([^"]*)">Back to search</a>', profile).group(1)
    assert back.replace("&amp;", "&") == search


@pytest.mark.parametrize(
    "back",
    [
        "https://evil.example/directory/search/?q=x",
        "//evil.example/directory/search/",
        "/\\evil.example/directory/search/",
        "/case-studies/?q=x",
        "javascript:alert(1)//directory/search/",
        "/directory/search/\x00",
        *HOSTILE.values(),
    ],
)
def test_back_to_search_takes_only_the_search_page_of_this_site(client, back):
    listing = ListingFactory()
    response = client.get(listing.get_absolute_url(), {"back": back})
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        link = re.search(
            r'<a class="govuk-link" href="([^"]*)">Back to search</a>', response.content.decode()
        )
        assert link.group(1) == reverse("directory:search")


def test_unpublished_profile_is_not_found(client):
    listing = ListingFactory(status="submitted")
    assert client.get(listing.get_absolute_url()).status_code == 404
    assert client.get(reverse("directory:connect", args=[listing.reference])).status_code == 404


# --- self-listing and moderation ------------------------------------------------


def test_self_listing_goes_through_moderation(client, moderator):
    response = client.post(reverse("directory:add"), add_data())
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert listing.status == Status.SUBMITTED and listing.consent_given_at and listing.places == "Leicester"
    assert not Listing.objects.public().exists()
    assert [e.to_status for e in listing.history()] == ["submitted"]
    submission_approve(submission=listing, moderator=moderator)
    assert Listing.objects.public().get() == listing
    assert client.get(listing.get_absolute_url()).status_code == 200


def test_self_listing_errors(client):
    response = client.post(reverse("directory:add"), {"areas": ["999999"], "full_name": "x\x00y"})
    html = response.content.decode()
    assert response.status_code == 200
    for message in [
        "Enter your job title",
        "Select at least one client group",
        "Select what you are open to",
        "Confirm that you agree",
        "Select whether we can show your contact details",
    ]:
        assert message in html
    bad = add_data(email="x" * 300, areas=["abc"], open_to=["everything"], phone="call me")
    html = client.post(reverse("directory:add"), bad).content.decode()
    assert "Enter a phone number" in html and "Select from the list" in html
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"expertise": "Ring me on 01632 960 001"},
            "Remove the e-mail address or phone number from your expertise",
        ),
        ({"tags": "housing, nia.home@example.org"}, "Remove the e-mail address or phone number from tags"),
        ({"full_name": "Nia\r\nBcc: everyone@example.org"}, "Full name must be on one line"),
        ({"show_contact": "maybe"}, "Select whether we can show your contact details"),
    ],
)
def test_self_listing_refuses_contact_details_in_text_and_line_breaks(client, extra, message):
    response = client.post(reverse("directory:add"), add_data(**extra))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "There is a problem" in html
    assert "Jobcentre Plus Leicester" in html  # the other answers are kept
    assert not Listing.objects.exists()


@pytest.mark.parametrize("field", ["sender_name", "sender_job_title", "sender_organisation"])
def test_connect_refuses_line_breaks_in_one_line_answers(client, field):
    listing = ListingFactory()
    url = reverse("directory:connect", args=[listing.reference])
    response = client.post(url, {**CONNECT, "reason": "case", field: "Eve\r\nBcc: everyone@example.org"})
    assert response.status_code == 200
    assert "must be on one line" in response.content.decode()
    assert not ContactRequest.objects.exists() and not mail.outbox


@pytest.mark.parametrize("suffix", ["", "connect/", "connect/sent/"])
def test_a_reference_with_a_nul_character_is_not_found(client, suffix):
    assert client.get(f"/directory/people/%00/{suffix}").status_code == 404
    assert client.get(f"/directory/people/AB%00CD/{suffix}").status_code == 404


def test_self_listing_only_offers_open_regions(client):
    from linkup.models import LocalAuthority, Region

    elsewhere = LocalAuthority.objects.create(
        name="Faraway", slug="faraway", region=Region.objects.get(slug="london")
    )
    html = client.get(reverse("directory:add")).content.decode()
    assert "Faraway" not in html and "Rutland" in html
    response = client.post(reverse("directory:add"), add_data(areas=[elsewhere.pk]))
    assert response.status_code == 200 and not Listing.objects.exists()


LISTINGS = reverse("admin:directory_listing_changelist")


def listing_decide_url(listing, decision):
    return reverse("admin:directory_listing_decide", args=[listing.pk, decision])


def test_a_self_listing_is_acknowledged_and_the_taskforce_told(client, settings, run_jobs):
    client.post(reverse("directory:add"), add_data())
    listing = Listing.objects.get()
    run_jobs()
    acknowledgement, notice = mail.outbox
    assert acknowledgement.to == ["nia@example.gov.test"]
    assert listing.reference in acknowledgement.subject and "Nia Newcomer" in acknowledgement.body
    assert notice.to == [settings.TASKFORCE_EMAIL]
    assert reverse("admin:directory_listing_change", args=[listing.pk]) in notice.body
    assert "nia@example.gov.test" not in notice.body  # the taskforce reads it in admin


def test_admin_publishes_a_listing_after_confirming_and_e_mails_the_person(staff_client, run_jobs):
    listing = ListingFactory(status=Status.SUBMITTED, published_at=None, email="lee@example.nhs.test")
    data = {"action": "publish", "_selected_action": [listing.pk]}
    confirm = staff_client.post(LISTINGS, data)
    assert confirm.status_code == 200 and "are you sure?" in confirm.content.decode()
    assert "No safeguarding warnings" in confirm.content.decode()
    listing.refresh_from_db()
    assert listing.status == Status.SUBMITTED  # nothing happens before the confirmation
    done = staff_client.post(LISTINGS, data | {"confirm": "yes"})
    assert done.status_code == 302
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    run_jobs()
    (message,) = mail.outbox
    assert message.to == ["lee@example.nhs.test"] and "is published" in message.subject
    assert listing.get_absolute_url() in message.body


def test_publishing_a_flagged_listing_needs_the_warnings_acknowledged(staff_client):
    listing = ListingFactory(
        status=Status.SUBMITTED, published_at=None, expertise="I helped Mrs Okafor, born 3 March 1961."
    )
    page = staff_client.get(listing_decide_url(listing, "publish")).content.decode()
    assert "Safeguarding warnings" in page and "date of birth" in page
    refused = staff_client.post(listing_decide_url(listing, "publish"), {"confirm": "yes"})
    assert "Confirm you have checked the safeguarding warnings" in refused.content.decode()
    listing.refresh_from_db()
    assert listing.status == Status.SUBMITTED
    staff_client.post(listing_decide_url(listing, "publish"), {"confirm": "yes", "acknowledge": "on"})
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    assert any("date of birth" in w for w in listing.history().last().acknowledged_warnings)


def test_changes_requested_for_a_listing_e_mail_the_note_and_a_link_to_edit(client, staff_client, run_jobs):
    listing = ListingFactory(status=Status.SUBMITTED, published_at=None, email="lee@example.nhs.test")
    missing = staff_client.post(
        listing_decide_url(listing, "request_changes"), {"confirm": "yes", "note": ""}
    )
    assert "Enter what the listed person needs to change" in missing.content.decode()
    staff_client.post(
        listing_decide_url(listing, "request_changes"), {"confirm": "yes", "note": "Say which areas."}
    )
    listing.refresh_from_db()
    assert listing.status == Status.CHANGES_REQUESTED
    run_jobs()
    (message,) = mail.outbox
    assert message.to == ["lee@example.nhs.test"] and "Say which areas." in message.body
    token = re.search(r"http\S+/directory/manage/(\S+)/", message.body).group(1)
    assert client.get(reverse("directory:manage", args=[token])).status_code == 200


def test_bulk_reject_of_listings_needs_a_note_and_e_mails_it(staff_client, run_jobs):
    first, second = (ListingFactory(status=Status.SUBMITTED, published_at=None) for _ in range(2))
    data = {"action": "reject", "_selected_action": [first.pk, second.pk], "confirm": "yes"}
    missing = staff_client.post(LISTINGS, data)
    assert "Enter why it cannot be published" in missing.content.decode()
    staff_client.post(LISTINGS, data | {"note": "Not in the area"})
    assert set(Listing.objects.values_list("status", flat=True)) == {Status.REJECTED}
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    assert all("Not in the area" in m.body for m in mail.outbox)
    change = staff_client.get(reverse("admin:directory_listing_change", args=[first.pk])).content.decode()
    assert "Not in the area" in change and "Timeline" in change


def test_a_listing_change_page_offers_only_the_decisions_its_status_allows(staff_client):
    published = ListingFactory()
    html = staff_client.get(reverse("admin:directory_listing_change", args=[published.pk])).content.decode()
    assert listing_decide_url(published, "request_changes") in html
    assert listing_decide_url(published, "publish") not in html
    assert listing_decide_url(published, "reject") not in html
    skipped = staff_client.post(
        LISTINGS, {"action": "reject", "_selected_action": [published.pk], "confirm": "yes", "note": "No"}
    )
    assert skipped.status_code == 302
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_a_failing_mail_server_never_undoes_a_listing_decision(staff_client, monkeypatch, caplog, run_jobs):
    from django.core.mail import EmailMessage

    def broken(self, *args, **kwargs):
        raise OSError("mail server down for lee@example.nhs.test")

    monkeypatch.setattr(EmailMessage, "send", broken)
    listing = ListingFactory(status=Status.SUBMITTED, published_at=None, email="lee@example.nhs.test")
    response = staff_client.post(
        listing_decide_url(listing, "reject"), {"confirm": "yes", "note": "Not in the area"}
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == Status.REJECTED
    (job,) = run_jobs()
    assert job.status == "todo" and job.attempts == 1  # to be tried again
    assert "Could not send the rejected" in caplog.text and "lee@" not in caplog.text


def test_a_listed_persons_edit_tells_the_taskforce(settings, moderator, run_jobs):
    from directory.services import listing_update_by_owner

    listing = ListingFactory()
    data = {
        "full_name": listing.full_name,
        "areas": list(listing.areas.all()),
        "client_groups": list(listing.client_groups.all()),
        "expertise": "Changed words",
    }
    listing_update_by_owner(listing=listing, data=data)
    run_jobs()
    (notice,) = mail.outbox
    assert notice.to == [settings.TASKFORCE_EMAIL] and "changed and sent again" in notice.subject


def test_listing_admin_lists_and_filters(staff_client):
    assert staff_client.get(reverse("admin:directory_contactrequest_changelist")).status_code == 200
    for name in ["freshness=due", "freshness=hidden", "status=published", "queue=waiting"]:
        assert staff_client.get(f"{LISTINGS}?{name}").status_code == 200


# --- update and withdraw links -------------------------------------------------------


def manage_link_from_mail():
    return re.search(r"http\S+/directory/manage/(\S+)/", mail.outbox[-1].body).group(1)


def test_manage_link_generic_response_and_edit(client, run_jobs):
    listing = ListingFactory(email="me@example.nhs.test")
    unknown = client.post(reverse("directory:manage_request"), {"email": "nobody@example.test"})
    run_jobs()
    assert not mail.outbox
    known = client.post(reverse("directory:manage_request"), {"email": "ME@example.nhs.test"})
    assert unknown.url == known.url
    run_jobs()
    token = manage_link_from_mail()
    assert client.get(reverse("directory:manage", args=[token])).status_code == 200
    data = add_data(email="me@example.nhs.test", full_name="Edited Name")
    response = client.post(reverse("directory:manage_edit", args=[token]), data)
    assert response.status_code == 200 and b"Changes sent for checking" in response.content
    listing.refresh_from_db()
    assert listing.full_name == "Edited Name" and listing.status == Status.SUBMITTED
    assert listing.history().last().to_status == "submitted"
    # Reused: the link worked once.
    assert client.get(reverse("directory:manage", args=[token])).status_code == 404


def test_withdraw_is_immediate_and_recorded(client):
    listing = ListingFactory()
    token = make_token(listing, MANAGE_PURPOSE)
    assert client.get(reverse("directory:manage_withdraw", args=[token])).status_code == 200
    client.post(reverse("directory:manage_withdraw", args=[token]))
    listing.refresh_from_db()
    assert listing.status == Status.WITHDRAWN and not Listing.objects.public().exists()
    assert listing.history().last().actor_label == "Listed person"
    assert client.post(reverse("directory:manage_withdraw", args=[token])).status_code == 404


def test_tampered_and_expired_links(client, monkeypatch):
    listing = ListingFactory()
    token = make_token(listing, MANAGE_PURPOSE)
    assert client.get(reverse("directory:manage", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("directory:manage", args=["\x00"])).status_code in (400, 404)
    # A confirm token is not a manage token.
    assert (
        client.get(reverse("directory:manage", args=[make_token(listing, CONFIRM_PURPOSE)])).status_code
        == 404
    )
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=30)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    assert client.get(reverse("directory:manage", args=[token])).status_code == 404


# --- freshness -------------------------------------------------------------------


def test_freshness_reminds_once_and_hides_stale(client, run_jobs):
    now = timezone.now()
    due = ListingFactory(email="due@example.nhs.test", last_confirmed=now - datetime.timedelta(days=400))
    ListingFactory(last_confirmed=now - datetime.timedelta(days=100))
    stale = ListingFactory(last_confirmed=now - datetime.timedelta(days=600))
    call_command("directory_freshness", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run_jobs()
    assert [m.to for m in mail.outbox] == [["due@example.nhs.test"]]
    call_command("directory_freshness", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert run_jobs() == [] and len(mail.outbox) == 1
    stale.refresh_from_db()
    assert stale.stale_hidden_at and stale not in Listing.objects.public()
    assert client.get(stale.get_absolute_url()).status_code == 404
    # One click (a button) confirms; the link then stops working.
    link = re.search(r"/directory/confirm/(\S+)/", mail.outbox[0].body).group(1)
    url = reverse("directory:confirm", args=[link])
    assert client.get(url).status_code == 200
    due.refresh_from_db()
    assert due.last_confirmed < now - datetime.timedelta(days=300)  # GET changes nothing
    client.post(url)
    due.refresh_from_db()
    assert due.last_confirmed > now - datetime.timedelta(minutes=1) and due.reminder_sent_at is None
    assert client.post(url).status_code == 404


def test_freshness_options(run_jobs):
    ListingFactory(last_confirmed=timezone.now() - datetime.timedelta(days=40))
    call_command(
        "directory_freshness",
        "--remind-after-days=30",
        "--hide-after-days=90",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    run_jobs()
    assert len(mail.outbox) == 1


# --- import ------------------------------------------------------------------------

from directory.importing import HEADER as HEADER_FIELDS  # noqa: E402

HEADER = ",".join(HEADER_FIELDS)


def write_csv(tmp_path, rows):
    path = tmp_path / "listings.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER.split(","))
        writer.writerows(rows)
    return str(path)


GOOD = [
    [
        "Ada Import",
        "Probation officer",
        "East Midlands Probation",
        "Probation",
        "Derby;Derbyshire",
        "care-leavers",
        "Resettlement",
        "housing, work",
        "case;advice",
        "ada@example.nhs.test",
        "",
        "no",
    ],
    [
        "Bo Import",
        "Work coach",
        "Jobcentre Plus",
        "jobcentre-plus-and-employment-support",
        "Rutland",
        "Care leavers",
        "Jobs",
        "",
        "boundaries",
        "bo@example.nhs.test",
        "01632 960000",
        "yes",
    ],
]


def run_import(path, *args):
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command("import_directory", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_good_file_and_rerun_is_idempotent(tmp_path):
    path = write_csv(tmp_path, GOOD)
    out, err = run_import(path)
    assert "Imported 2 new" in out and not err
    ada = Listing.objects.public().get(email="ada@example.nhs.test")
    assert ada.places == "Derby, Derbyshire" and ada.last_confirmed and ada.areas.count() == 2
    rows = [[*GOOD[0][:6], "Updated expertise", *GOOD[0][7:]], GOOD[1]]
    out, _ = run_import(write_csv(tmp_path, rows))
    assert "Imported 0 new listings and updated 2 existing listings" in out
    assert Listing.objects.count() == 2
    assert Listing.objects.get(email="ada@example.nhs.test").expertise == "Updated expertise"


def test_import_reports_bad_rows_and_dry_run(tmp_path):
    bad = [
        GOOD[0],
        [
            "",
            "Role",
            "Org",
            "Nowhere agency",
            "Atlantis",
            "care-leavers",
            "x",
            "",
            "sometimes",
            "not-an-email",
            "",
            "perhaps",
        ],
    ]
    path = write_csv(tmp_path, bad)
    out, err = run_import(path, "--dry-run")
    assert "1 of 2 rows is valid, 1 has errors" in out and not Listing.objects.exists()
    for expected in [
        "Row 3, full_name: Enter your full name",
        "Row 3, agency: 'Nowhere agency' is not a known agency",
        "Row 3, areas: 'Atlantis' is not a known area",
        "Row 3, open_to: Select from the list ('sometimes')",
        "Row 3, email: Enter an e-mail address in the correct format",
        "Row 3, show_contact: Select whether we can show your contact details",
    ]:
        assert expected in err
    run_import(path, "--pending")
    assert Listing.objects.get().status == Status.SUBMITTED
    assert not Listing.objects.public().exists()


def test_import_bad_header(tmp_path):
    from django.core.management import CommandError

    path = tmp_path / "bad.csv"
    path.write_text("name,email\nx,y\n")
    with pytest.raises(CommandError, match="header is missing"):
        run_import(str(path))


def test_demo_seed_is_idempotent():
    from directory.demo import seed
    from linkup.models import Agency, ClientGroup

    class Out:
        def write(self, text):
            pass

    seed(Out())
    seed(Out())
    public = Listing.objects.public()
    assert Listing.objects.count() >= 200
    assert public.filter(show_contact=True).exists()
    for agency in Agency.objects.all():
        assert public.filter(agency=agency).exists()
    for group in ClientGroup.objects.all():
        assert Listing.objects.filter(client_groups=group).exists()
    from linkup.models import LocalAuthority

    for area in LocalAuthority.objects.open_to_listings():
        assert Listing.objects.filter(areas=area).exists()
