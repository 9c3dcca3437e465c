"""Site-wide search: one mechanism, public content only."""

import pytest
from django.urls import reverse

from linkup import search
from linkup.moderation import Status
from tests.casestudies.factories import CaseStudyFactory
from tests.toolkit.factories import PageFactory, SectionFactory
from toolkit.models import Page
from toolkit.search import markdown_text

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
    assert "<strong>7</strong> case studies found for ‘pangolin’" in html


def test_a_search_of_one_type_reads_in_plain_words(client, no_page_cache):
    from tests.directory.factories import ListingFactory

    ListingFactory(full_name="Ada Pangolin", expertise="Pangolin work.")
    html = get(client, q="pangolin", type="directory")
    assert "<strong>1</strong> person in the directory found for ‘pangolin’" in html
    assert " in people in the directory" not in html
    toolkit = next(p for p in search.providers() if p.key == "toolkit")
    assert search.Group(toolkit, 1207).counted == "1,207 toolkit pages"
    assert search.Group(toolkit, 1).counted == "1 toolkit page"


def test_did_you_mean_keeps_the_type_searched(client, no_page_cache):
    CaseStudyFactory(title="Geographical boundaries scheme")
    html = get(client, q="geografical", type="casestudies")
    assert 'href="?q=geographical&amp;type=casestudies">geographical</a>' in html


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


def test_query_count_does_not_grow_with_rows(client, no_page_cache, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.directory.factories import ListingFactory

    # The limiter tidies old windows now and then: a query that depends on the clock, not on rows.
    monkeypatch.setattr("directory.search.hit", lambda *args, **kwargs: True)

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
    get(client, q="numbat")  # a first request fills what the process keeps between requests
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


# Query cleaning: no query of any shape is an error.


def test_clean_query_keeps_words_and_websearch_meaning():
    assert search.clean_query('  "supported  lodgings"  -project OR hosts ') == (
        '"supported lodgings" -project OR hosts'
    )
    assert search.clean_query("-" * 40) == ""
    assert search.clean_query("---housing") == "-housing"
    assert search.clean_query("a\x00b\tc") == "a b c"
    assert search.clean_query(f"{search.MARK_START}care{search.MARK_STOP}") == "care"
    assert search.clean_query("word " * 100).count("word") == search.MAX_QUERY_WORDS
    assert len(search.clean_query("x" * 5000)) <= search.MAX_QUERY


def test_operators_are_read_one_way():
    assert not search.has_operators("care leavers in Derby")
    for query in ('"care leavers"', "housing -benefit", "care OR support", "-housing"):
        assert search.has_operators(query), query
    assert not search.has_operators("well-being orchard")
    assert search.plain_words('"supported housing" -benefit OR leavers') == "supported housing leavers"


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("x" * 201, "Search words must be 200 characters or fewer"),
        ("housing\x1b[31m", "Search words must only include letters, numbers, spaces and punctuation"),
        ("housing\x00", "Search words must only include letters, numbers, spaces and punctuation"),
    ],
)
def test_site_search_refuses_what_every_search_box_refuses(client, no_page_cache, q, message):
    CaseStudyFactory(title="Housing scheme")
    response = client.get(URL, {"q": q, "type": "casestudies"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and html.count(message) >= 2  # in the summary and by the field
    assert "<title>Error:" in html
    assert response.context["only"] == "casestudies"  # the other answer is kept


def test_a_pasted_line_break_is_a_space_in_every_search_box(client, no_page_cache):
    CaseStudyFactory(title="Housing scheme")
    response = client.get(URL, {"q": "housing\r\nscheme"})
    assert "govuk-error-summary" not in response.content.decode()
    assert response.context["query"] == "housing scheme"


def test_no_cleaned_query_is_refused_by_postgres():
    import random

    from django.db import connection

    from tests.hostile import HOSTILE_QUERIES

    pieces = ["-", "- ", "!", "(", ")", '"', "&", "|", "<->", ":*", "or ", "a", "-a ", "care ", " "]
    rng = random.Random(17)
    queries = list(HOSTILE_QUERIES.values())
    queries += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 150))) for _ in range(500)]
    with connection.cursor() as cursor:
        for query in queries:
            for config in ("english", "directory_search"):
                cursor.execute(
                    "SELECT websearch_to_tsquery(%s::regconfig, %s)", [config, search.clean_query(query)]
                )


