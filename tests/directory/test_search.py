import pytest
from django.urls import reverse

from directory.models import Listing
from linkup.models import Agency, ClientGroup, LocalAuthority

from .factories import ListingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def names(qs):
    return [listing.full_name for listing in qs]


def search(query):
    return names(Listing.objects.public().search(query))


def test_ranking_prefers_name_over_expertise():
    ListingFactory(full_name="Alex Other", expertise="I know about Pemberton's housing work")
    ListingFactory(full_name="Jo Pemberton", expertise="Benefits advice")
    assert search("Pemberton")[0] == "Jo Pemberton"


def test_typos_are_tolerated():
    ListingFactory(full_name="Kim Able", job_title="Probation officer", expertise="Resettlement")
    ListingFactory(full_name="Lee Baker", job_title="Leaving care personal adviser", tags="leaving care")
    ListingFactory(full_name="Mo Cole", areas=[LocalAuthority.objects.get(slug="nottingham")])
    assert "Kim Able" in search("probaton")
    assert "Lee Baker" in search("leaving cair")
    assert "Mo Cole" in search("Notingham")
    assert search("zzzzqqq") == []


def test_accents_are_ignored_both_ways():
    ListingFactory(full_name="Zoë Céline Brontë", expertise="Café-based drop-in sessions")
    assert search("Zoe") == ["Zoë Céline Brontë"]
    assert search("bronte") == ["Zoë Céline Brontë"]
    assert search("cafe") == ["Zoë Céline Brontë"]
    ListingFactory(full_name="Rene Plain")
    assert "Rene Plain" in search("René")


def test_websearch_syntax():
    ListingFactory(full_name="A One", expertise="supported housing for care leavers")
    ListingFactory(full_name="B Two", expertise="housing benefit appeals")
    assert set(search("housing -benefit")) == {"A One"}
    assert set(search('"supported housing"')) == {"A One"}
    assert set(search("appeals or leavers")) == {"A One", "B Two"}
    # Unbalanced quotes and stray operators are not errors.
    assert set(search('"housing')) == {"A One", "B Two"}  # the phrase runs to the end
    assert search('-- "" or or ( ) & | ! :*') == []
    assert set(search("-" * 40)) == {"A One", "B Two"}  # no words: as if no keyword was typed


def test_highlighted_matches_are_escaped(client):
    ListingFactory(full_name="Hi Light", expertise="<script>x</script> supported housing expert")
    response = client.get(reverse("directory:search"), {"q": "housing"})
    html = response.content.decode()
    assert '<mark class="app-highlight">housing</mark>' in html
    assert "<script>x</script>" not in html


MARK = '<mark class="app-highlight">{}</mark>'.format


