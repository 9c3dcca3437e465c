"""The coverage grid, the list with its filters, region, client-group and detail pages."""

import re

import pytest
from django.urls import reverse

from linkup.models import Agency, ClientGroup, NationalIndicator, Outcome, Region
from linkup.moderation import Status
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory

# The pages as built for each request, not from the whole-page cache
# (linkup/pagecache.py, tested in tests/linkup/test_pagecache.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def ref():
    class Ref:
        north_east = Region.objects.get(slug="north-east")
        london = Region.objects.get(slug="london")
        care = ClientGroup.objects.get(slug="care-leavers")
        ld = ClientGroup.objects.get(slug="adults-with-learning-disabilities")
        probation = Agency.objects.get(slug="probation")
        housing = Outcome.objects.get(slug="settled-accommodation")
        employment = Outcome.objects.get(slug="employment")

    return Ref


def titles(response):
    return [case_study.title for case_study in response.context["page_obj"].object_list]


# --- Coverage grid ----------------------------------------------------------


def test_grid_counts_published_only_and_links_cells(client, ref):
    CaseStudyFactory.create_batch(2, region=ref.north_east, client_groups=[ref.care])
    UnpublishedCaseStudyFactory(region=ref.north_east, client_groups=[ref.care])
    UnpublishedCaseStudyFactory(region=ref.london, client_groups=[ref.ld])
    html = client.get(reverse("casestudies:home")).content.decode()
    assert "Unpublished secret" not in html
    list_url = reverse("casestudies:list")
    assert f'href="{list_url}?region=north-east&amp;client_group=care-leavers">2<' in html
    # The London × learning disabilities cell has only an unpublished example: still needed.
    cells = [cell for row in client.get(reverse("casestudies:home")).context["rows"] for cell in row["cells"]]
    assert sum(1 for cell in cells if cell["count"] == 0) == 35
    assert html.count("Example needed<span") == 35
    assert "app-coverage__cell--high" in html and "app-coverage__cell--none" in html
    assert '<th scope="row"' in html and '<th scope="col"' in html
    assert client.get(reverse("casestudies:home")).context["total"] == 2


def test_grid_empty_cell_links_to_submission_form_when_it_exists(client, ref):
    from linkup.context_processors import url_if_installed

    html = client.get(reverse("casestudies:home")).content.decode()
    submit_url = url_if_installed("casestudies:submit")
    if submit_url:
        assert f'href="{submit_url}?region=london&amp;client_group=care-leavers"' in html
    else:
        assert 'class="app-coverage__needed"' in html


def test_grid_counts_a_study_in_each_of_its_client_groups(client, ref):
    CaseStudyFactory(region=ref.london, client_groups=[ref.care, ref.ld])
    counts = client.get(reverse("casestudies:home")).context["rows"]
    london = next(row for row in counts if row["region"] == ref.london)
    assert [cell["count"] for cell in london["cells"]] == [1, 0, 0, 1]


# --- List and filters -------------------------------------------------------


def test_list_shows_published_newest_first_with_a_count(client):
    older, newer = CaseStudyFactory.create_batch(2)
    UnpublishedCaseStudyFactory()
    response = client.get(reverse("casestudies:list"))
    assert titles(response) == [older.title, newer.title]  # factory: later = older
    html = response.content.decode()
    assert "2 case studies" in html
    assert "Unpublished secret" not in html


def test_filter_by_each_facet_singly_and_combined(client, ref):
    a = CaseStudyFactory(region=ref.north_east, client_groups=[ref.care], outcomes=[ref.housing])
    b = CaseStudyFactory(region=ref.london, client_groups=[ref.care], agencies=[ref.probation])
    c = CaseStudyFactory(region=ref.london, client_groups=[ref.ld], outcomes=[ref.employment])
    url = reverse("casestudies:list")
    assert set(titles(client.get(url, {"region": "london"}))) == {b.title, c.title}
    assert set(titles(client.get(url, {"client_group": "care-leavers"}))) == {a.title, b.title}
    assert titles(client.get(url, {"agency": "probation"})) == [b.title]
    assert titles(client.get(url, {"outcome": "employment"})) == [c.title]
    assert titles(client.get(url, {"region": "london", "client_group": "care-leavers"})) == [b.title]
    # Two values of one filter: either will do.
    assert set(titles(client.get(f"{url}?region=london&region=north-east"))) == {a.title, b.title, c.title}
    assert titles(client.get(url, {"region": "north-east", "outcome": "employment"})) == []


