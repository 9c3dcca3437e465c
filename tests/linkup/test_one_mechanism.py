"""What each shared mechanism promises on every page that uses it: counts
that ignore the order, counts in the singular for one, and one
anti-scraping limit on every page that shows a directory listing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.casestudies.factories import CaseStudyFactory
from tests.directory.factories import ListingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("casestudies:list", {"q": "numbat"}),
        ("casestudies:list", {"q": "numbat", "sort": "title"}),
        ("casestudies:api", {"q": "numbat"}),
        ("directory:search", {"q": "numbat"}),
        ("directory:search", {"q": "numbat", "sort": "name"}),
        ("directory:search", {}),
    ],
)
def test_every_count_is_made_with_the_order_cleared(client, url, params):
    # Ordering rows that are only counted (a search's rank, say) is wasted work.
    CaseStudyFactory.create_batch(2, title="Numbat housing")
    ListingFactory.create_batch(2, expertise="Numbat tenancy work.")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(url), params).status_code == 200
    counts = [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"].upper()]
    assert counts
    assert not [sql for sql in counts if "ORDER BY" in sql.upper()]


def test_one_result_reads_in_the_singular_on_every_list(client):
    CaseStudyFactory(title="Numbat housing")
    ListingFactory(expertise="Numbat tenancy work.")
    case_studies = client.get(reverse("casestudies:list"), {"q": "numbat"}).content.decode()
    assert "1 case study matching" in case_studies and "1 case studies" not in case_studies
    people = client.get(reverse("directory:search"), {"q": "numbat"}).content.decode()
    assert "1 person found" in people and "1 people" not in people


def _pages_showing_a_listing(listing):
    return {
        "directory search": (reverse("directory:search"), {"q": "numbat"}),
        "profile": (listing.get_absolute_url(), {}),
        "request to connect": (reverse("directory:connect", args=[listing.reference]), {}),
        "site search of people": (reverse("search:results"), {"q": "numbat", "type": "directory"}),
    }


PAGES = ["directory search", "profile", "request to connect", "site search of people"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_that_shows_a_listing_counts_against_the_one_limit(client, settings, page):
    settings.DIRECTORY_RATE_LIMIT_PER_MINUTE = 2
    listing = ListingFactory(full_name="Ada Numbat", expertise="Numbat tenancy work.", show_contact=False)
    path, params = _pages_showing_a_listing(listing)[page]
    assert client.get(path, params).status_code == 200
    assert client.get(path, params).status_code == 200
    assert client.get(path, params).status_code == 429
    # The same limit: the other pages are refused too, and another address is not.
    for other, (other_path, other_params) in _pages_showing_a_listing(listing).items():
        assert client.get(other_path, other_params).status_code == 429, other
    assert client.get(path, params, REMOTE_ADDR="10.9.9.9").status_code == 200
