import io

import psycopg
import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from directory.models import Listing, typo_correction
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
    for sort in ("relevance", "name"):
        html = results_html(client, q="Brontë", sort=sort)
        assert f">Céline {MARK('Brontë')}</a></h3>" in html  # the name
        html = results_html(client, q="probation", sort=sort)
        assert f"Senior {MARK('probation')} officer, Derby {MARK('Probation')} Delivery Unit" in html
        html = results_html(client, q="mappa", sort=sort)
        assert f'<strong class="govuk-tag govuk-tag--grey app-tag">{MARK("MAPPA")}</strong>' in html
        assert '<strong class="govuk-tag govuk-tag--grey app-tag">resettlement</strong>' in html
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
        {"q": "-" * 40},  # was "tsquery stack too small"
        {"q": "- " * 40},
        {"q": "housing " + "-" * 60 + " tenancy"},
        {"q": "(" * 40 + "!" * 40},
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
    assert next(t for t in tags if t["label"].startswith("Agency"))["remove_url"] == "?q=housing"
    assert 'href="?q=housing"' in response.content.decode()


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


def test_every_match_is_counted_in_plain_words(client):
    url = reverse("directory:search")
    ListingFactory(expertise="Gambling harm", tags="")
    assert "1 person found" in client.get(url, {"q": "gambling"}).content.decode()
    ListingFactory.create_batch(1100, expertise="Gambling harm", tags="")
    response = client.get(url, {"q": "gambling"})
    assert response.context["page"].paginator.count == 1101
    assert "1,101 people found" in response.content.decode()
    assert response.context["page"].paginator.num_pages == 45


def test_page_one_is_the_full_ranking(client, monkeypatch):
    """Every match is ranked: the best are on page 1 wherever they are
    stored. More matches than any cap would read (over 1,001), the weaker
    written first, so a search that ranked only the first matches it read
    would miss the later, better ones."""
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from django.db.models import F

    monkeypatch.setattr("directory.views.PAGE_SIZE", 5)
    ListingFactory.create_batch(1010, job_title="Adviser", tags="", expertise="One tenancy case.")
    for n in range(30):
        ListingFactory(
            full_name=f"Mid {n:02d}",
            job_title="Adviser",
            tags="",
            expertise="Tenancy " * (1 + n % 4) + "sustainment.",
        )
    for n in range(3):
        ListingFactory(
            full_name=f"Strong {n}", job_title="Tenancy officer", tags="tenancy", expertise="Tenancy"
        )
    query = SearchQuery("tenancy", search_type="websearch", config="directory_search")
    # The ranking computed independently: every match, by the listing's own vector.
    expected = list(
        Listing.objects.public()
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "full_name", "pk")
        .values_list("full_name", flat=True)
    )
    assert len(expected) == 1043
    response = client.get(reverse("directory:search"), {"q": "tenancy"})
    assert response.context["page"].paginator.count == 1043
    assert names(response.context["page"]) == expected[:5]
    assert names(response.context["page"])[:3] == ["Strong 0", "Strong 1", "Strong 2"]
    response = client.get(reverse("directory:search"), {"q": "tenancy", "page": "2"})
    assert names(response.context["page"]) == expected[5:10]
    assert response.context["page"].paginator.count == 1043


def test_results_page_shows_the_areas_in_order(client):
    derby = LocalAuthority.objects.get(slug="derby")
    rutland = LocalAuthority.objects.get(slug="rutland")
    ListingFactory(full_name="Two Areas", areas=[rutland, derby])
    for params in ({"q": "housing"}, {}, {"q": "housing", "sort": "name"}):
        html = client.get(reverse("directory:search"), params).content.decode()
        assert "Covers Derby, Rutland" in html


def test_pages_out_of_range_and_empty(client, monkeypatch):
    monkeypatch.setattr("directory.views.PAGE_SIZE", 2)
    ListingFactory.create_batch(5, expertise="supported housing")
    url = reverse("directory:search")
    page = client.get(url, {"q": "housing", "page": "2"}).context["page"]
    assert (page.number, page.paginator.count, page.paginator.num_pages, len(page)) == (2, 5, 3, 2)
    # Out of range: the last page.
    page = client.get(url, {"q": "housing", "page": "99999"}).context["page"]
    assert (page.number, page.paginator.count, len(page)) == (3, 5, 1)
    assert client.get(url, {"q": "housing", "page": "abc"}).context["page"].number == 1
    response = client.get(url, {"q": "zzzzqqq"})
    assert response.context["page"].paginator.count == 0
    assert "0 people found" in response.content.decode()
    for sort in ("name", "confirmed"):
        page = client.get(url, {"q": "housing", "sort": sort, "page": "3"}).context["page"]
        assert (page.number, page.paginator.count, len(page)) == (3, 5, 1)


