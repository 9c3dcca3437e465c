"""The portal on a 375-pixel phone, a 320-pixel one and a 1280-pixel desktop:
results before filters, the filter panel open and closed, the coverage grid
whole, live character counts, nothing wider than the screen, axe in every
state; sharing an example by keyboard alone; printing."""

import re

import pytest
from playwright.sync_api import expect

from casestudies.models import CaseStudy
from linkup.models import ClientGroup, LocalAuthority, Region
from tests.casestudies.factories import CaseStudyFactory
from tests.directory.factories import ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


def no_sideways_scroll(page, where):
    """Nothing on the page is wider than the screen: the page itself never scrolls sideways."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where}: the page is {widths[0]} pixels wide on a {widths[1]} screen"


def top_of(page, selector) -> float:
    return page.evaluate(
        "s => document.querySelector(s).getBoundingClientRect().top + window.scrollY", selector
    )


@pytest.fixture
def content():
    region = Region.objects.get(slug="east-midlands")
    groups = list(ClientGroup.objects.ordered())
    case_studies = [
        CaseStudyFactory(title=f"Joint working example {n}", region=region, client_groups=[groups[n % 4]])
        for n in range(4)
    ]
    derby = LocalAuthority.objects.get(slug="derby")
    listings = [
        ListingFactory(
            full_name="Aisha Ashdown", job_title="Probation officer", tags="housing, benefits, MAPPA"
        ),
        ListingFactory(full_name="Aisha Ashdown", job_title="Probation officer", areas=[derby]),
        ListingFactory(full_name="Ben Barrow", job_title="Housing officer"),
    ]
    return case_studies, listings


@pytest.mark.parametrize(
    ("url", "result"),
    [("/case-studies/browse/", ".app-case-study-summary"), ("/directory/search/", ".app-directory-result")],
)
def test_on_a_phone_results_come_first_and_the_filters_open_from_a_button(page, axe, content, url, result):
    page.set_viewport_size(PHONE)
    page.goto(url)
    toggle = page.locator(".app-filter-panel__toggle")
    panel = page.locator("#filter-panel")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "filter-panel")
    expect(panel).to_be_hidden()
    assert top_of(page, result) < 1.5 * PHONE["height"]
    no_sideways_scroll(page, "filters closed")
    axe(page, context_label=f"{url} on a phone, filters closed")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(panel).to_be_visible()
    no_sideways_scroll(page, "filters open")
    axe(page, context_label=f"{url} on a phone, filters open")
    toggle.click()
    expect(panel).to_be_hidden()

    # On a desktop the filters are beside the results, with no button.
    page.set_viewport_size(DESKTOP)
    expect(toggle).to_be_hidden()
    expect(panel).to_be_visible()
    axe(page, context_label=f"{url} on a desktop")


def test_the_filter_button_says_how_many_filters_are_applied(page, content):
    page.set_viewport_size(PHONE)
    page.goto("/case-studies/browse/?q=joint&region=east-midlands&client_group=care-leavers")
    expect(page.locator(".app-filter-panel__toggle")).to_have_text("Filter (2 applied)")
    # Only the count is a live region, not the list.
    expect(page.locator("[aria-live]")).to_have_count(1)
    expect(page.locator("#result-count")).to_have_attribute("aria-live", "polite")
    page.goto("/directory/search/?client_group=care-leavers")
    expect(page.locator(".app-filter-panel__toggle")).to_have_text("Filter (1 applied)")
    expect(page.locator("#results-count")).to_have_attribute("aria-live", "polite")


def test_without_javascript_the_filters_are_simply_there(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto("/case-studies/browse/")
        expect(page.locator(".app-filter-panel__toggle")).to_be_hidden()
        expect(page.locator("#filter-panel")).to_be_visible()
        page.get_by_label("East Midlands").check()
        page.click("button:has-text('Apply filters')")
        expect(page.locator("#result-count")).to_have_text("4 case studies")
        assert "region=east-midlands" in page.url
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 375])
def test_the_coverage_grid_is_whole_on_a_phone(page, axe, content, width):
    page.set_viewport_size({"width": width, "height": 640})
    page.goto("/case-studies/")
    no_sideways_scroll(page, f"grid at {width}")
    cells = page.locator(".app-coverage__cell a, .app-coverage__cell .app-coverage__needed")
    assert cells.count() == 36
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.app-coverage__cell a, .app-coverage__needed')].map(e => {
            const r = e.getBoundingClientRect();
            return [e.textContent, r.left, r.right, e.scrollWidth <= e.clientWidth + 1];
        })"""
    )
    for text, left, right, whole in boxes:
        assert left >= 0 and right <= width and whole, f"cut off at {width}: {text!r}"
    # Each count is read beside the name of its client group.
    first_row = page.locator(".app-coverage__table tbody tr").first
    expect(first_row.locator(".app-coverage__cell-group").first).to_be_visible()
    expect(first_row.locator(".app-coverage__cell").first).to_contain_text("Example needed")
    axe(page, context_label=f"coverage grid at {width}")


