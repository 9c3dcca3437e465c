"""Reading the evidence in a real browser: the journey to "care leavers in
the East Midlands, comparison group or better, figures for NI 147" through
the filter panel, the case-study page with its results in numbers, and the
"Strength of evidence" grid, with axe on a desktop and at 320 pixels."""

import pytest
from playwright.sync_api import expect

from casestudies.evidence import EvidenceLevel, MeasurementMethod
from linkup.models import ClientGroup, NationalIndicator, Region
from tests.casestudies.factories import CaseStudyFactory, OutcomeFigureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = [1280, 320]


@pytest.fixture
def evidence():
    em = Region.objects.get(slug="east-midlands")
    care = ClientGroup.objects.get(slug="care-leavers")
    ni147 = NationalIndicator.objects.get(code="NI 147")
    strong = CaseStudyFactory(
        title="A comparison group in Derby",
        region=em,
        client_groups=[care],
        cohort_size=140,
        measurement_method=MeasurementMethod.COMPARISON_GROUP,
        evaluation_url="https://example.org/report",
        evidence_level=EvidenceLevel.COMPARED,
        setup_cost=8000,
        yearly_cost=24000,
        funded_by="Derby City Council",
        cost_per_person=170,
        savings_claimed=50000,
        savings_basis="Fewer placements in bed and breakfast.",
    )
    OutcomeFigureFactory(case_study=strong, measure="In suitable accommodation at 19", indicator=ni147)
    OutcomeFigureFactory(case_study=strong, measure="In work or college", people=30, baseline_on=None)
    weak = CaseStudyFactory(
        title="Described only", region=em, client_groups=[care], evidence_level=EvidenceLevel.DESCRIBED
    )
    OutcomeFigureFactory(case_study=weak, indicator=ni147)
    CaseStudyFactory(title="No figures yet", region=em, client_groups=[care], evidence_level=4)
    return strong


def test_the_journey_through_the_filter_panel_to_the_figures(page, axe, evidence):
    page.goto("/case-studies/browse/")
    page.get_by_role("group", name="Region").get_by_label("East Midlands", exact=True).check()
    page.get_by_role("group", name="Client group").get_by_label("Care leavers", exact=True).check()
    page.get_by_label("Level 3 or above (compared with others)").check()
    page.get_by_label("NI 147: Care leavers in suitable accommodation").check()
    page.get_by_label("Only examples with figures").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_have_text("1 case study")
    expect(page.locator(".app-case-study-summary h2")).to_have_text("A comparison group in Derby")
    axe(page, context_label="list with the evidence filters")
    page.get_by_role("link", name="A comparison group in Derby").click()
    expect(page.get_by_role("heading", name="Results in numbers")).to_be_visible()
    expect(page.locator(".app-results-in-numbers")).to_contain_text(
        "Counts towards NI 147: care leavers in suitable accommodation"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_case_study_with_figures_is_accessible_and_fits(page, axe, evidence, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(evidence.get_absolute_url())
    expect(page.locator(".app-results-in-numbers__figure")).to_have_count(2)
    expect(page.locator(".app-costs-in-numbers")).to_contain_text("£24,000 a year")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe(page, context_label=f"case study with figures at {width} px")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "query",
    [
        "region=east-midlands&client_group=care-leavers&level=3&figures=yes&indicator=NI+147&sort=people",
        "level=9&figures=maybe&indicator=NI+999",  # every evidence filter wrong: the error summary
        "level=5&figures=yes",  # nothing matches
    ],
)
def test_list_with_the_evidence_filters_is_accessible(page, axe, evidence, width, query):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/case-studies/browse/?{query}")
    expect(page.locator("h1")).to_have_count(1)
    if "level=9" in query:
        expect(page.locator(".govuk-error-summary")).to_contain_text("Select a strength of evidence")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe(page, context_label=f"list ?{query} at {width} px")


@pytest.mark.parametrize("width", WIDTHS)
def test_strength_grid_is_accessible_and_fits(page, axe, evidence, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/case-studies/")
    page.get_by_role("link", name="Strength of evidence").click()
    expect(page.get_by_role("link", name="Strength of evidence")).to_have_attribute("aria-current", "page")
    link = page.get_by_role(
        "link", name="3 case studies: care leavers in East Midlands, strongest evidence level 4"
    )
    expect(link).to_be_visible()
    expect(page.locator(".app-coverage__key-list li")).to_have_count(7)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe(page, context_label=f"strength of evidence grid at {width} px")
