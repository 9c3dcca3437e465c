"""Reading the evidence: the list's evidence filters and "people helped"
sort, the case-study page's "Results in numbers", and the coverage grid's
"Strength of evidence" view. Only the confirmed level counts; nothing
unpublished shows."""

import re

import pytest
from django.http import QueryDict

from alerts.topics import topic_read
from casestudies.evidence import EvidenceLevel, MeasurementMethod
from casestudies.filters import browse
from casestudies.models import CaseStudy
from linkup.models import ClientGroup, NationalIndicator, Region
from tests.casestudies.factories import CaseStudyFactory, OutcomeFigureFactory, UnpublishedCaseStudyFactory

pytestmark = pytest.mark.django_db

LIST = "/case-studies/browse/"


def titles(response) -> list[str]:
    return [case_study.title for case_study in response.context["page_obj"].object_list]


def words(html: str) -> str:
    """The text of some HTML, its spaces made single."""
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return text.replace("( ", "(").replace(" )", ")")


def found(query: str) -> set[str]:
    return {case_study.title for case_study in browse(QueryDict(query)).queryset}


@pytest.fixture
def journey():
    """Examples around "care leavers in the East Midlands, comparison group
    or better, with figures for NI 147": one that matches and one that
    misses each condition."""
    em = Region.objects.get(slug="east-midlands")
    london = Region.objects.get(slug="london")
    care = ClientGroup.objects.get(slug="care-leavers")
    probation = ClientGroup.objects.get(slug="offenders-under-probation-supervision")
    ni147 = NationalIndicator.objects.get(code="NI 147")
    ni148 = NationalIndicator.objects.get(code="NI 148")

    def example(title, *, region=em, group=care, level=EvidenceLevel.COMPARED, indicator=ni147, result=60):
        case_study = CaseStudyFactory(title=title, region=region, client_groups=[group], evidence_level=level)
        if indicator is not False:
            OutcomeFigureFactory(case_study=case_study, indicator=indicator, result_value=result)
        return case_study

    return {
        "match": example("Matches every condition"),
        "level 5": example("Repeated elsewhere", level=EvidenceLevel.REPEATED),
        "london": example("In London", region=london),
        "probation": example("On probation", group=probation),
        "level 2": example("Before and after only", level=EvidenceLevel.CHANGE_MEASURED),
        "proposed only": example("Proposed level only", level=None),
        "other indicator": example("Figures for NI 148", indicator=ni148),
        "no result": example("A baseline but no result", result=None),
        "no figures": example("No figures", indicator=False),
        "secret": UnpublishedCaseStudyFactory(
            title="Unpublished match", region=em, client_groups=[care], evidence_level=EvidenceLevel.REPEATED
        ),
    }


JOURNEY = "region=east-midlands&client_group=care-leavers&level=3&figures=yes&indicator=NI+147"


def test_the_journey_finds_care_leavers_in_the_east_midlands_with_strong_evidence_and_ni_147_figures(
    client, journey
):
    response = client.get(f"{LIST}?{JOURNEY}")
    assert sorted(titles(response)) == ["Matches every condition", "Repeated elsewhere"]
    body = response.content.decode()
    assert "Unpublished match" not in body
    tags = [tag.label for tag in response.context["result"].applied]
    assert tags == [
        "East Midlands",
        "Care leavers",
        "Figures for NI 147",
        "Level 3 or above (compared with others)",
        "With figures",
    ]
    assert response.context["result"].problems == []


def test_evidence_level_filter_keeps_that_level_and_stronger_confirmed_ones_only(journey):
    CaseStudy.objects.filter(pk=journey["proposed only"].pk).update(evidence_level_proposed=5)
    level_3 = found("level=3")
    assert "Proposed level only" not in level_3
    assert "Before and after only" not in level_3
    assert {"Matches every condition", "Repeated elsewhere", "In London"} <= level_3
    assert found("level=5") == {"Repeated elsewhere"}
    assert "Before and after only" in found("level=2")


def test_has_figures_means_a_figure_with_a_result(journey):
    with_figures = found("figures=yes")
    assert "No figures" not in with_figures
    assert "A baseline but no result" not in with_figures
    assert "Figures for NI 148" in with_figures
    assert "Unpublished match" not in with_figures


def test_indicator_filter_needs_a_result_for_that_indicator(journey):
    assert "Figures for NI 148" not in found("indicator=NI+147")
    assert "A baseline but no result" not in found("indicator=NI+147")
    assert found("indicator=NI+148") == {"Figures for NI 148"}
    either = found("indicator=NI+147&indicator=NI+148")
    assert "Figures for NI 148" in either and "Matches every condition" in either