def results_html(client, **params):
    response = client.get(reverse("directory:search"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_matches_are_highlighted_wherever_a_result_shows_them(client):
    ListingFactory(
        full_name="Céline Brontë",
        job_title="Senior probation officer",
        organisation="Derby Probation Delivery Unit",
        tags="resettlement, MAPPA",
        expertise="Courts and licence conditions.",
        areas=[LocalAuthority.objects.get(slug="derby")],
    )
    for sort in ("relevance", "name"):  # RankedResults and search()
        html = results_html(client, q="Brontë", sort=sort)
        assert f">Céline {MARK('Brontë')}</a></h3>" in html  # the name
        html = results_html(client, q="probation", sort=sort)
        assert f"Senior {MARK('probation')} officer, Derby {MARK('Probation')} Delivery Unit" in html
        html = results_html(client, q="mappa", sort=sort)
        assert f'<strong class="govuk-tag govuk-tag--grey">{MARK("MAPPA")}</strong>' in html
        assert '<strong class="govuk-tag govuk-tag--grey">resettlement</strong>' in html
        html = results_html(client, q="derby", sort=sort)
        assert f"{MARK('Derby')} Probation Delivery Unit" in html and f"Covers {MARK('Derby')}" in html
    # Word endings as the search judges them: "officers" finds and marks "officer".
    assert f"probation {MARK('officer')}" in results_html(client, q="officers")
    # After a typo correction, the corrected word is marked.
    html = results_html(client, q="probaton")
    assert "Showing results for <strong>probation</strong>" in html
    assert f"Senior {MARK('probation')} officer" in html
    # Without keywords nothing is marked.
    assert "<mark" not in results_html(client, agency="adult-social-care")


def test_highlighting_ignores_accents_both_ways(client):
    ListingFactory(full_name="Zoë Céline Brontë", expertise="Café-based drop-in sessions")
    ListingFactory(full_name="Rene Plain", expertise="Benefits appeals")
    html = results_html(client, q="celine")
    assert f">Zoë {MARK('Céline')} Brontë</a>" in html
    html = results_html(client, q="zoe bronte")
    assert f">{MARK('Zoë')} Céline {MARK('Brontë')}</a>" in html
    html = results_html(client, q="René")
    assert f">{MARK('Rene')} Plain</a>" in html


def test_highlighting_cannot_inject_html(client):
    ListingFactory(
        full_name="<script>alert(1)</script> Celine Smith",
        job_title='Officer <img src=x onerror="alert(2)">',
        tags="<b>celine</b>",
    )
    # Our own marks, stored in the text, are dropped rather than made <mark>s.
    ListingFactory(full_name="Celine \ue000Jones\ue001")
    html = results_html(client, q="celine")
    assert f"&lt;script&gt;alert(1)&lt;/script&gt; {MARK('Celine')} Smith" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>" not in html
    assert "Officer &lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert f"&lt;b&gt;{MARK('celine')}&lt;/b&gt;" in html
    assert f">{MARK('Celine')} Jones</a>" in html
    assert html.count("<mark") == html.count("</mark>") == 3


def test_public_excludes_unpublished_and_stale():
    from django.utils import timezone

    ListingFactory(full_name="Shown")
    ListingFactory(full_name="Pending", status="submitted")
    ListingFactory(full_name="Stale", stale_hidden_at=timezone.now())
    assert names(Listing.objects.public()) == ["Shown"]


def test_filters_singly_and_combined(client):
    derby = LocalAuthority.objects.get(slug="derby")
    derbyshire = LocalAuthority.objects.get(slug="derbyshire")
    rutland = LocalAuthority.objects.get(slug="rutland")
    probation = Agency.objects.get(slug="probation")
    offenders = ClientGroup.objects.exclude(slug="care-leavers").first()
    ListingFactory(full_name="In Derby", areas=[derby], agency=probation, client_groups=[offenders])
    ListingFactory(full_name="In Derbyshire", areas=[derbyshire], open_to=["advice"])
    ListingFactory(full_name="In Rutland", areas=[rutland], agency=probation)

    def found(**params):
        response = client.get(reverse("directory:search"), params)
        assert response.status_code == 200
        return {listing.full_name for listing in response.context["page"].object_list}

    assert found(area="derby") == {"In Derby"}
    assert found(area="derby", neighbours="on") == {"In Derby", "In Derbyshire"}
    assert found(agency="probation") == {"In Derby", "In Rutland"}
    assert found(client_group=offenders.slug) == {"In Derby"}
    assert found(open_to="advice") == {"In Derbyshire"}
    assert found(agency="probation", area="rutland") == {"In Rutland"}
    assert found(agency="probation", area="derbyshire") == set()


def test_sorting(client):
    ListingFactory(full_name="Bee", last_confirmed="2024-01-01T00:00Z")
    ListingFactory(full_name="Ant", last_confirmed="2023-01-01T00:00Z")
    ListingFactory(full_name="Cat", last_confirmed="2025-01-01T00:00Z")
    url = reverse("directory:search")
    assert names(client.get(url, {"sort": "name"}).context["page"]) == ["Ant", "Bee", "Cat"]
    assert names(client.get(url, {"sort": "confirmed"}).context["page"]) == ["Cat", "Bee", "Ant"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00"},
        {"q": "a" * 5000},
        {"q": '"unbalanced'},
        {"q": "a & | ! :* ( "},
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"area": "nowhere"},
        {"area": "\x00"},
        {"agency": "x" * 5000},
        {"client_group": "nope"},
        {"open_to": "anything"},
        {"sort": "evil"},
        {"neighbours": "maybe"},
    ],
)
def test_bad_parameters_give_a_clear_page(client, params):
    ListingFactory()
    response = client.get(reverse("directory:search"), params)
    assert response.status_code == 200