# One highlight scheme, which submitted text cannot forge.

FORGED = "Forged ⟪hl⟫shout⟪/hl⟫ and \ue000loud\ue001 <mark>marks</mark> in a walrus summary."


@pytest.mark.parametrize("url", [reverse("search:results"), reverse("casestudies:list")])
def test_submitted_text_cannot_forge_a_highlight(client, no_page_cache, url):
    CaseStudyFactory(title="Walrus scheme", summary=FORGED)
    body = client.get(url, {"q": "walrus"}).content.decode()
    assert "walrus" in body.lower()
    assert ">shout<" not in body and ">loud<" not in body and "<mark>marks" not in body
    assert "\ue000" not in body and "\ue001" not in body
    assert '<mark class="app-highlight">walrus</mark>' in body
    assert "&lt;mark&gt;marks&lt;/mark&gt;" in body


@pytest.mark.parametrize("url", [reverse("search:results"), reverse("directory:search")])
def test_listing_text_cannot_forge_a_highlight(client, no_page_cache, url):
    from tests.directory.factories import ListingFactory

    ListingFactory(full_name="Ada Walrus", tags="", expertise=FORGED)
    body = client.get(url, {"q": "walrus"}).content.decode()
    assert "Ada" in body
    assert ">shout<" not in body and ">loud<" not in body and "<mark>marks" not in body
    assert "\ue000" not in body and "\ue001" not in body
    assert '<mark class="app-highlight">walrus</mark> summary.' in body  # the headline of the expertise


def test_toolkit_text_cannot_forge_a_highlight(client, no_page_cache):
    PageFactory(title="Walrus guidance", body=FORGED)
    body = client.get(URL, {"q": "walrus"}).content.decode()
    assert "Walrus guidance" in body
    assert ">shout<" not in body and ">loud<" not in body and "<mark>marks" not in body
    assert "\ue000" not in body and "\ue001" not in body
    assert '<mark class="app-highlight">walrus</mark> summary.' in body


def test_highlight_escapes_everything_but_the_marks():
    marked = f"<b>{search.MARK_START}care{search.MARK_STOP}</b> & more"
    assert (
        str(search.highlight(marked))
        == '&lt;b&gt;<mark class="app-highlight">care</mark>&lt;/b&gt; &amp; more'
    )
    assert search.mark_words(f"Care {search.MARK_START}x", frozenset({"Care"})) == (
        f"{search.MARK_START}Care{search.MARK_STOP} x"
    )


# Snippets.


def test_a_snippet_is_cut_at_a_word_with_an_ellipsis():
    text = "Supported accommodation for care leavers across the county, " * 10
    cut = search.snippet(text, max_chars=50)
    assert cut.endswith("…") and len(cut) <= 51
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] in " ,"
    assert search.snippet("Short and whole.") == "Short and whole."
    whole = "One two three. Four five six seven. Eight nine ten."
    assert search.snippet("Four five six seven.", whole=whole) == "…Four five six seven…"
    assert search.snippet("One two three.", whole="One two three.") == "One two three."
    # A headline that runs to the end of the text keeps its final stop.
    assert search.snippet("Eight nine ten", whole=whole) == "…Eight nine ten."
    assert search.snippet(f"nine {search.MARK_START}ten{search.MARK_STOP}", whole=whole) == (
        f"…nine {search.MARK_START}ten{search.MARK_STOP}."
    )
    marked = f"{'word ' * 20}{search.MARK_START}{'long ' * 20}{search.MARK_STOP}"
    cut = search.snippet(marked, max_chars=120)
    assert cut.count(search.MARK_START) == cut.count(search.MARK_STOP) == 1 and cut.endswith("…")