def test_a_study_in_two_client_groups_is_listed_once(client, ref):
    CaseStudyFactory(client_groups=[ref.care, ref.ld])
    response = client.get(
        f"{reverse('casestudies:list')}?client_group=care-leavers&client_group=adults-with-learning-disabilities"
    )
    assert len(titles(response)) == 1


def test_applied_filters_are_removable_tags(client, ref):
    CaseStudyFactory(region=ref.london)
    response = client.get(f"{reverse('casestudies:list')}?region=london&outcome=employment&page=1")
    applied = {tag.label: tag.remove_url for tag in response.context["result"].applied}
    assert applied == {"London": "?outcome=employment", "Employment": "?region=london"}
    html = response.content.decode()
    assert 'href="?outcome=employment"' in html and "Remove filter: </span>London" in html


def test_sorting_by_title_and_newest(client):
    CaseStudyFactory(title="Bravo")
    CaseStudyFactory(title="Alpha")
    CaseStudyFactory(title="Charlie")
    url = reverse("casestudies:list")
    assert titles(client.get(url, {"sort": "title"})) == ["Alpha", "Bravo", "Charlie"]
    assert titles(client.get(url, {"sort": "newest"})) == ["Bravo", "Alpha", "Charlie"]
    # Relevance without a keyword means newest.
    assert client.get(url, {"sort": "relevance"}).context["result"].sort == "newest"


def test_pagination_uses_the_govuk_component_and_keeps_filters(client, ref):
    CaseStudyFactory.create_batch(25, region=ref.london)
    response = client.get(reverse("casestudies:list"), {"region": "london"})
    assert len(titles(response)) == 20
    html = response.content.decode()
    assert 'class="govuk-pagination"' in html
    assert 'href="?region=london&amp;page=2"' in html
    assert len(titles(client.get(reverse("casestudies:list"), {"region": "london", "page": "2"}))) == 5


@pytest.mark.parametrize(
    ("page", "shown", "message"),
    [
        ("1", 20, None),
        ("2", 5, None),
        ("3", 5, "There is no page 3. Showing page 2, the last page."),
        ("99999", 5, "There is no page 99999. Showing page 2, the last page."),
        ("0", 20, "There is no page 0. Showing page 1."),
        ("9" * 5000, 5, "Showing page 2, the last page."),
        ("abc", 20, "Page numbers must be whole numbers, like 2. Showing page 1."),
    ],
)
def test_search_results_are_paged_with_the_number_of_matches(client, ref, page, shown, message):
    CaseStudyFactory.create_batch(25, title="Mentoring for care leavers", region=ref.london)
    CaseStudyFactory(title="Something else entirely", region=ref.london)
    response = client.get(reverse("casestudies:list"), {"q": "mentoring", "page": page})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert len(titles(response)) == shown
    assert (page_obj.paginator.count, page_obj.paginator.num_pages) == (25, 2)
    problem = response.context["page_problem"]
    if message is None:
        assert problem is None
    else:
        assert problem.endswith(message)
    assert "25 case studies matching" in response.content.decode()


def test_a_search_with_no_matches_says_so(client, ref):
    CaseStudyFactory(title="Mentoring for care leavers", region=ref.london)
    for params in ({"q": "zebra"}, {"q": "zebra", "page": "4"}, {"q": "mentoring", "region": "north-east"}):
        response = client.get(reverse("casestudies:list"), params)
        assert response.context["page_obj"].paginator.count == 0
        assert "No case studies match" in response.content.decode()


def test_search_with_filters_and_each_sort(client, ref):
    CaseStudyFactory(title="Bravo mentoring", region=ref.london, client_groups=[ref.ld])  # the newest
    CaseStudyFactory(title="Alpha mentoring", region=ref.london, client_groups=[ref.care])
    CaseStudyFactory(title="Charlie mentoring", region=ref.north_east, client_groups=[ref.care])
    url = reverse("casestudies:list")
    params = {"q": "mentoring", "region": "london"}
    assert titles(client.get(url, {**params, "sort": "title"})) == ["Alpha mentoring", "Bravo mentoring"]
    assert titles(client.get(url, {**params, "sort": "newest"})) == ["Bravo mentoring", "Alpha mentoring"]
    response = client.get(url, {**params, "client_group": "care-leavers"})
    assert titles(response) == ["Alpha mentoring"]
    assert response.context["page_obj"].paginator.count == 1


def test_empty_state_suggests_what_to_do(client, ref):
    CaseStudyFactory(region=ref.london)
    html = client.get(reverse("casestudies:list"), {"region": "north-east"}).content.decode()
    assert "0 case studies" in html
    assert "No case studies match" in html
    assert "removing one of the filters you chose" in html