def test_bad_filter_is_reported(client):
    response = client.get(reverse("directory:search"), {"area": "nowhere"})
    assert "Select an area from the list" in response.content.decode()


def test_page_size_is_capped_and_pagination_links_keep_filters(client):
    ListingFactory.create_batch(30)
    response = client.get(reverse("directory:search"), {"agency": "adult-social-care", "page": "2"})
    assert len(response.context["page"].object_list) == 5
    assert "agency=adult-social-care&amp;page=1" in response.content.decode()


def test_filter_tags_remove_one_filter(client):
    response = client.get(reverse("directory:search"), {"q": "housing", "agency": "probation"})
    tags = response.context["filter_tags"]
    assert {t["label"] for t in tags} == {"Search: housing", "Agency: Probation"}
    assert next(t for t in tags if t["label"].startswith("Agency"))["url"] == "?q=housing"


@pytest.mark.parametrize("rows", [5, 50])
def test_fixed_query_count(client, django_assert_num_queries, monkeypatch, rows):
    # The rate limiter now and then tidies old windows (one more query): not under test here.
    monkeypatch.setattr("directory.views.hit", lambda *args, **kwargs: True)
    from linkup.models import Agency

    ListingFactory.create_batch(rows, agency=Agency.objects.get(slug="adult-social-care"))
    url = reverse("directory:search")
    search = {"q": "housing", "agency": "adult-social-care"}
    # The chosen agency's list (read once, to check the choice and to draw
    # the options), the typo check, the ranked page (with its count, its
    # listings' agencies and areas), the content version and the filters
    # from the shared cache; a first visit with these filters also reads
    # the other two filters' choices and stores the filters (five statements
    # in the database cache, in the test's transaction).
    with django_assert_num_queries(5 + 2 + 5):
        client.get(url, search)
    with django_assert_num_queries(5):
        client.get(url, search)
    # Another keyword with the same filters: the filters from the cache.
    with django_assert_num_queries(5):
        client.get(url, {**search, "q": "tenancy"})
    listing = Listing.objects.first()
    with django_assert_num_queries(3):
        client.get(listing.get_absolute_url())


def test_typo_correction_is_shown(client):
    ListingFactory(full_name="Kim Able", job_title="Probation officer", expertise="Resettlement")
    ListingFactory(full_name="Pat Dunn", job_title="Probation officer", expertise="Courts")
    response = client.get(reverse("directory:search"), {"q": "probaton"})
    assert response.context["correction"] == "probation"
    assert "Showing results for <strong>probation</strong>" in response.content.decode()
    response = client.get(reverse("directory:search"), {"q": "probation"})
    assert response.context["correction"] is None


def test_vocabulary_follows_what_is_public():
    from directory.models import searchword_refresh
    from linkup.models import SearchWord

    listing = ListingFactory(full_name="Quentin Zebedee")
    assert SearchWord.objects.filter(source="directory", word="zebedee").exists()
    assert search("Zebedy") == ["Quentin Zebedee"]
    Listing.objects.filter(pk=listing.pk).update(status="withdrawn")
    searchword_refresh()
    assert not SearchWord.objects.filter(source="directory", word="zebedee").exists()


