"""Finding a case study in a real browser: grid → cell → narrow by outcome → read;
filtering with JavaScript turned off. Axe on every page type."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from linkup.models import ClientGroup, Outcome, Region
from tests.casestudies.factories import CaseStudyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def studies():
    london = Region.objects.get(slug="london")
    care = ClientGroup.objects.get(slug="care-leavers")
    housing = Outcome.objects.get(slug="settled-accommodation")
    employment = Outcome.objects.get(slug="employment")
    CaseStudyFactory(
        title="Apprenticeships for care leavers", region=london, client_groups=[care], outcomes=[employment]
    )
    return CaseStudyFactory(
        title="A shared move-on plan from 16",
        region=london,
        client_groups=[care],
        outcomes=[housing],
        show_contact=True,
    )


def test_grid_to_case_study_journey(page, axe, studies):
    page.goto("/case-studies/")
    axe(page, context_label="coverage grid")
    page.get_by_role("link", name="2 case studies: care leavers in London").click()
    expect(page.locator("#result-count")).to_have_text("2 case studies")
    axe(page, context_label="filtered list")
    page.get_by_label("Settled accommodation", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_have_text("1 case study")
    assert "outcome=settled-accommodation" in page.url
    page.get_by_role("link", name="A shared move-on plan from 16").click()
    expect(page.locator("h1")).to_have_text("A shared move-on plan from 16")
    axe(page, context_label="case study")


@pytest.mark.parametrize(
    "path",
    [
        "/case-studies/browse/?q=plan",
        "/case-studies/browse/?page=abc&region=atlantis",
        "/case-studies/browse/?region=north-east",
        "/case-studies/browse/?q=aprentiseships+levers&region=north-east",  # "Did you mean"
        "/case-studies/browse/?q=the+or",  # only words too common to search for
        "/case-studies/regions/london/",
        "/case-studies/client-groups/care-leavers/",
    ],
)
def test_page_types_are_accessible(page, axe, studies, path):
    page.goto(path)
    expect(page.locator("h1")).to_have_count(1)
    axe(page)


def test_grid_on_a_phone_is_accessible(browser, live_server, axe, studies):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/case-studies/")
    axe(page, context_label="coverage grid on a phone")
    context.close()


def test_grid_fits_a_phone(browser, live_server, studies):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/case-studies/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.get_by_role("link", name="2 case studies: care leavers in London")).to_be_visible()
    context.close()


def test_filters_work_without_javascript(browser, live_server):
    """Tick filters, type a keyword, apply, then remove a filter by its tag:
    all plain links and a GET form, so nothing needs JavaScript. (No axe
    here: axe needs JavaScript; filtered lists are checked with axe above.)"""
    london, north_east = Region.objects.get(slug="london"), Region.objects.get(slug="north-east")
    care = ClientGroup.objects.get(slug="care-leavers")
    probation = ClientGroup.objects.get(slug="offenders-under-probation-supervision")
    CaseStudyFactory(title="Apprenticeships for care leavers", region=london, client_groups=[care])
    CaseStudyFactory(title="A shared move-on plan from 16", region=london, client_groups=[care])
    # One each that the keyword, the region and the client group leave out.
    CaseStudyFactory(title="Apprenticeships on probation", region=london, client_groups=[probation])
    CaseStudyFactory(title="Apprenticeships in Tyneside", region=north_east, client_groups=[care])

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/case-studies/browse/")
    expect(page.locator("body.js-enabled")).to_have_count(0)  # GOV.UK Frontend did not start
    expect(page.locator("#result-count")).to_have_text("4 case studies")
    page.get_by_role("group", name="Region").get_by_label("London", exact=True).check()
    page.get_by_role("group", name="Client group").get_by_label("Care leavers", exact=True).check()
    page.get_by_label("Keyword").fill("apprenticeships")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url("**/case-studies/browse/?*")
    query = parse_qs(urlsplit(page.url).query)
    assert query["region"] == ["london"]
    assert query["client_group"] == ["care-leavers"]
    assert query["q"] == ["apprenticeships"]
    expect(page.locator("#result-count")).to_have_text("1 case study matching ‘apprenticeships’")
    results = page.locator(".app-case-study-summary h2")
    assert results.all_inner_texts() == ["Apprenticeships for care leavers"]
    # Each tag reads "Remove filter: …" to a screen reader.
    tags = page.locator("a.app-filter-tag")
    assert [" ".join(t.split()) for t in tags.all_inner_texts()] == [
        "Remove filter: Keyword: apprenticeships",
        "Remove filter: London",
        "Remove filter: Care leavers",
    ]

    page.get_by_role("link", name="Remove filter: Keyword: apprenticeships").click()
    page.wait_for_url(lambda url: "q" not in parse_qs(urlsplit(url).query))
    query = parse_qs(urlsplit(page.url).query)
    assert "q" not in query and query["region"] == ["london"] and query["client_group"] == ["care-leavers"]
    expect(page.locator("#result-count")).to_have_text("2 case studies")
    assert sorted(results.all_inner_texts()) == [
        "A shared move-on plan from 16",
        "Apprenticeships for care leavers",
    ]
    assert [" ".join(t.split()) for t in tags.all_inner_texts()] == [
        "Remove filter: London",
        "Remove filter: Care leavers",
    ]
    assert page.get_by_label("Keyword").input_value() == ""
    expect(page.get_by_role("group", name="Region").get_by_label("London", exact=True)).to_be_checked()
    context.close()


CONTRAST_OF_CELLS = """() => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  // Each text a cell shows: its count or "Example needed", and on a phone its client group.
  return [...document.querySelectorAll(".app-coverage__cell")].flatMap((cell) =>
    [...cell.querySelectorAll("a, span:not(.govuk-visually-hidden)")]
      .filter((text) => text.getClientRects().length)
      .map((text) => {
        const a = luminance(getComputedStyle(text).color);
        const b = luminance(getComputedStyle(cell).backgroundColor);
        return [cell.className, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
      })
  );
}"""


SHADES = {
    "": ("high", "medium", "low", "none"),
    "?view=strength": ("level-5", "level-4", "level-3", "level-2", "level-1", "unrated", "none"),
}


@pytest.mark.parametrize("view", ["", "?view=strength"])
@pytest.mark.parametrize("width", [1280, 375, 320])
def test_every_shade_of_the_grid_is_readable(page, axe, width, view):
    """Cells with many, some, few and no case studies (each shade of the
    heat-map), and with each strongest evidence level (each shade of
    "Strength of evidence"), keep text contrast of 4.5 to 1. Measured here,
    as axe leaves out text of one character (a cell's count)."""
    care = ClientGroup.objects.get(slug="care-leavers")
    for slug, count, level in [
        ("london", 6, 5),
        ("north-east", 3, 4),
        ("south-west", 1, 3),
        ("east-midlands", 1, 2),
        ("west-midlands", 1, 1),
        ("north-west", 1, None),
    ]:
        CaseStudyFactory.create_batch(
            count, region=Region.objects.get(slug=slug), client_groups=[care], evidence_level=level
        )
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/case-studies/{view}")
    contrasts = page.evaluate(CONTRAST_OF_CELLS)
    shades = {
        shade
        for name, _ in contrasts
        for shade in SHADES[view]
        if f"app-coverage__cell--{shade}" in name.split()
    }
    assert shades == set(SHADES[view])
    low_contrast = [(name, round(ratio, 2)) for name, ratio in contrasts if ratio < 4.5]
    assert not low_contrast
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe(page, context_label=f"grid {view or 'of numbers'} with every shade at {width} px")
