"""Site-wide search: one mechanism, public content only."""

import pytest
from django.urls import reverse

from linkup import search
from linkup.moderation import Status
from tests.casestudies.factories import CaseStudyFactory
from tests.toolkit.factories import PageFactory, SectionFactory
from toolkit.models import Page

pytestmark = pytest.mark.django_db
URL = reverse("search:results")


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_search_box_is_in_the_header_of_every_page(client):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{URL}"' in html and 'role="search"' in html


def test_every_content_type_is_registered_once():
    keys = [p.key for p in search.providers()]
    assert keys[0] == "toolkit" and "casestudies" in keys
    assert len(keys) == len(set(keys))


def test_results_are_grouped_with_counts(client):
    CaseStudyFactory(title="Quokka housing scheme", summary="Quokka tenancies for care leavers.")
    CaseStudyFactory(title="Another quokka project", summary="More quokka work.")
    PageFactory(title="Quokka guidance", summary="About quokka.", body="The quokka approach to housing.")
    html = get(client, q="quokka")
    assert "3</strong> results for ‘quokka’" in html
    assert 'id="results-toolkit"' in html and 'id="results-casestudies"' in html
    assert ">1 toolkit page</a>" in html and ">2 case studies</a>" in html
    assert html.index('id="results-toolkit"') < html.index('id="results-casestudies"')
    assert '<mark class="app-highlight">' in html  # highlighted snippets


def test_title_matches_rank_first(client):
    CaseStudyFactory(title="Employment support in Derby", summary="Walrus mentioned once.")
    CaseStudyFactory(title="Walrus employment project", summary="A walrus project for walrus people.")
    groups = {g.key: g for g in search.site_search("walrus").groups}
    assert groups["casestudies"].results[0].title == "Walrus employment project"


def test_toolkit_content_is_found(client):
    html = get(client, q="information-sharing agreement")
    assert "Sharing information safely" in html


def test_typo_gets_a_did_you_mean(client):
    # Public titles and summaries supply the words: "Working across geographical boundaries", ...
    html = get(client, q="geografical")
    assert "Did you mean" in html and ">geographical</a>" in html
    assert search.site_search("buisness mesuring").suggestion == "business measuring"
    CaseStudyFactory(title="A tenancy scheme", summary="Wombat support for tenants.")
    assert search.site_search("wombatt").suggestion == "wombat"


def test_no_suggestion_when_something_is_found(client):
    assert search.site_search("housing").suggestion is None


def test_unpublished_content_never_appears(client):
    for status in (
        Status.SUBMITTED,
        Status.DRAFT,
        Status.REJECTED,
        Status.CHANGES_REQUESTED,
        Status.WITHDRAWN,
    ):
        CaseStudyFactory(
            title=f"Xylophone secret {status}",
            summary="Xylophone hidden summary.",
            submitter_email="private-xylophone@example.com",
            submitter_name="Xylophone Submitter",
            status=status,
        )
    PageFactory(title="Xylophone draft page", body="xylophone", published=False)
    PageFactory(section=SectionFactory(published=False), title="Xylophone hidden section", body="xylophone")
    html = get(client, q="xylophone")
    assert "Xylophone secret" not in html and "Xylophone draft" not in html and "hidden section" not in html
    assert "0</strong> results" in html
    # Not even as a suggestion.
    assert search.site_search("xylophon").suggestion is None


def test_private_fields_are_not_searched_or_shown(client):
    CaseStudyFactory(
        title="Public title", submitter_email="gazelle@example.com", submitter_name="Gazelle Person"
    )
    html = get(client, q="gazelle")
    assert "Public title" not in html and "gazelle@example.com" not in html


def test_hostile_content_is_escaped_in_snippets(client):
    CaseStudyFactory(title="Ocelot <script>alert(1)</script>", summary="Ocelot <img src=x onerror=alert(1)>")
    html = get(client, q="ocelot")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_one_type_alone(client):
    for n in range(7):
        CaseStudyFactory(title=f"Pangolin scheme {n}")
    html = get(client, q="pangolin")
    assert "See all 7 case studies" in html
    html = get(client, q="pangolin", type="casestudies")
    assert html.count('class="app-search-result"') == 7
    assert "Search everything" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "\x00"},
        {"q": "a\x00b"},
        {"q": "x" * 5000},
        {"q": "housing", "type": "nonsense"},
        {"q": "' OR 1=1 --"},
        {"q": '"unclosed'},
        {"q": "-"},
        {"q": "&|!():*"},
        {"q": search.MARK_START + "housing"},
        {},
    ],
)
def test_bad_input_never_500s(client, params):
    get(client, **params)


def test_query_count_does_not_grow_with_rows(client, no_page_cache):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.directory.factories import ListingFactory

    def queries(query):
        with CaptureQueriesContext(connection) as context:
            get(client, q=query)
        return len(context)

    def add(start, stop):
        for n in range(start, stop):
            CaseStudyFactory(title=f"Numbat housing {n}", summary="Numbat tenancies.")
            PageFactory(title=f"Numbat page {n}", body="numbat housing")
            ListingFactory(full_name=f"Numbat Person {n}", expertise="Numbat housing work.")

    add(0, 5)
    get(client, q="numbat")  # the limiter's first hit in a window may tidy old windows
    few = (queries("numbat"), queries("numbbat"))
    add(5, 50)
    assert (queries("numbat"), queries("numbbat")) == few


def test_page_search_method_ranks_title_first():
    PageFactory(title="Capybara", body="Nothing.")
    PageFactory(title="Something else", body="Capybara mentioned once.")
    assert Page.objects.published().search("capybara").first().title == "Capybara"


def test_directory_listings_public_only_without_contact_details(client):
    from django.utils import timezone

    from tests.directory.factories import ListingFactory

    ListingFactory(full_name="Ada Marmoset", expertise="Marmoset tenancy work.", email="ada@example.nhs.test")
    ListingFactory(full_name="Bea Marmoset", status=Status.SUBMITTED, email="bea@example.nhs.test")
    ListingFactory(full_name="Cy Marmoset", stale_hidden_at=timezone.now(), email="cy@example.nhs.test")
    html = get(client, q="marmoset")
    assert 'id="results-directory"' in html and "Ada Marmoset" in html
    assert "Bea Marmoset" not in html and "Cy Marmoset" not in html
    assert "@example.nhs.test" not in html and "0115 496" not in html