def test_the_filter_panel_names_the_indicators_in_words(client, journey):
    body = client.get(LIST).content.decode()
    assert "NI 147: Care leavers in suitable accommodation" in body
    assert "NI 150: Adults in contact with secondary mental health services in employment" in body
    assert "Level 3 or above (compared with others)" in body
    assert "Only examples with figures" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("level=9", "Select a strength of evidence from the list"),
        ("level=%00", "Select a strength of evidence from the list"),
        ("figures=maybe", "Select ‘Only examples with figures’ or leave it empty"),
        ("indicator=NI+999", "is not a national indicator we know"),
    ],
)
def test_a_bad_evidence_filter_is_left_out_with_a_message_not_an_error(client, journey, query, message):
    response = client.get(f"{LIST}?{query}&region=east-midlands")
    assert response.status_code == 200
    assert message in response.content.decode()
    # The region still applies; the bad value is left out.
    assert "In London" not in titles(response)
    assert "Matches every condition" in titles(response)


def test_a_bad_indicator_beside_a_good_one_keeps_the_good_one(journey):
    result = browse(QueryDict("indicator=NI+999&indicator=NI+148"))
    assert {case_study.title for case_study in result.queryset} == {"Figures for NI 148"}


def test_removing_an_evidence_tag_keeps_the_other_filters(client, journey):
    response = client.get(f"{LIST}?{JOURNEY}")
    remove = {tag.label: tag.remove_url for tag in response.context["result"].applied}
    assert "level" not in QueryDict(remove["Level 3 or above (compared with others)"][1:])
    assert QueryDict(remove["Figures for NI 147"][1:]).getlist("indicator") == []
    assert QueryDict(remove["With figures"][1:]).get("level") == "3"


def test_sort_by_people_helped_puts_the_most_first_and_unknown_last(client):
    for title, people in [("Twelve", 12), ("Unknown", None), ("Three hundred", 300), ("Forty", 40)]:
        CaseStudyFactory(title=title, cohort_size=people)
    response = client.get(f"{LIST}?sort=people")
    assert titles(response) == ["Three hundred", "Forty", "Twelve", "Unknown"]
    assert 'value="people" selected' in response.content.decode()


def test_sort_by_people_helped_works_with_a_keyword(client):
    CaseStudyFactory(title="Tenancy help for few", cohort_size=5)
    CaseStudyFactory(title="Tenancy help for many", cohort_size=500)
    response = client.get(f"{LIST}?q=tenancy&sort=people")
    assert titles(response) == ["Tenancy help for many", "Tenancy help for few"]


def test_an_alert_topic_describes_the_evidence_filters_in_words():
    topic = topic_read(QueryDict(f"{JOURNEY}&sort=people"))
    assert topic.description == (
        "Case studies for care leavers in the East Midlands with evidence at level 3 (compared with "
        "others) or above and figures for NI 147 (care leavers in suitable accommodation)"
    )
    assert QueryDict(topic.query).dict() == {
        "region": "east-midlands",
        "client_group": "care-leavers",
        "indicator": "NI 147",
        "level": "3",
        "figures": "yes",
    }
    assert topic_read(QueryDict("figures=yes")).description == "Case studies with figures"


def test_an_alert_topic_matches_what_the_list_finds(journey):
    topic = topic_read(QueryDict(JOURNEY))
    assert found(topic.query) == {"Matches every condition", "Repeated elsewhere"}


# The case-study page: "Results in numbers"


def test_results_in_numbers_shows_people_figures_method_level_and_costs(client):
    ni147 = NationalIndicator.objects.get(code="NI 147")
    case_study = CaseStudyFactory(
        cohort_size=1200,
        measurement_method=MeasurementMethod.COMPARISON_GROUP,
        evaluation_url="https://example.org/evaluation.pdf",
        evidence_level=EvidenceLevel.COMPARED,
        evidence_level_proposed=EvidenceLevel.REPEATED,
        setup_cost=12000,
        yearly_cost=30500,
        funded_by="The council and the housing trust",
        cost_per_person=250,
        savings_claimed=90000,
        savings_basis="Fewer nights in emergency housing.",
    )
    OutcomeFigureFactory(
        case_study=case_study,
        measure="In suitable accommodation at 19",
        indicator=ni147,
        people=40,
        baseline_value=22,
        baseline_unit="count",
        result_value=34,
        result_unit="count",
    )
    body = client.get(case_study.get_absolute_url()).content.decode()
    numbers = body[body.index('id="results-in-numbers"') : body.index("Lessons for others")]
    text = words(numbers)
    assert "People helped 1,200 people" in text
    assert "In suitable accommodation at 19 40 people Before: 22 people (April 2023)" in text
    assert "After: 34 people (March 2024)" in text
    assert "Counts towards NI 147: care leavers in suitable accommodation" in text
    assert "How it was measured Against a comparison group Read the evaluation or report" in text
    assert 'href="https://example.org/evaluation.pdf"' in numbers
    assert "Level 3: compared with others" in text
    assert "Level 5" not in body  # the submitter's proposal is not public
    costs = words(body[body.index("Costs and resources") :])
    assert "Set-up cost £12,000" in costs
    assert "Running cost £30,500 a year" in costs
    assert "Who paid The council and the housing trust" in costs
    assert "Cost per person £250" in costs
    assert "Savings claimed £90,000 a year" in costs
    assert "How the savings were worked out Fewer nights in emergency housing." in costs


