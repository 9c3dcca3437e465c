"""Finding a case study in a real browser: grid → cell → narrow by outcome → read. Axe on every page type."""

import pytest

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
    assert page.locator("#result-count").inner_text() == "2 case studies"
    axe(page, context_label="filtered list")
    page.get_by_label("Settled accommodation").check()
    page.get_by_role("button", name="Apply filters").click()
    assert page.locator("#result-count").inner_text() == "1 case study"
    assert "outcome=settled-accommodation" in page.url
    page.get_by_role("link", name="A shared move-on plan from 16").click()
    assert page.locator("h1").inner_text() == "A shared move-on plan from 16"
    axe(page, context_label="case study")


@pytest.mark.parametrize(
    "path",
    [
        "/case-studies/browse/?q=plan",
        "/case-studies/browse/?page=abc&region=atlantis",
        "/case-studies/browse/?region=north-east",
        "/case-studies/regions/london/",
        "/case-studies/client-groups/care-leavers/",
    ],
)
def test_page_types_are_accessible(page, axe, studies, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
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
    assert page.get_by_role("link", name="2 case studies: care leavers in London").is_visible()
    context.close()