def test_a_limited_box_counts_characters_as_you_type(page):
    page.goto("/case-studies/share/what-you-did/")
    status = page.locator(".govuk-character-count", has=page.locator("#id_summary")).locator(
        ".govuk-character-count__status"
    )
    expect(status).to_have_text("You have 600 characters remaining")
    page.fill("#id_summary", "x" * 590)
    expect(status).to_have_text("You have 10 characters remaining")
    page.locator("#id_summary").press_sequentially("y" * 15)
    expect(status).to_have_text("You have 5 characters too many")


PAGES = [
    ("/", "home page"),
    ("/case-studies/", "coverage grid"),
    ("/case-studies/browse/", "case-study list"),
    (None, "a case study"),
    ("/directory/search/", "directory search"),
    ("/directory/search/?q=aisha", "directory search for namesakes"),
    ("profile", "a profile"),
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_every_main_page_fits_the_screen(page, axe, content, viewport):
    case_studies, listings = content
    page.set_viewport_size(viewport)
    for url, name in PAGES:
        url = {None: case_studies[0].get_absolute_url(), "profile": listings[0].get_absolute_url()}.get(
            url, url
        )
        page.goto(url)
        no_sideways_scroll(page, f"{name} at {viewport['width']}")
        axe(page, context_label=f"{name} at {viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_every_step_of_sharing_an_example_fits_the_screen(page, axe, viewport):
    page.set_viewport_size(viewport)
    page.goto("/case-studies/share/")
    for step in ["about-you", "where-and-who", "what-you-did", "results-and-lessons", "permission"]:
        page.goto(f"/case-studies/share/{step}/")
        no_sideways_scroll(page, f"{step} at {viewport['width']}")
        page.click("main form button[type=submit]")  # with its errors
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        no_sideways_scroll(page, f"{step} with errors at {viewport['width']}")
        axe(page, context_label=f"{step} with errors at {viewport['width']}")


def test_namesakes_in_the_directory_are_told_apart(page, content):
    _, listings = content
    page.goto("/directory/search/?q=aisha")
    results = page.locator(".app-directory-result")
    expect(results).to_have_count(2)
    for listing in listings[:2]:
        expect(page.locator(".app-directory-result", has_text=listing.reference)).to_have_count(1)
    # Tags are small chips on one wrapping line, not blocks of their own.
    tag = page.locator(".app-tag").first
    assert tag.bounding_box()["height"] < 30


class Keyboard:
    """Counts the keys pressed; typing an answer's text is not counted."""

    def __init__(self, page):
        self.page, self.presses = page, 0

    def press(self, *keys):
        for key in keys:
            self.page.keyboard.press(key)
            self.presses += 1

    def tab(self, times=1):
        self.press(*["Tab"] * times)

    def type(self, text):
        self.page.keyboard.type(text)

    def skip_to_main(self):
        """Past the header to the page's own content. A form's address keeps
        the skip link's #main-content, and the browser keeps it through the
        redirect to the next step, which then opens there: the next Tab is
        already in the page's content."""
        self.page.wait_for_load_state("load")
        if not self.page.url.endswith("#main-content"):
            self.press("Tab", "Enter")  # the skip link


def test_sharing_an_example_by_keyboard_alone(page, axe):
    page.goto("/case-studies/share/about-you/")
    page.fill("#id_submitter_name", "Sam Adviser")
    page.fill("#id_submitter_job_title", "Personal adviser")
    page.fill("#id_submitter_organisation", "Brackenford Council")
    page.fill("#id_submitter_email", "sam.adviser@example.test")
    page.check("#id_show_contact_1")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Where and who")

    keys = Keyboard(page)
    # Where and who: a region, a client group and the organisations.
    keys.skip_to_main()
    keys.tab()
    keys.press("Space")  # the first region
    keys.tab()
    keys.press("Space")  # the first client group
    keys.tab(4)  # past the other three, to the organisations
    keys.type("Leaving care team and Brackenford Homes")
    keys.tab()  # the first of the optional agencies
    keys.press("Enter")
    expect(page.locator("h1")).to_have_text("What you did")

    keys.skip_to_main()
    for text in ["Joint housing panel", "A monthly panel.", "Nowhere to live.", "Staff met monthly."]:
        keys.tab()
        keys.type(text)
    keys.tab()  # the optional start date
    keys.press("Enter")
    expect(page.locator("h1")).to_have_text("Results and lessons")

    keys.skip_to_main()
    for text in ["Eight of ten in settled homes.", "One plan and one lead."]:
        keys.tab()
        keys.type(text)
    keys.tab()  # the optional outcomes
    keys.press("Enter")
    expect(page.locator("h1")).to_have_text("People helped")

    keys.skip_to_main()
    keys.tab()
    keys.type("10")
    keys.press("Enter")
    expect(page.locator("h1")).to_have_text("Results in numbers")

    # No figures: "No", then on through the optional evidence questions unanswered.
    keys.skip_to_main()
    keys.tab()
    keys.press("ArrowDown", "Enter")
    # Tabs to each page's first answer (the levels page first links to what the levels mean).
    for heading, tabs in [
        ("How the results were measured", 1),
        ("What it cost", 1),
        ("How strong is your evidence?", 2),
    ]:
        expect(page.locator("h1")).to_have_text(heading)
        keys.skip_to_main()
        keys.tab(tabs)
        keys.press("Enter")
    expect(page.locator("h1")).to_have_text("Permission to publish")

    keys.skip_to_main()
    keys.tab()
    keys.press("Space", "Enter")
    expect(page.locator("h1")).to_have_text("Check your answers before sending your example")

    # One change, the title, then back to the same answer and on to send.
    keys.skip_to_main()
    rows = page.locator(".govuk-summary-list__row")
    row = [rows.nth(i).get_attribute("id") for i in range(rows.count())].index("answer-example_title")
    keys.tab(row + 1)
    expect(page.locator(":focus")).to_have_text("Change a short title for your example")
    keys.press("Enter")
    expect(page.locator("h1")).to_have_text("What you did")
    expect(page.locator("#id_example_title")).to_be_focused()
    keys.press("Control+A")
    keys.type("Joint housing panel for care leavers")
    keys.press("Enter")  # saves, and goes back to the answers
    expect(page.locator("h1")).to_have_text("Check your answers before sending your example")
    assert page.url.endswith("#answer-example_title")
    expect(page.locator("#answer-example_title")).to_contain_text("Joint housing panel for care leavers")
    keys.tab()
    expect(page.locator(":focus")).to_have_text("Change a short title for your example")
    keys.tab(rows.count() - row)
    expect(page.locator(":focus")).to_have_text("Accept and send")
    keys.press("Enter")
    expect(page.locator("h1")).to_contain_text("Example sent")

    case_study = CaseStudy.objects.get()
    assert case_study.title == "Joint housing panel for care leavers"
    assert case_study.cohort_size == 10 and not case_study.figures.exists()
    # Under 60 before the five optional evidence questions, each a page and
    # rows of the answers to tab past; 80 with them.
    assert keys.presses < 80, keys.presses


def test_a_case_study_prints_without_navigation_and_with_addresses(page, content, live_server):
    case_study = content[0][0]
    page.goto(case_study.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in [
        ".govuk-generic-header",
        ".govuk-service-navigation",
        ".govuk-footer",
        ".govuk-breadcrumbs",
    ]:
        expect(page.locator(hidden)).to_be_hidden()
    region_link = page.locator(".app-case-study__facts a").first
    after = region_link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == f'" ({live_server.url}/case-studies/browse/?region=east-midlands)"'
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    # A4 is 595 by 842 points.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in boxes)