def test_count_is_capped(client, monkeypatch):
    # The page counts at most SEARCH_CAP matches and says there were more.
    monkeypatch.setattr("directory.views.SEARCH_CAP", 3)
    monkeypatch.setattr("directory.models.SEARCH_CAP", 3)
    ListingFactory.create_batch(5, expertise="supported housing")
    response = client.get(reverse("directory:search"), {"q": "housing"})
    assert response.context["page"].paginator.capped
    assert response.context["page"].paginator.count == 3
    assert "More than 1,000 people found" in response.content.decode()
    response = client.get(reverse("directory:search"), {"agency": "adult-social-care"})
    assert response.context["page"].paginator.capped
    monkeypatch.setattr("directory.views.SEARCH_CAP", 10)
    monkeypatch.setattr("directory.models.SEARCH_CAP", 10)
    response = client.get(reverse("directory:search"), {"q": "housing"})
    assert not response.context["page"].paginator.capped
    assert "5 people found" in response.content.decode()


def test_ranked_search_reads_the_same_results_as_search(django_assert_num_queries):
    from directory.models import RankedResults

    derby = LocalAuthority.objects.get(slug="derby")
    ListingFactory(full_name="Ann Housing", job_title="Housing officer", expertise="housing housing advice")
    ListingFactory(full_name="Bob Other", expertise="Some housing work", areas=[derby])
    ListingFactory(full_name="Cy Same", expertise="Some housing work")
    ListingFactory(full_name="Di None", expertise="Benefits appeals", tags="")
    for query in ["housing", "housing -benefits", '"housing work"', "probaton", "Zzzz"]:
        expected = list(Listing.objects.public().search(query))
        ranked = Listing.objects.public().ranked_search(query)
        assert isinstance(ranked, RankedResults)
        rows = ranked[0:25]
        assert [row.pk for row in rows] == [row.pk for row in expected]
        for row, want in zip(rows, expected, strict=True):
            assert row.rank == pytest.approx(want.rank)
            assert (row.headline, row.matches, row.found, row.search_correction) == (
                want.headline,
                want.matches,
                want.found,
                want.search_correction,
            )
        assert ranked[1:2] == rows[1:2]
        assert ranked.capped_count() == len(expected)
    # One statement for a page: the listings come with their agency and the
    # names of their areas.
    ranked = Listing.objects.public().ranked_search("housing")
    with django_assert_num_queries(1):
        shown = [(row.agency.name, row.places) for row in ranked[0:25]]
    assert shown[0] == ("Adult social care", "Nottingham")
    # Filters made before searching narrow the candidates.
    in_derby = Listing.objects.public().filter(areas=derby).ranked_search("housing")
    assert [row.full_name for row in in_derby[0:25]] == ["Bob Other"]
    assert Listing.objects.public().ranked_search("  ") is not None


def test_results_page_shows_the_areas_in_order(client):
    derby = LocalAuthority.objects.get(slug="derby")
    rutland = LocalAuthority.objects.get(slug="rutland")
    ListingFactory(full_name="Two Areas", areas=[rutland, derby])
    for params in ({"q": "housing"}, {}, {"q": "housing", "sort": "name"}):
        html = client.get(reverse("directory:search"), params).content.decode()
        assert "Covers Derby, Rutland" in html


