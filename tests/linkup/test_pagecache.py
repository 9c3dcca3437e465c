"""Whole public pages served from the shared cache (linkup/pagecache.py):
what is shared, what never is, and that every path that writes public
content retires every cached page at once."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory import services as directory_services
from directory.freshness import listings_hide_stale
from directory.models import Listing
from linkup import pagecache
from linkup.models import Agency, ContentChange, Region
from linkup.moderation import submission_approve
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory
from tests.directory.factories import ContactRequestFactory, ListingFactory

pytestmark = pytest.mark.django_db

# Models no public page shows: writing them leaves cached pages as they are.
PRIVATE_MODELS = {
    "linkup.ModerationEvent",
    # Moderators' kept versions, claims and internal notes: admin only.
    "linkup.ModerationRevision",
    "linkup.ModerationClaim",
    "linkup.ModerationNote",
    "linkup.RateLimitCounter",
    "linkup.AuditEvent",
    "linkup.PersonalDataRequest",  # the audit trail again (a proxy)
    "linkup.ContentChange",
    "linkup.QueuedEmail",  # e-mails waiting to be sent
    # Kept in step with the content writes that retire pages already;
    # its rebuild, vocabulary_refresh(), retires them itself.
    "linkup.SearchWord",
    "directory.ContactRequest",
}


def test_every_model_of_the_portal_is_either_public_content_or_private():
    for label in ("linkup", "casestudies", "directory", "toolkit"):
        for model in apps.get_app_config(label).get_models():
            name = model._meta.label
            assert (name in pagecache.CONTENT_MODELS) != (name in PRIVATE_MODELS), (
                f"{name}: add it to linkup.pagecache.CONTENT_MODELS if a public page shows it"
            )


def test_content_writes_move_the_version_and_private_ones_do_not():
    seen = [pagecache.content_version()]

    def grew():
        seen.append(pagecache.content_version())
        return seen[-1] > seen[-2]

    case_study = CaseStudyFactory()
    assert grew()
    case_study.client_groups.clear()
    assert grew()
    region = Region.objects.get(slug="london")
    region.description = "Changed"
    region.save()
    assert grew()
    case_study.delete()
    assert grew()
    listing = ListingFactory()
    assert grew()
    ContactRequestFactory(listing=listing)  # never shown publicly
    assert not grew()
    pagecache.content_changed()  # what a write without signals calls
    assert grew()


def test_old_changes_are_folded_into_one_row_keeping_the_sum():
    before = pagecache.content_version()
    for _ in range(450):
        pagecache.content_changed()
    assert pagecache.content_version() == before + 450
    assert ContentChange.objects.count() < pagecache.FOLD_EVERY + 10


def _two_visits(client, url):
    """The queries of a first and a repeat visit to ``url``, and both responses."""
    with CaptureQueriesContext(connection) as built:
        first = client.get(url)
    with CaptureQueriesContext(connection) as served:
        second = client.get(url)
    return (
        [q["sql"] for q in built.captured_queries],
        [q["sql"] for q in served.captured_queries],
        first,
        second,
    )


def test_a_repeat_visit_is_served_from_the_cache(client):
    CaseStudyFactory(title="Numbat housing")
    built, served, first, second = _two_visits(client, reverse("casestudies:list") + "?q=numbat")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second  # the middleware still adds its headers
    assert len(served) < len(built)
    # The content version and the stored page: no content table is read.
    assert not [sql for sql in served if "casestudies_" in sql]


def test_a_cache_hit_costs_the_same_with_5_rows_and_with_50(client):
    url = reverse("directory:search") + "?q=housing"
    ListingFactory.create_batch(5)
    _, few, _, _ = _two_visits(client, url)
    ListingFactory.create_batch(45)
    _, many, first, second = _two_visits(client, url)
    assert second.content == first.content
    assert not [sql for sql in many if "directory_listing" in sql]
    assert len(many) == len(few)


def test_signed_in_visitors_always_get_a_fresh_page(client, monkeypatch):
    url = reverse("casestudies:list")
    client.get(url)
    client.cookies["sessionid"] = "not-a-real-session"

    def page_key(*args):
        raise AssertionError("a signed-in visitor's page was looked up in the page cache")

    monkeypatch.setattr(pagecache, "page_key", page_key)
    assert client.get(url).status_code == 200


def test_the_pieces_new_addresses_share_follow_every_change(client, no_page_cache):
    # Pages are built for each visit here: what is kept is only the pieces
    # many addresses share (filter panels, a page of results, the grid's counts).
    case_study = CaseStudyFactory(title="Numbat housing")
    listing_url = reverse("casestudies:list")
    assert "Numbat housing" in client.get(listing_url).content.decode()
    assert "Agency: Quokka" not in client.get(reverse("directory:search")).content.decode()
    home = client.get(reverse("casestudies:home")).content.decode()

    case_study.title = "Wombat housing"
    case_study.save()
    Agency.objects.create(name="Quokka services", slug="quokka")
    CaseStudyFactory(title="Another example")

    html = client.get(listing_url).content.decode()
    assert "Wombat housing" in html and "Numbat housing" not in html
    assert "Quokka services" in html  # the case-study filter panel
    assert "Quokka services" in client.get(reverse("directory:search")).content.decode()
    assert client.get(reverse("casestudies:home")).content.decode() != home


def test_a_piece_is_drawn_again_for_other_filters_and_for_a_keyword(client, no_page_cache):
    CaseStudyFactory(title="Numbat housing", summary="Numbat tenancies for care leavers.")
    url = reverse("casestudies:list")
    region = Region.objects.first()
    plain = client.get(url).content.decode()
    chosen = client.get(url, {"region": region.slug}).content.decode()
    assert f'value="{region.slug}" checked' in chosen
    assert f'value="{region.slug}" checked' not in client.get(url).content.decode()
    searched = client.get(url, {"q": "numbat"}).content.decode()
    assert ">Numbat</mark> tenancies" in searched and "</mark>" not in plain
    # The filter panel's sort box offers relevance only for a keyword.
    assert searched.count(">Relevance<") > plain.count(">Relevance<")


# --- Every write path retires the cached pages -----------------------------------


def _search_shows(client, name) -> bool:
    """Whether searching the directory for the surname finds the person (a
    link to their profile, carrying the search's address for "Back to search")."""
    page = client.get(reverse("directory:search") + f"?q={name.split()[-1]}").content.decode()
    return any(
        f'href="{listing.get_absolute_url()}?back=' in page
        for listing in Listing.objects.filter(full_name=name)
    )


def test_an_admin_edit_retires_pages(otp_client, client, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@linkup.test", "a-long-password-1")
    staff = otp_client(superuser)
    london = Region.objects.get(slug="london")
    url = london.get_absolute_url()
    assert "Capital of joint working" not in client.get(url).content.decode()
    response = staff.post(
        reverse("admin:linkup_region_change", args=[london.pk]),
        {"description": "Capital of joint working", "position": london.position},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Capital of joint working" in client.get(url).content.decode()


def test_a_moderation_decision_retires_pages(client, moderator):
    case_study = UnpublishedCaseStudyFactory(title="Wombat tenancy support")
    url = reverse("casestudies:list") + "?q=wombat"
    assert "Wombat tenancy support" not in client.get(url).content.decode()
    submission_approve(submission=case_study, moderator=moderator)
    assert "Wombat tenancy support" in client.get(url).content.decode()


def test_the_listed_persons_own_changes_retire_pages(client):
    listing = ListingFactory(full_name="Quentin Quokka")
    assert _search_shows(client, "Quentin Quokka")
    assert client.get(listing.get_absolute_url()).status_code == 200
    directory_services.listing_withdraw_by_owner(listing=listing)
    assert not _search_shows(client, "Quentin Quokka")
    assert client.get(listing.get_absolute_url()).status_code == 404
    edited = ListingFactory(full_name="Edna Echidna")
    assert _search_shows(client, "Edna Echidna")
    directory_services.listing_update_by_owner(
        listing=edited,
        data={
            "job_title": "Team manager",
            "areas": list(edited.areas.all()),
            "client_groups": list(edited.client_groups.all()),
        },
    )
    assert not _search_shows(client, "Edna Echidna")  # back with a moderator until approved


def test_a_service_that_writes_without_signals_retires_pages(client):
    listing = ListingFactory(full_name="Olive Oryx", stale_hidden_at=timezone.now())
    assert not _search_shows(client, "Olive Oryx")
    directory_services.listing_confirm(listing=listing)  # a QuerySet.update()
    assert _search_shows(client, "Olive Oryx")


def test_the_directory_import_retires_pages(client, tmp_path):
    from tests.directory.test_import_and_freshness import row, run_import

    assert not _search_shows(client, "Ada Import")
    run_import(tmp_path, [row()])
    assert _search_shows(client, "Ada Import")


def test_the_freshness_command_retires_pages(client):
    long_ago = timezone.now() - datetime.timedelta(days=600)
    ListingFactory(full_name="Stella Stale", last_confirmed=long_ago)
    assert _search_shows(client, "Stella Stale")
    call_command("directory_freshness", stdout=io.StringIO())
    assert not _search_shows(client, "Stella Stale")


def test_a_reference_data_edit_retires_pages(client):
    ListingFactory(full_name="Rita Renamed")
    url = reverse("directory:search") + "?q=Rita"
    assert "Police and crime" not in client.get(url).content.decode()
    police = Agency.objects.get(slug="police")
    police.name = "Police and crime"
    police.save()
    assert "Police and crime" in client.get(url).content.decode()


# --- What may be shared -------------------------------------------------------------


def _builds(change, requests) -> int:
    """How many times a cached view builds its page (``change`` alters each
    request and response the view makes) for these requests."""
    built = []

    def view(request):
        built.append(request)
        response = HttpResponse("page")
        change(request, response)
        return response

    cached = pagecache.cached_page(view)
    for request in requests:
        request.session = SessionStore()
        assert cached(request).content == b"page"
    return len(built)


def _start_session(request, response):
    request.session["seen"] = True


@pytest.mark.parametrize(
    "change",
    [
        lambda request, response: get_token(request),
        lambda request, response: response.set_cookie("x", "y"),
        lambda request, response: response.headers.__setitem__("Cache-Control", "private"),
        lambda request, response: response.headers.__setitem__("Vary", "Cookie"),
        lambda request, response: setattr(response, "status_code", 404),
        _start_session,
    ],
    ids=["csrf-token", "cookie", "private", "vary", "not-found", "new-session"],
)
def test_pages_that_are_not_the_same_for_everyone_are_never_stored(change):
    assert _builds(change, [RequestFactory().get("/x") for _ in range(2)]) == 2


def test_a_shareable_page_is_built_once_per_address():
    factory = RequestFactory()
    requests = [factory.get("/x"), factory.get("/x"), factory.get("/x?other=1"), factory.post("/x")]
    assert _builds(lambda request, response: None, requests) == 3


def test_a_page_built_before_a_change_is_not_served_after_it():
    factory = RequestFactory()
    assert _builds(lambda request, response: None, [factory.get("/x"), factory.get("/x")]) == 1
    pagecache.content_changed()
    assert _builds(lambda request, response: None, [factory.get("/x")]) == 1


def test_no_page_is_stored_when_the_cache_time_is_0(settings):
    settings.PAGE_CACHE_SECONDS = 0
    factory = RequestFactory()
    assert _builds(lambda request, response: None, [factory.get("/x"), factory.get("/x")]) == 2


def test_the_directory_limit_counts_pages_served_from_the_cache(client, settings):
    settings.DIRECTORY_RATE_LIMIT_PER_MINUTE = 2
    ListingFactory(full_name="Quentin Quokka")
    url = reverse("directory:search") + "?q=Quokka"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_hiding_stale_listings_retires_pages(client):
    # A bulk QuerySet.update(), apart from the command's vocabulary rebuild.
    long_ago = timezone.now() - datetime.timedelta(days=600)
    ListingFactory(full_name="Hector Hidden", last_confirmed=long_ago)
    assert _search_shows(client, "Hector Hidden")
    assert listings_hide_stale(days=548) == 1
    assert not _search_shows(client, "Hector Hidden")


def test_migrating_retires_pages():
    # Data migrations write through historical models, which send no signals.
    before = pagecache.content_version()
    call_command("migrate", verbosity=0)
    assert pagecache.content_version() > before