def test_known_words_are_never_corrected():
    from linkup.models import SearchWord

    ListingFactory(full_name="Only One", expertise="Resettlement")
    assert SearchWord.objects.filter(word="resettlement").exists()
    # One match (fewer than TYPO_WHEN_FEWER), but every word is known.
    assert typo_correction("resettlement", "resettlement") is None
    assert typo_correction("resetlement", "resetlement") == "resettlement"


def test_filters_follow_reference_data_and_never_keep_errors(client, monkeypatch):
    monkeypatch.setattr("directory.views.hit", lambda *args, **kwargs: True)
    url = reverse("directory:search")
    html = client.get(url, {"q": "housing", "agency": "probation"}).content.decode()
    assert '<option value="probation" selected>Probation</option>' in html
    html = client.get(url, {"q": "courts", "agency": "probation"}).content.decode()
    assert '<option value="probation" selected>Probation</option>' in html
    assert 'value="courts"' in html  # the keyword box is the page's own
    probation = Agency.objects.get(slug="probation")  # saved, as admin does
    probation.name = "Probation Service"
    probation.save()
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
    vocabulary too. Only the first works with care leavers."""
    others = [ClientGroup.objects.get(slug="adults-with-learning-disabilities")]
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
        client_groups=others,
    )
    ListingFactory(
        full_name="Ann Dale", expertise="We can help with housing and budgeting.", client_groups=others
    )


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
    for typed in ("cair", "ann", "wth", "abd"):
        corrected = typo_correction(typed, typed)
        assert corrected not in {"can", "and", "with"}


def test_stop_words_typed_are_never_corrected():
    # "within" is known, "with" is not: a stop word is left as it is all the same.
    ListingFactory(full_name="Kim Able", job_title="Probation officer", expertise="Visits within two days")
    assert typo_correction("probaton with", "probaton with") == "probation with"
    assert typo_correction("with", "with") is None


def test_keywords_find_client_group_and_agency_names():
    """People are found by the client groups they work with and their agency,
    though their own words name neither."""
    offenders = ClientGroup.objects.get(slug="offenders-under-probation-supervision")
    probation = Agency.objects.get(slug="probation")
    ListingFactory(full_name="Ann Leaving", job_title="Adviser", tags="", expertise="Move-on planning")
    ListingFactory(
        full_name="Bo Licence",
        job_title="Officer",
        tags="",
        expertise="Courts and licence conditions",
        agency=probation,
        client_groups=[offenders],
    )
    assert search("care leavers") == ["Ann Leaving"]
    assert search("offenders") == ["Bo Licence"]
    assert search("probation") == ["Bo Licence"]
    assert search("offenders move-on") == []


def test_search_rows_follow_every_write_path():
    """The rows a search ranks follow the listing however it is written:
    saved, updated in bulk, its client groups changed, its agency renamed."""
    from django.utils import timezone

    listing = ListingFactory(full_name="Cy Pathway", job_title="Adviser", tags="", expertise="Budgeting")
    assert search("budgeting") == ["Cy Pathway"]
    Listing.objects.filter(pk=listing.pk).update(expertise="Debt advice")
    assert search("budgeting") == [] and search("debt") == ["Cy Pathway"]
    Listing.objects.filter(pk=listing.pk).update(stale_hidden_at=timezone.now())
    assert search("debt") == []
    Listing.objects.filter(pk=listing.pk).update(stale_hidden_at=None, status="withdrawn")
    assert search("debt") == []
    listing.refresh_from_db()
    listing.status = "published"
    listing.save()
    assert search("debt") == ["Cy Pathway"]
    listing.client_groups.set([ClientGroup.objects.get(slug="offenders-under-probation-supervision")])
    assert search("care leavers") == [] and search("offenders") == ["Cy Pathway"]
    listing.client_groups.clear()
    assert search("offenders") == []
    Agency.objects.filter(pk=listing.agency_id).update(name="Adult social care and wellbeing")
    assert search("wellbeing") == ["Cy Pathway"]
    ClientGroup.objects.filter(slug="offenders-under-probation-supervision").update(
        short_name="Offenders on licence"
    )
    listing.client_groups.set([ClientGroup.objects.get(slug="offenders-under-probation-supervision")])
    assert search("licence") == ["Cy Pathway"]
    listing.delete()
    assert search("debt") == []


def test_a_search_that_finds_no_one_but_names_a_client_group_offers_the_filter(client):
    care = ClientGroup.objects.get(slug="care-leavers")
    derby = LocalAuthority.objects.get(slug="derby")
    ListingFactory(
        full_name="Dee Worker", expertise="Move-on planning at 18", areas=[derby], client_groups=[care]
    )
    url = reverse("directory:search")
    response = client.get(url, {"q": "care leaver weekends", "area": "derby", "sort": "name"})
    assert response.context["page"].paginator.count == 0
    assert response.context["named_filters"] == [
        {"label": "People who work with care leavers", "url": "?area=derby&client_group=care-leavers"}
    ]
    followed = client.get(url + response.context["named_filters"][0]["url"])
    assert names(followed.context["page"]) == ["Dee Worker"]
    # Found by its words, no filter is offered.
    assert client.get(url, {"q": "move-on"}).context["named_filters"] == []
    assert client.get(url, {"q": "probation weekends"}).context["named_filters"] == [
        {"label": "People in the agency or sector ‘Probation’", "url": "?agency=probation"}
    ]


def test_an_agency_staff_add_is_offered_filterable_and_searchable(client):
    fire = Agency.objects.create(name="Fire and rescue service", slug="fire-and-rescue")
    ListingFactory(full_name="Eve Station", agency=fire, tags="", expertise="Home safety visits")
    url = reverse("directory:search")
    html = client.get(url).content.decode()
    assert '<option value="fire-and-rescue">Fire and rescue service</option>' in html
    assert names(client.get(url, {"agency": "fire-and-rescue"}).context["page"]) == ["Eve Station"]
    assert search("fire and rescue") == ["Eve Station"]
    response = client.get(url, {"q": "fire and rescue service weekends"})
    assert response.context["named_filters"] == [
        {
            "label": "People in the agency or sector ‘Fire and rescue service’",
            "url": "?agency=fire-and-rescue",
        }
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "atlantis"}, "Select an area from the list"),
        ({"agency": "nope"}, "Select an agency from the list"),
        ({"client_group": "x" * 5000}, "Select a client group from the list"),
        ({"open_to": "anything"}, "Select what they are open to from the list"),
        ({"sort": "evil"}, "Select how to sort the results from the list"),
        ({"q": "a" * 201}, "Search words must be 200 characters or fewer"),
        ({"q": "housing\x00"}, "Search words must only include letters, numbers, spaces and punctuation"),
        ({"q": "housing\x1b[31m"}, "Search words must only include letters, numbers, spaces and punctuation"),
    ],
)
def test_unknown_filter_values_give_a_govuk_error_and_keep_the_other_answers(client, params, message):
    ListingFactory(full_name="Fay Kept", agency=Agency.objects.get(slug="probation"))
    ListingFactory(full_name="Gil Other")
    response = client.get(reverse("directory:search"), {"agency": "probation", **params})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert html.count(message) >= 2  # in the summary and by the field
    if "agency" not in params:
        assert names(response.context["page"]) == ["Fay Kept"]  # the valid answer still applies


def sort_shown(html: str) -> tuple[str, str]:
    """The sort box's selected option: its value and its label."""
    import re

    return re.search(
        r'<select[^>]* name="sort"[^>]*>.*?<option value="(\w*)" selected>([^<]*)<', html, re.DOTALL
    ).groups()