def test_page_brings_its_own_count(client, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr("directory.views.hit", lambda *args, **kwargs: True)
    monkeypatch.setattr("directory.views.PAGE_SIZE", 2)
    ListingFactory.create_batch(5, expertise="supported housing")
    url = reverse("directory:search")
    client.get(url)  # the filters are now in the shared cache
    # the typo check, the ranked page, the content version, the filters
    with django_assert_num_queries(4):
        response = client.get(url, {"q": "housing", "page": "2"})
    page = response.context["page"]
    assert (page.number, page.paginator.count, page.paginator.num_pages, len(page)) == (2, 5, 3, 2)
    # Out of range: a count of its own, then the last page.
    response = client.get(url, {"q": "housing", "page": "99999"})
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page)) == (3, 5, 1)
    response = client.get(url, {"q": "housing", "page": "abc"})
    assert response.context["page"].number == 1
    # Nothing found: page 1 is empty and the count needs no query.
    with django_assert_num_queries(4):
        response = client.get(url, {"q": "zzzzqqq"})
    assert response.context["page"].paginator.count == 0
    assert "0 people found" in response.content.decode()
    # Sorted by name, the search still brings its count with the page.
    response = client.get(url, {"q": "housing", "sort": "name", "page": "3"})
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page)) == (3, 5, 1)


def test_pages_stop_at_the_cap(client, monkeypatch):
    monkeypatch.setattr("directory.views.SEARCH_CAP", 4)
    monkeypatch.setattr("directory.models.SEARCH_CAP", 4)
    monkeypatch.setattr("directory.views.PAGE_SIZE", 2)
    ListingFactory.create_batch(6, expertise="supported housing")
    url = reverse("directory:search")
    # The fifth candidate tells there were more; it is never shown.
    response = client.get(url, {"q": "housing", "page": "3"})
    page = response.context["page"]
    assert page.paginator.capped
    assert (page.number, page.paginator.num_pages, len(page)) == (2, 2, 2)
    monkeypatch.setattr("directory.views.PAGE_SIZE", 3)
    for sort in ("relevance", "name"):
        response = client.get(url, {"q": "housing", "page": "2", "sort": sort})
        page = response.context["page"]
        assert (page.number, page.paginator.num_pages, len(page)) == (2, 2, 1)


def test_known_words_are_never_corrected():
    from linkup.models import SearchWord

    ListingFactory(full_name="Only One", expertise="Resettlement")
    assert SearchWord.objects.filter(word="resettlement").exists()
    # One match (fewer than TYPO_WHEN_FEWER), but every word is known.
    assert Listing.objects.public().typo_correction("resettlement", "resettlement") is None
    assert Listing.objects.public().typo_correction("resetlement", "resetlement") == "resettlement"


def test_cached_filters_follow_reference_data_and_never_keep_errors(client, monkeypatch):
    monkeypatch.setattr("directory.views.hit", lambda *args, **kwargs: True)
    url = reverse("directory:search")
    html = client.get(url, {"q": "housing", "agency": "probation"}).content.decode()
    assert '<option value="probation" selected>Probation</option>' in html
    html = client.get(url, {"q": "courts", "agency": "probation"}).content.decode()
    assert '<option value="probation" selected>Probation</option>' in html
    assert 'value="courts"' in html  # the keyword box is the page's own
    Agency.objects.filter(slug="probation").update(name="Probation Service")
    html = client.get(url, {"q": "courts", "agency": "probation"}).content.decode()
    assert '<option value="probation" selected>Probation Service</option>' in html
    for bad in ("atlantis", "lemuria"):
        html = client.get(url, {"area": bad}).content.decode()
        assert "Select an area from the list" in html and "govuk-select--error" in html
    assert "govuk-select--error" not in client.get(url).content.decode()