def test_a_snippet_keeps_the_blocks_of_a_text_apart():
    assert search.snippet("Joint training\n\nWho to involve\n\nthe leaving care team.") == (
        "Joint training – Who to involve – the leaving care team."
    )
    # A block ending in a stop needs nothing more; line breaks within a block are spaces.
    assert search.snippet("One paragraph.\n\nAnother one\nwrapped.") == "One paragraph. Another one wrapped."


def test_toolkit_snippets_keep_headings_apart_from_the_text(client, no_page_cache):
    PageFactory(
        title="Ospreys and others",
        body="Start with joint osprey training\n\n## Who to involve\n\nThe leaving care team and the osprey "
        "housing officer.\n\n- A personal adviser\n- A probation officer\n\n| Who | Why |\n|---|---|\n"
        "| Osprey panel | Decides |",
    )
    html = client.get(URL, {"q": "osprey"}).content.decode()
    assert "training – Who to involve – The leaving care team" in html
    # List items and table rows are blocks too; a table's ruled line has no words.
    body = Page.objects.get(title="Ospreys and others").body
    assert "officer. A personal adviser – A probation officer – Who Why – Osprey panel Decides" in (
        search.snippet(markdown_text(body))
    )


def test_site_search_snippets_say_where_they_were_cut(client, no_page_cache):
    CaseStudyFactory(
        title="Kestrel scheme", summary=("A long summary about the kestrel project. " * 14)[:590]
    )
    html = get(client, q="kestrel", type="casestudies")
    snippet = html.split('class="app-search-result"', 1)[1].split("</li>", 1)[0]
    assert "…</p>" in snippet


# One vocabulary for typo correction and "did you mean".


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("acommodation", "accommodation"),  # a letter missing
        ("accomodation", "accommodation"),
        ("accommmodation", "accommodation"),  # a letter doubled
        ("acocmmodation", "accommodation"),  # two letters swapped
        ("employmnet", "employment"),
        ("housng", "housing"),
    ],
)
def test_missing_doubled_and_swapped_letters_are_corrected_everywhere(client, no_page_cache, typed, meant):
    from tests.directory.factories import ListingFactory

    CaseStudyFactory(
        title="Supported accommodation and employment", summary="Housing and employment support."
    )
    ListingFactory(full_name="Ada Kestrel", expertise="Supported accommodation, housing and employment.")
    assert search.site_search(typed).suggestion == meant
    html = client.get(reverse("casestudies:list"), {"q": typed}).content.decode()
    assert f">{meant}</a>?" in html
    from directory.models import typo_correction

    assert typo_correction(typed, typed) == meant


def test_place_names_keep_their_capitals(client, no_page_cache, settings):
    from linkup.models import LocalAuthority
    from tests.directory.factories import ListingFactory

    settings.DIRECTORY_RATE_LIMIT_PER_MINUTE = 1000
    derbyshire = LocalAuthority.objects.get(slug="derbyshire")
    ListingFactory(full_name="Ada Kestrel", expertise="Tenancy support in Derbyshire.", areas=[derbyshire])
    response = client.get(reverse("directory:search"), {"q": "derbyshre"})
    assert "Showing results for <strong>Derbyshire</strong>" in response.content.decode()
    assert search.correct("derbyshre tenancy") == "Derbyshire tenancy"
    assert search.correct("housng") == "housing"  # a word capitalised only at the start stays as typed


def test_stop_words_and_known_words_are_never_corrected():
    CaseStudyFactory(title="Leaving care", summary="What care leavers can do with support.")
    assert search.correct("leaving cair") == "leaving care"
    assert search.correct("care leavers") is None
    assert search.correct("wth") != "with"