# --- Bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "Page numbers must be whole numbers"),
        ({"page": "99999"}, "There is no page 99999. Showing page 1, the last page."),
        ({"page": "9" * 5000}, "Showing page 1"),
        ({"region": "atlantis"}, "‘atlantis’ is not a region we know"),
        ({"client_group": "pirates"}, "‘pirates’ is not a client group we know"),
        ({"q": "x" * 5000}, "Keyword must be 200 characters or fewer"),
        ({"q": "housing\x00officer"}, "Keyword must only include letters"),
        ({"q": "housing\x1b[31m"}, "Keyword must only include letters"),
        ({"region": "north\x00east"}, "Choose a region from the list"),
        ({"sort": "sideways"}, "Select how to sort the results from the list"),
    ],
)
def test_bad_query_strings_give_a_normal_page_with_a_message(client, params, message):
    CaseStudyFactory()
    response = client.get(reverse("casestudies:list"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message.replace("‘", "&lsquo;") in html or message in html
    assert len(titles(response)) == 1  # the bad part is ignored, the rest still works


def test_unknown_filter_value_keeps_the_valid_filters(client, ref):
    CaseStudyFactory(region=ref.london, outcomes=[ref.employment])
    CaseStudyFactory(region=ref.north_east)
    response = client.get(reverse("casestudies:list"), {"region": "london", "outcome": "flying"})
    assert len(titles(response)) == 1
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize("url", ["casestudies:list", "casestudies:api", "casestudies:export_csv"])
def test_an_unknown_value_leaves_out_only_itself(client, ref, url):
    CaseStudyFactory(title="In London", region=ref.london)
    CaseStudyFactory(title="In the north east", region=ref.north_east)
    response = client.get(f"{reverse(url)}?region=london&region=atlantis")
    text = b"".join(response).decode()
    assert "In London" in text and "In the north east" not in text
    if url == "casestudies:list":
        assert [tag.label for tag in response.context["result"].applied] == ["London"]
        assert "‘atlantis’ is not a region we know" in text


def test_an_empty_filter_value_is_no_choice(client, ref):
    CaseStudyFactory(region=ref.london)
    CaseStudyFactory(region=ref.north_east)
    response = client.get(f"{reverse('casestudies:list')}?region=&agency=")
    assert len(titles(response)) == 2
    assert "There is a problem" not in response.content.decode()


def test_a_long_unknown_value_is_not_repeated_in_full(client):
    response = client.get(reverse("casestudies:list"), {"agency": "x" * 3000})
    html = response.content.decode()
    assert f"‘{'x' * 40}…’ is not an agency we know" in html
    assert f"‘{'x' * 41}" not in html


def selected_sort(response) -> str:
    select = response.content.decode().split('name="sort"', 1)[1].split("</select>", 1)[0]
    return select.split(" selected>", 1)[1].split("<", 1)[0]


def test_the_sort_box_shows_the_order_used(client):
    CaseStudyFactory(title="Mentoring scheme")
    url = reverse("casestudies:list")
    for params, order in (
        ({}, "Newest"),
        ({"sort": "relevance"}, "Newest"),
        ({"region": "london"}, "Newest"),
        ({"q": "mentoring"}, "Relevance"),
        ({"q": "mentoring", "sort": "title"}, "Title (A to Z)"),
        ({"sort": "title"}, "Title (A to Z)"),
    ):
        response = client.get(url, params)
        assert selected_sort(response) == order, params
        assert f"Sorted by: {order}</p>" in response.content.decode()


def test_a_new_keyword_sorts_by_relevance_unless_another_order_was_chosen(client):
    CaseStudyFactory(title="Body", approach="Weekly mentoring sessions.")
    CaseStudyFactory(title="Mentoring circle", summary="Mentoring for tenants.")
    url = reverse("casestudies:list")
    # A filter chosen first: the form then sends the sort box as drawn, with a keyword typed.
    drawn = client.get(url, {"region": "london"}).context["form"]["sort"].value()
    response = client.get(url, {"region": "", "sort": drawn, "q": "mentoring"})
    assert response.context["result"].sort == "relevance"
    assert [c.title for c in response.context["page_obj"]] == ["Mentoring circle", "Body"]
    chosen = client.get(url, {"sort": "newest", "q": "mentoring"})
    assert chosen.context["result"].sort == "newest"
    assert selected_sort(chosen) == "Newest"


def test_a_keyword_of_only_common_words_is_explained(client):
    CaseStudyFactory(title="Or else")
    response = client.get(reverse("casestudies:list"), {"q": "or the"})
    assert titles(response) == []
    assert "made only of words too common to search for" in response.content.decode()
    warnings = client.get(reverse("casestudies:api"), {"q": "*"}).json()["warnings"]
    assert any("too common to search for" in warning for warning in warnings)


def test_nothing_found_suggests_a_spelling_from_the_portal(client, ref):
    CaseStudyFactory(
        title="Mentoring young people", summary="Apprenticeships with employers.", region=ref.london
    )
    response = client.get(reverse("casestudies:list"), {"q": "employrs", "region": "london", "page": "2"})
    assert titles(response) == []
    result = response.context["result"]
    assert result.suggestion == "employers"
    assert result.suggestion_url == "?q=employers&region=london"
    assert titles(client.get(reverse("casestudies:list") + result.suggestion_url)) == [
        "Mentoring young people"
    ]


def test_repeated_filter_values_count_once(client, ref):
    CaseStudyFactory(region=ref.london)
    response = client.get(f"{reverse('casestudies:list')}?region=london&region=london")
    assert len(titles(response)) == 1
    assert [tag.label for tag in response.context["result"].applied] == ["London"]


def test_tabs_and_line_breaks_in_a_keyword_are_spaces(client):
    CaseStudyFactory(title="Housing officer in the probation office")
    response = client.get(reverse("casestudies:list"), {"q": "housing\tofficer\n"})
    assert response.context["result"].keyword == "housing officer"
    assert len(titles(response)) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/case-studies/no-such-study/",
        "/case-studies/regions/atlantis/",
        "/case-studies/client-groups/pirates/",
    ],
)
def test_unknown_slugs_are_404(client, path):
    assert client.get(path).status_code == 404