def test_every_directory_page_makes_the_same_queries_for_5_and_50_listings(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("directory.views.hit", lambda *args, **kwargs: True)
    monkeypatch.setattr("directory.views.PAGE_SIZE", 2)  # page 2 exists with 5 listings too
    derby = LocalAuthority.objects.get(slug="derby")
    first = ListingFactory(areas=[derby], tags="housing")
    urls = [
        reverse("directory:home"),
        reverse("directory:search"),
        f"{reverse('directory:search')}?area=derby&neighbours=on&agency=adult-social-care"
        "&client_group=care-leavers&open_to=case",
        f"{reverse('directory:search')}?q=housing&area=derby&sort=name&page=2",
        f"{reverse('directory:search')}?q=housing&sort=confirmed",
        f"{reverse('directory:search')}?q=housng",
        first.get_absolute_url(),
        reverse("directory:connect", args=[first.reference]),
        reverse("directory:add"),
    ]

    def counts():
        found = {}
        for url in urls:
            assert client.get(url).status_code == 200  # fills the shared fragments
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found[url] = len(queries)
        return found

    ListingFactory.create_batch(4, areas=[derby], tags="housing")
    with_5 = counts()
    ListingFactory.create_batch(45, areas=[derby], tags="housing")
    assert counts() == with_5


def leaving_care_directory():
    """Listings as the directory has them: care leavers in the expertise,
    and plenty of stop words ("can", "and", "with") that are in the
    vocabulary too."""
    ListingFactory(
        full_name="Lee Baker",
        job_title="Leaving care personal adviser",
        organisation="Nottingham Care Leavers Service",
        expertise="Supported accommodation and tenancy support for care leavers.",
        tags="leaving care, care leavers",
    )
    ListingFactory(
        full_name="Sam Cole",
        job_title="Work coach",
        organisation="Jobcentre Plus",
        expertise="Can advise colleagues on benefits and debt, with Jobcentre Plus.",
    )
    ListingFactory(full_name="Ann Dale", expertise="We can help with housing and budgeting.")


def test_typo_correction_never_gives_a_stop_word(client):
    from linkup.models import SearchWord

    leaving_care_directory()
    assert SearchWord.objects.filter(source="directory", word__in=["can", "and", "with"]).count() == 3
    url = reverse("directory:search")
    response = client.get(url, {"q": "leaving cair"})
    assert response.context["correction"] == "leaving care"
    assert "Showing results for <strong>leaving care</strong>" in response.content.decode()
    assert names(response.context["page"]) == ["Lee Baker"]
    response = client.get(url, {"q": "cair leavers"})
    assert response.context["correction"] == "care leavers"
    assert names(response.context["page"]) == ["Lee Baker"]
    assert f"{MARK('care')} {MARK('leavers')}" in response.content.decode()
    public = Listing.objects.public()
    for typed in ("cair", "ann", "wth", "abd"):
        corrected = public.typo_correction(typed, typed)
        assert corrected not in {"can", "and", "with"}


def test_stop_words_typed_are_never_corrected():
    # "within" is known, "with" is not: a stop word is left as it is all the same.
    ListingFactory(full_name="Kim Able", job_title="Probation officer", expertise="Visits within two days")
    public = Listing.objects.public()
    assert public.typo_correction("probaton with", "probaton with") == "probation with"
    assert public.typo_correction("with", "with") is None


def test_a_search_for_a_client_group_that_finds_no_one_offers_the_filter(client):
    from linkup.models import ClientGroup, LocalAuthority

    care = ClientGroup.objects.get(slug="care-leavers")
    derby = LocalAuthority.objects.get(slug="derby")
    worker = ListingFactory(full_name="Dee Worker", expertise="Move-on planning at 18", areas=[derby])
    worker.client_groups.set([care])
    response = client.get(reverse("directory:search"), {"q": "care leaver", "area": "derby", "sort": "name"})
    assert response.context["page"].paginator.count == 0
    assert response.context["named_filters"] == [
        {"label": "People who work with care leavers", "url": "?area=derby&client_group=care-leavers"}
    ]
    followed = client.get(reverse("directory:search") + response.context["named_filters"][0]["url"])
    assert [listing.full_name for listing in followed.context["page"]] == ["Dee Worker"]
    # Found by its words, no filter is offered.
    assert client.get(reverse("directory:search"), {"q": "move-on"}).context["named_filters"] == []
    assert client.get(reverse("directory:search"), {"q": "probation"}).context["named_filters"] == [
        {"label": "People in the agency or sector ‘Probation’", "url": "?agency=probation"}
    ]