def test_the_sort_box_shows_the_order_used(client):
    ListingFactory(full_name="Bee", expertise="housing", last_confirmed="2024-01-01T00:00Z")
    ListingFactory(full_name="Ant", expertise="tenancy", last_confirmed="2023-01-01T00:00Z")
    url = reverse("directory:search")
    # The usual order is the box's first option (""), labelled as that order.
    for params, used, shown, label in [
        ({}, "name", "", "Name"),
        ({"q": "housing"}, "relevance", "", "Relevance"),
        ({"sort": "relevance"}, "name", "", "Name"),  # relevance needs a keyword
        ({"sort": "evil"}, "name", "", "Name"),
        ({"q": "housing", "sort": "name"}, "name", "name", "Name"),
        ({"q": "housing", "sort": "confirmed"}, "confirmed", "confirmed", "Most recently confirmed"),
    ]:
        response = client.get(url, params)
        html = response.content.decode()
        assert response.context["sort"] == used
        assert sort_shown(html) == (shown, label)
        if params:
            assert f"Sorted by: {label}</p>" in html


def test_a_keyword_typed_after_a_filter_sorts_by_relevance(client):
    ListingFactory(full_name="Ann Able", tags="", expertise="Some tenancy work")
    ListingFactory(full_name="Zed Best", job_title="Tenancy officer", tags="tenancy", expertise="Tenancy")
    url = reverse("directory:search")
    response = client.get(url, {"agency": "adult-social-care"})
    # The list is by name, the usual order, shown as the box's first option.
    assert sort_shown(response.content.decode()) == ("", "Name")
    # The same form sent again with a keyword: by relevance.
    drawn = response.context["form"]["sort"].value()
    submitted = {"q": "tenancy", "agency": "adult-social-care", "sort": drawn}
    response = client.get(url, submitted)
    assert response.context["sort"] == "relevance"
    assert names(response.context["page"]) == ["Zed Best", "Ann Able"]
    assert sort_shown(response.content.decode()) == ("", "Relevance")
    # A sort the user chose is kept, and kept in the links.
    response = client.get(url, {**submitted, "sort": "name", "page": "1"})
    assert response.context["sort"] == "name"
    assert names(response.context["page"]) == ["Ann Able", "Zed Best"]
    assert sort_shown(response.content.decode()) == ("name", "Name")
    assert all("sort=name" in tag["remove_url"] for tag in response.context["filter_tags"])