# --- Region and client-group pages -------------------------------------------


def test_region_page_describes_the_region_and_lists_its_studies(client, ref):
    mine = CaseStudyFactory(region=ref.london)
    CaseStudyFactory(region=ref.north_east, title="Elsewhere")
    UnpublishedCaseStudyFactory(region=ref.london)
    response = client.get(ref.london.get_absolute_url())
    html = response.content.decode()
    assert "The 32 London boroughs" in html
    assert mine.title in html and "Elsewhere" not in html and "Unpublished secret" not in html
    assert f"{reverse('casestudies:list')}?region=london" in html


def test_client_group_page_explains_both_indicators(client, ref):
    mine = CaseStudyFactory(client_groups=[ref.care])
    html = client.get(ref.care.get_absolute_url()).content.decode()
    for indicator in NationalIndicator.objects.filter(client_group=ref.care):
        assert indicator.code in html
        assert indicator.plain_english in html
    assert "NI 143" not in html
    assert mine.title in html


# --- Detail -----------------------------------------------------------------


def test_detail_shows_sections_links_and_matching_indicators(client, ref):
    case_study = CaseStudyFactory(
        region=ref.london, client_groups=[ref.care], outcomes=[ref.housing], agencies=[ref.probation]
    )
    html = client.get(case_study.get_absolute_url()).content.decode()
    for heading in ("The challenge", "What was done", "Results", "Lessons for others", "Costs and resources"):
        assert f'<h2 class="govuk-heading-l">{heading}</h2>' in html
    list_url = reverse("casestudies:list")
    assert f'href="{list_url}?region=london"' in html
    assert f'href="{list_url}?client_group=care-leavers"' in html
    assert f'href="{list_url}?agency=probation"' in html
    assert f'href="{list_url}?outcome=settled-accommodation"' in html
    assert "Counts towards NI 147" in html
    assert "NI 145" not in html  # not this client group's indicator
    assert "Published <time" in html


def test_detail_hides_submitter_unless_they_agreed(client):
    private = CaseStudyFactory(show_contact=False)
    html = client.get(private.get_absolute_url()).content.decode()
    for secret in ("Priya Submitter", "priya.submitter@example.test", "01632 960001"):
        assert secret not in html
    public = CaseStudyFactory(show_contact=True)
    html = client.get(public.get_absolute_url()).content.decode()
    assert "Priya Submitter" in html and "priya.submitter@example.test" in html
    assert "01632 960001" not in html


@pytest.mark.parametrize("status", [s for s in Status if s != Status.PUBLISHED])
def test_unpublished_detail_is_404(client, status):
    case_study = UnpublishedCaseStudyFactory(status=status)
    assert client.get(case_study.get_absolute_url()).status_code == 404