def test_results_in_numbers_shows_only_what_is_known(client):
    case_study = CaseStudyFactory(cohort_size=8, costs="")
    OutcomeFigureFactory(
        case_study=case_study,
        measure="Back in work",
        people=None,
        baseline_value=None,
        baseline_unit="",
        baseline_on=None,
        result_value=3,
        result_unit="count",
        result_on=None,
    )
    body = client.get(case_study.get_absolute_url()).content.decode()
    numbers = body[body.index('id="results-in-numbers"') : body.index("Lessons for others")]
    text = words(numbers)
    assert "Back in work After: 3 people" in text
    for absent in ("Before:", "How it was measured", "Strength of evidence", "Counts towards", "(", "person"):
        assert absent not in text.replace("People helped 8 people", "")
    assert "Costs and resources" not in body


def test_nothing_known_means_no_results_in_numbers_at_all(client):
    case_study = CaseStudyFactory()
    body = client.get(case_study.get_absolute_url()).content.decode()
    assert "Results in numbers" not in body
    assert "app-costs-in-numbers" not in body
    assert "Costs and resources" in body  # the written costs still show


def test_detail_page_queries_do_not_grow_with_figures(client, no_page_cache, count_queries):
    ni147 = NationalIndicator.objects.get(code="NI 147")
    few, many = CaseStudyFactory(), CaseStudyFactory()
    for case_study, number in ((few, 5), (many, 50)):
        OutcomeFigureFactory.create_batch(number, case_study=case_study, indicator=ni147)
    assert count_queries(lambda: client.get(few.get_absolute_url())) == count_queries(
        lambda: client.get(many.get_absolute_url())
    )


def test_list_queries_do_not_grow_with_figures_or_rows(client, no_page_cache, count_queries):
    def add(number):
        for _ in range(number):
            OutcomeFigureFactory(case_study=CaseStudyFactory(evidence_level=3, cohort_size=9))

    url = f"{LIST}?level=3&figures=yes&indicator=NI+147&sort=people"
    add(5)
    five = count_queries(lambda: client.get(url))
    add(45)
    assert count_queries(lambda: client.get(url)) == five


# The coverage grid: "Strength of evidence"


def cells(response) -> dict[tuple[str, str], dict]:
    return {
        (row["region"].slug, cell["group"].slug): cell
        for row in response.context["rows"]
        for cell in row["cells"]
    }


def test_strength_view_shades_each_cell_by_its_strongest_confirmed_level(client):
    london = Region.objects.get(slug="london")
    care = ClientGroup.objects.get(slug="care-leavers")
    probation = ClientGroup.objects.get(slug="offenders-under-probation-supervision")
    CaseStudyFactory(region=london, client_groups=[care], evidence_level=2)
    CaseStudyFactory(region=london, client_groups=[care], evidence_level=4)
    CaseStudyFactory(region=london, client_groups=[care, probation], evidence_level=None)
    UnpublishedCaseStudyFactory(region=london, client_groups=[care, probation], evidence_level=5)
    response = client.get("/case-studies/?view=strength")
    grid = cells(response)
    assert (grid["london", "care-leavers"]["count"], grid["london", "care-leavers"]["strength"]) == (
        3,
        "level-4",
    )
    assert grid["london", "offenders-under-probation-supervision"]["strength"] == "unrated"
    assert grid["north-east", "care-leavers"]["strength"] == "none"
    body = response.content.decode()
    assert "Strongest evidence by region and client group" in body
    hidden = '3<span class="govuk-visually-hidden"> case studies: care leavers in London,'
    assert f"{hidden} strongest evidence level 4" in body
    assert "Level 5: repeated elsewhere" in body  # the key
    assert 'aria-current="page">Strength of evidence' in body
    # The usual view is unchanged.
    usual = client.get("/case-studies/").content.decode()
    assert "app-coverage__cell--level-" not in usual.split("<tbody")[1]
    assert 'aria-current="page">Number of examples' in usual


def test_grid_queries_do_not_grow_with_rows(client, no_page_cache, count_queries):
    groups = list(ClientGroup.objects.ordered())
    regions = list(Region.objects.ordered())

    def add(number):
        for n in range(number):
            CaseStudyFactory(region=regions[n % 9], client_groups=[groups[n % 4]], evidence_level=n % 5 + 1)

    add(5)
    five = count_queries(lambda: client.get("/case-studies/?view=strength"))
    add(45)
    assert count_queries(lambda: client.get("/case-studies/?view=strength")) == five


def test_a_changed_figure_shows_at_once_on_the_cached_page(client):
    case_study = CaseStudyFactory()
    figure = OutcomeFigureFactory(case_study=case_study, measure="Housed after a year", result_value=10)
    assert "After: 10 per cent" in client.get(case_study.get_absolute_url()).content.decode()
    figure.result_value = 20
    figure.save()
    body = client.get(case_study.get_absolute_url()).content.decode()
    assert "After: 20 per cent" in body
    figure.delete()
    assert "Housed after a year" not in client.get(case_study.get_absolute_url()).content.decode()