def test_withdrawing_one_listing_keeps_the_words_another_still_uses():
    from linkup.models import SearchWord
    from linkup.search import correct

    first = ListingFactory(full_name="Ada Pangolinwork")
    second = ListingFactory(full_name="Bo Pangolinwork")
    first.status = "withdrawn"
    first.save()
    assert SearchWord.objects.filter(source="directory", word="pangolinwork").exists()
    assert correct("pangolinwrok", sources=["directory"]) == "Pangolinwork"
    assert search("Pangolinwrok") == ["Bo Pangolinwork"]
    second.status = "withdrawn"
    second.save()
    assert not SearchWord.objects.filter(source="directory", word="pangolinwork").exists()
    assert correct("pangolinwrok", sources=["directory"]) is None


def test_demo_listings_come_with_their_vocabulary():
    """A fresh clone's demo directory corrects typos at once."""
    from directory.demo import seed
    from linkup.models import SearchWord

    seed(io.StringIO())
    assert SearchWord.objects.filter(source="directory", word="derbyshire").exists()
    results = Listing.objects.public().search("Derbysire")
    assert results.correction == "Derbyshire"
    assert results.count() > 0


def test_results_show_the_expertise_as_a_snippet(client):
    """Where the headline leaves out the start or the end of the
    expertise, an ellipsis says so; fragments are joined by one."""
    opening = " ".join(f"opening{n}" for n in range(40))
    middle = " ".join(f"middle{n}" for n in range(40))
    ListingFactory(
        full_name="Sam Snip",
        tags="",
        expertise=f"{opening} quokka tenancy help. {middle} more quokka work here. "
        + " ".join(f"closing{n}" for n in range(40))
        + ".",
    )
    html = client.get(reverse("directory:search"), {"q": "quokka"}).content.decode()
    shown = html.split('<mark class="app-highlight">quokka</mark>', 1)
    before = shown[0].rsplit(">", 1)[1]
    after = shown[1].split("</p>", 1)[0]
    assert before.startswith("…opening")
    assert " … " in after and after.endswith("…")
    assert " ... " not in html


def test_client_groups_go_by_their_short_names_in_the_directory(client):
    offenders = ClientGroup.objects.get(slug="offenders-under-probation-supervision")
    listing = ListingFactory(client_groups=[offenders])
    html = client.get(reverse("directory:search"), {"client_group": offenders.slug}).content.decode()
    assert f'<option value="{offenders.slug}" selected>Offenders on probation</option>' in html
    assert "Client group: Offenders on probation" in html
    assert "Offenders under probation supervision" not in html.split("</h1>", 1)[1]
    assert "<li>Offenders on probation</li>" in client.get(listing.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection"), psycopg.OperationalError("connection lost")],
    ids=["django", "driver"],
)
def test_search_during_a_database_outage_is_the_503_page(client, error):
    """The connection drops while the page is drawn: the area list's options
    are read inside a template lookup, which raises its own TypeError first
    (a BoundField is tried as a dict); the visitor still gets the 503 page."""
    ListingFactory(full_name="Kim Able", expertise="Housing advice")
    client.raise_request_exception = False

    def outage(execute, sql, params, many, context):
        if "linkup_localauthority" in sql:
            raise error
        return execute(sql, params, many, context)

    with connection.execute_wrapper(outage):
        response = client.get(reverse("directory:search") + "?q=housing")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in response.content.decode()