def test_the_vocabulary_follows_what_is_public():
    from linkup.models import SearchWord

    case_study = CaseStudyFactory(title="Ptarmigan housing", summary="Ptarmigan work.")
    assert SearchWord.objects.filter(source="casestudies", word="ptarmigan").exists()
    case_study.status = Status.WITHDRAWN
    case_study.save()
    assert not SearchWord.objects.filter(source="casestudies", word="ptarmigan").exists()
    assert search.site_search("ptarmigann").suggestion is None
    CaseStudy = type(case_study)
    CaseStudy.objects.filter(pk=case_study.pk).update(status=Status.PUBLISHED)  # a bulk write
    search.vocabulary_refresh()
    assert SearchWord.objects.filter(source="casestudies", word="ptarmigan").exists()


# Site search counts against the directory's limit.


def test_site_search_counts_against_the_directory_limit(client, settings):
    from tests.directory.factories import ListingFactory

    settings.DIRECTORY_RATE_LIMIT_PER_MINUTE = 3
    ListingFactory(full_name="Ada Marmoset", expertise="Marmoset tenancy work.")
    CaseStudyFactory(title="Marmoset scheme")
    for _ in range(2):
        assert "Ada Marmoset" in get(client, q="marmoset")  # the second from the page cache
    assert client.get(reverse("directory:search"), {"q": "marmoset"}).status_code == 200
    assert client.get(reverse("directory:search"), {"q": "marmoset"}).status_code == 429
    assert client.get(URL, {"q": "marmoset", "type": "directory"}).status_code == 429
    html = get(client, q="marmoset")
    assert "Ada Marmoset" not in html and "Marmoset scheme" in html
    assert "People in the directory are not shown" in html
    # A search of other content alone does not count and is not limited.
    assert "Marmoset scheme" in get(client, q="marmoset", type="casestudies")


def test_counts_read_in_the_singular_for_one(client, no_page_cache):
    from tests.directory.factories import ListingFactory

    CaseStudyFactory(title="Okapi scheme")
    ListingFactory(full_name="Ada Okapi", expertise="Okapi work.")
    html = get(client, q="okapi")
    assert ">1 case study</a>" in html and ">1 person in the directory</a>" in html
    assert "1 case studies" not in html and "1 people" not in html
    assert "2</strong> results" in html and "1 result<" in html


def test_site_search_ranks_the_directory_as_the_directory_does(client, no_page_cache):
    """The same matches, order and count as the directory's own results page."""
    from directory.models import SearchResults
    from directory.search import PROVIDER
    from tests.directory.factories import ListingFactory

    for n in range(8):
        ListingFactory(full_name=f"Zed Tapir {8 - n}", tags="", expertise="Tapir " * (1 + n % 3) + "work.")
    assert isinstance(PROVIDER.search("tapir"), SearchResults)
    directory_page = client.get(reverse("directory:search"), {"q": "tapir"}).context["page"]
    response = client.get(URL, {"q": "tapir", "type": "directory"})
    group = response.context["results"].groups[0]
    assert group.count == directory_page.paginator.count == 8
    assert [r.title for r in group.results] == [listing.full_name for listing in directory_page]


def test_site_search_and_the_directory_share_one_limit_and_its_window(client, settings):
    from directory.search import BROWSE_WINDOW
    from tests.directory.factories import ListingFactory

    settings.DIRECTORY_RATE_LIMIT_PER_MINUTE = 1
    ListingFactory(full_name="Ada Marmoset", expertise="Marmoset tenancy work.")
    assert client.get(reverse("directory:search"), {"q": "marmoset"}).status_code == 200
    for url in (URL, reverse("directory:search")):
        refused = client.get(url, {"q": "marmoset", "type": "directory"})
        assert refused.status_code == 429 and refused["Retry-After"] == str(BROWSE_WINDOW)