def test_related_case_studies_prefer_the_same_group_and_region(client, ref):
    case_study = CaseStudyFactory(region=ref.london, client_groups=[ref.care])
    both = CaseStudyFactory(region=ref.london, client_groups=[ref.care], title="Both match")
    CaseStudyFactory(region=ref.north_east, client_groups=[ref.care], title="Group matches")
    CaseStudyFactory(region=ref.north_east, client_groups=[ref.ld], title="Nothing matches")
    UnpublishedCaseStudyFactory(region=ref.london, client_groups=[ref.care])
    related = list(client.get(case_study.get_absolute_url()).context["related"])
    assert [r.title for r in related] == [both.title, "Group matches"]


def test_detail_text_is_escaped(client):
    case_study = CaseStudyFactory(challenge="<script>alert(1)</script>")
    html = client.get(case_study.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


# --- Fixed query counts -----------------------------------------------------


PAGES = (
    "home",
    "list",
    "search",
    "region",
    "client_group",
    "detail",
    "feed",
    "region_feed",
    "client_group_feed",
    "export_csv",
    "api",
)


def _urls(case_study):
    return {
        "home": reverse("casestudies:home"),
        "list": reverse("casestudies:list"),
        "search": f"{reverse('casestudies:list')}?q=joint+working&region=london&client_group=care-leavers",
        "region": case_study.region.get_absolute_url(),
        "client_group": reverse("casestudies:client_group", args=["care-leavers"]),
        "detail": case_study.get_absolute_url(),
        "feed": reverse("casestudies:feed"),
        "region_feed": reverse("casestudies:region_feed", args=[case_study.region.slug]),
        "client_group_feed": reverse("casestudies:client_group_feed", args=["care-leavers"]),
        "export_csv": reverse("casestudies:export_csv"),
        "api": reverse("casestudies:api"),
    }


@pytest.mark.parametrize("page", PAGES)
def test_every_public_page_uses_as_many_queries_for_50_case_studies_as_for_5(client, ref, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(rows):
        CaseStudyFactory.create_batch(
            rows,
            region=ref.london,
            client_groups=[ref.care, ref.ld],
            outcomes=[ref.housing],
            agencies=[ref.probation],
        )

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200
        return len(context), body

    case_study = CaseStudyFactory(region=ref.london, client_groups=[ref.care], outcomes=[ref.housing])
    url = _urls(case_study)[page]
    add(4)
    client.get(url)  # anything done once after a change, on the first visit
    few, _ = queries(url)
    add(45)
    client.get(url)
    many, body = queries(url)
    assert many == few
    shown = {"home": 0, "detail": 3}.get(page, 10)
    assert body.count(b"Joint working example") >= shown


def test_cards_list_their_client_groups_and_outcomes(client, ref):
    outcomes = list(Outcome.objects.ordered())
    for n in range(6):
        CaseStudyFactory(
            title=f"Card {n}", client_groups=[ref.care, ref.ld][: 1 + n % 2], outcomes=outcomes[: n % 3]
        )
    html = client.get(reverse("casestudies:list")).content.decode()
    for card in html.split('class="app-case-study-summary"')[1:]:
        n = int(card.split("Card ", 1)[1][0])
        assert ((ref.ld.short_name or ref.ld.name) in card) == bool(n % 2)
        for outcome in outcomes[: n % 3]:
            assert outcome.name in card


def test_a_client_group_has_one_short_name_across_the_interface(client):
    offenders = ClientGroup.objects.get(slug="offenders-under-probation-supervision")
    CaseStudyFactory(title="Probation and housing together", client_groups=[offenders])
    html = client.get(reverse("casestudies:list"), {"client_group": offenders.slug}).content.decode()
    # The checkbox, the chip of the chosen filter and each result's line of facts.
    assert html.count("Offenders on probation") >= 3
    # The national indicators' filter names each by its definition, as the group's page does.
    indicators = re.compile(
        r"<fieldset[^>]*>\s*<legend[^>]*>Figures for a national indicator.*?</fieldset>", re.S
    )
    assert indicators.search(html)
    assert "Offenders under probation supervision" not in indicators.sub("", html)
    case_study = CaseStudyFactory(title="Another", client_groups=[offenders])
    detail = client.get(case_study.get_absolute_url()).content.decode()
    assert "Offenders on probation" in detail
    # The full name where the definition matters: the group's page with its indicators.
    group_page = client.get(offenders.get_absolute_url()).content.decode()
    assert "Offenders under probation supervision" in group_page
