"""The toolkit, finder, builder and site search in a real browser, checked with axe-core."""

import re

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from casestudies.models import OutcomeFigure
from linkup.models import NationalIndicator, Region
from tests.casestudies.factories import CaseStudyFactory
from toolkit.models import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_toolkit_pages_are_accessible(page, axe):
    page.goto("/toolkit/")
    expect(page.locator("h1")).to_have_text("Toolkit")
    axe(page, context_label="toolkit home")
    page.get_by_role("link", name="Making it work").click()
    expect(page.locator("h1")).to_have_text("Making it work")
    axe(page, context_label="toolkit section")
    page.get_by_role("link", name="Sharing information safely").click()
    expect(page.locator("h1")).to_have_text("Sharing information safely")
    expect(page.locator(".govuk-breadcrumbs")).to_be_visible()
    expect(page.locator("[aria-current=page]")).to_have_text("Sharing information safely")
    axe(page, context_label="toolkit page")
    page.locator(".govuk-pagination__next a").click()
    expect(page.locator("h1")).to_have_text("Measuring joint outcomes")


def test_toolkit_page_prints_without_navigation(page, axe):
    guide = Page.objects.get(slug="care-leavers")
    page.goto(guide.get_absolute_url())
    axe(page, context_label="client-group guide")
    page.emulate_media(media="print")
    expect(page.locator(".app-toolkit-contents")).to_be_hidden()
    expect(page.locator(".govuk-pagination")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    axe(page, context_label="client-group guide, printed")


def test_finder_journey(page, axe):
    page.goto("/toolkit/who-should-i-contact/")
    axe(page, context_label="finder question 1")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, context_label="finder error")
    page.get_by_label("Offenders under probation supervision").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("body")).to_contain_text("Question 2 of 3")
    page.get_by_label("Settled accommodation").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Where does the person live, or want to live?").select_option(label="Nottingham")
    axe(page, context_label="finder question 3")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Agencies to involve")
    expect(page.get_by_role("heading", name="Probation")).to_be_visible()
    expect(page.get_by_role("link", name="Read the guide: Offenders on probation")).to_be_visible()
    axe(page, context_label="finder results")
    page.get_by_role("link", name="Change what they need").click()
    expect(page.get_by_label("Settled accommodation")).to_be_checked()


def test_business_case_journey(page, axe):
    study = CaseStudyFactory(
        title="Leicester homes first",
        results="Twenty-six people housed.",
        region=Region.objects.get(slug="east-midlands"),
        cohort_size=26,
        setup_cost=12000,
        submitter_email="hidden.sender@example.test",
    )
    OutcomeFigure.objects.create(
        case_study=study,
        measure="In settled accommodation",
        indicator=NationalIndicator.objects.get(code="NI 143"),
        baseline_value=4,
        baseline_unit="count",
        result_value=20,
        result_unit="count",
    )
    page.goto("/toolkit/business-case/")
    axe(page, context_label="builder form")
    page.get_by_role("button", name="Create business case").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page, context_label="builder errors")
    page.get_by_label("What is your proposal called?").fill("Homes first <script>alert(1)</script>")
    # The date is today's unless changed.
    expect(page.get_by_label("Year")).to_have_value(str(timezone.localdate().year))
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Your name").fill("Sam Writer")
    page.get_by_label("Your organisation").fill("Leicester Probation")
    page.get_by_label("Offenders under probation supervision", exact=True).check()
    page.get_by_label("Probation", exact=True).check()
    page.get_by_label("Housing: council").check()
    page.get_by_label("What is the problem?").fill("People leave prison homeless.")
    page.get_by_label("What will you do together?").fill("A housing worker in probation.")
    page.get_by_label("What will it cost, and who will pay?").fill("One post, shared.")
    page.get_by_role("checkbox", name=re.compile(r"^NI 143")).check()
    page.get_by_label("What outcomes do you expect?").fill("Twenty more people housed.")
    page.get_by_label("Search published case studies").fill("homes")
    page.get_by_role("button", name="Search case studies").click()
    page.get_by_label("Leicester homes first (East Midlands)").check()
    axe(page, context_label="builder after search")
    page.get_by_role("button", name="Create business case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date")
    axe(page, context_label="builder with a date that does not exist")
    page.get_by_label("Month").fill("3")
    page.get_by_role("button", name="Create business case").click()
    expect(page.locator("h1")).to_have_text("Homes first <script>alert(1)</script>")
    expect(page.locator(".app-business-case")).to_contain_text("By Sam Writer, Leicester Probation, 31 March")
    table = page.get_by_role("table", name="Figures and costs side by side")
    expect(table.get_by_role("columnheader", name="Leicester homes first")).to_be_visible()
    expect(table).to_contain_text("From 4 people to 20 people")
    expect(table).to_contain_text("Moves NI 143")
    expect(table).to_contain_text("£12,000")
    expect(table).to_contain_text("Not given")
    assert "hidden.sender@example.test" not in page.content()
    expect(page.locator("body")).to_contain_text("Twenty-six people housed.")
    axe(page, context_label="business case document")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Download as a Word document")).to_be_hidden()
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    # On A4 (595 by 842 points), each cited case study with its address.
    expect(page.locator(".app-business-case")).to_contain_text("Source: ")
    expect(table).to_be_visible()
    # The table fits the page's width: nothing is cut off at the right margin.
    assert table.evaluate(
        "t => t.getBoundingClientRect().right <= t.closest('main').getBoundingClientRect().right + 1"
    )
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in boxes)
    axe(page, context_label="business case, printed")
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as Markdown").click()
    assert download.value.suggested_filename == "business-case.md"
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as a Word document").click()
    assert download.value.suggested_filename == "business-case.docx"
    document = Document(download.value.path())
    assert document.paragraphs[0].text == "Homes first <script>alert(1)</script>"
    assert document.tables[0].rows[0].cells[1].text == "Leicester homes first"


def test_site_search_is_accessible(page, axe):
    CaseStudyFactory(title="Mansfield housing link")
    page.goto("/")
    page.get_by_label("Search the portal").fill("housing")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("body")).to_contain_text("results for")
    expect(page.get_by_role("link", name="Mansfield housing link")).to_be_visible()
    axe(page, context_label="search results")
    page.goto("/search/?q=geografical")
    expect(page.get_by_role("link", name="geographical")).to_be_visible()
    axe(page, context_label="search with a suggestion")
