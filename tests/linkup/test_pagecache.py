"""Whole public pages served from the shared cache (linkup/pagecache.py):
what is shared, what never is, and that any change to public content,
however it is made, retires every cached page at once."""

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse

from casestudies.models import CaseStudy
from directory.models import Listing
from linkup import pagecache
from linkup.models import ContentChange, RateLimitCounter, Region
from linkup.moderation import Status
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory
from tests.directory.factories import ListingFactory

pytestmark = pytest.mark.django_db
APPS = ("linkup", "casestudies", "directory", "toolkit")


def _tables_with_trigger() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'linkup_content_changed'"
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_table_of_public_content_moves_the_version_and_nothing_else_does():
    covered = _tables_with_trigger()
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = model._meta.db_table
            # A many-to-many table follows the model it belongs to.
            owner = (model._meta.auto_created or model)._meta.label
            if owner in pagecache.NOT_CONTENT:
                assert table not in covered, table
            else:
                assert table in covered, f"{table}: add the trigger, or list {owner} in NOT_CONTENT"


def test_the_version_grows_with_every_kind_of_write():
    seen = [pagecache.content_version()]

    def grew():
        seen.append(pagecache.content_version())
        return seen[-1] > seen[-2]

    case_study = CaseStudyFactory()
    assert grew()
    CaseStudy.objects.filter(pk=case_study.pk).update(status=Status.REJECTED)  # no signals
    assert grew()
    case_study.client_groups.clear()
    assert grew()
    Region.objects.filter(slug="london").update(description="Changed")
    assert grew()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_listing SET job_title = job_title")
    assert grew()
    RateLimitCounter.objects.create(key="k", window_start=1, hits=1, expires_at="2030-01-01T00:00Z")
    assert not grew()


def test_old_changes_are_folded_into_one_row_keeping_the_sum():
    before = pagecache.content_version()
    with connection.cursor() as cursor:
        for _ in range(450):
            cursor.execute("UPDATE linkup_region SET position = position WHERE slug = 'london'")
    assert pagecache.content_version() == before + 450
    assert ContentChange.objects.count() < 210


def test_a_repeat_visit_is_served_from_the_cache_in_two_queries(client, django_assert_num_queries):
    CaseStudyFactory(title="Numbat housing")
    url = reverse("casestudies:list") + "?q=numbat"
    first = client.get(url)
    with django_assert_num_queries(2):  # the content version, then the page
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second  # the middleware still adds its headers


def test_a_change_made_without_signals_is_shown_at_once(client):
    hidden = UnpublishedCaseStudyFactory(title="Wombat tenancy support")
    url = reverse("casestudies:list") + "?q=wombat"
    assert "Wombat tenancy support" not in client.get(url).content.decode()
    CaseStudy.objects.filter(pk=hidden.pk).update(status=Status.PUBLISHED, published_at="2026-01-01T00:00Z")
    assert "Wombat tenancy support" in client.get(url).content.decode()
    CaseStudy.objects.filter(pk=hidden.pk).update(status=Status.REJECTED)
    assert "Wombat tenancy support" not in client.get(url).content.decode()


def test_a_withdrawn_listing_leaves_cached_pages_at_once(client):
    listing = ListingFactory(full_name="Quentin Quokka")
    url = reverse("directory:home")
    client.get(url)
    page = reverse("directory:search") + "?q=Quokka"
    profile = f'href="{listing.get_absolute_url()}"'
    assert profile in client.get(page).content.decode()
    Listing.objects.filter(pk=listing.pk).update(status=Status.REJECTED)
    assert profile not in client.get(page).content.decode()
    assert client.get(listing.get_absolute_url()).status_code == 404


def test_signed_in_visitors_always_get_a_fresh_page(client, django_assert_max_num_queries):
    url = reverse("casestudies:home")
    client.get(url)
    client.cookies["sessionid"] = "not-a-real-session"
    with django_assert_max_num_queries(100) as captured:
        client.get(url)
    assert not any("linkup_contentchange" in query["sql"] for query in captured.captured_queries)


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


def test_the_directory_limit_counts_pages_served_from_the_cache(client, settings):
    settings.DIRECTORY_RATE_LIMIT_PER_MINUTE = 2
    ListingFactory(full_name="Quentin Quokka")
    url = reverse("directory:search") + "?q=Quokka"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
