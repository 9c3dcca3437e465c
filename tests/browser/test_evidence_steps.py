"""The evidence questions in a real browser, with axe on every page and
error state: people helped, the add-another loop for outcome figures (its
summary, change and remove), how results were measured with a link,
costs, the proposed level, check answers, the edit form's figures,
the moderator confirming the level, and the evidence levels page."""

import re

import pytest
from playwright.sync_api import expect

from casestudies.models import CaseStudy
from casestudies.notifications import EDIT_PURPOSE
from linkup.models import ClientGroup, NationalIndicator
from linkup.moderation import Status, submission_request_changes
from linkup.tokens import make_token
from tests.casestudies.factories import UnpublishedCaseStudyFactory
from tests.conftest import admin_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def continue_(page):
    page.click("main form button[type=submit]")


def test_the_evidence_steps_with_every_error_and_the_add_another_summary(page, axe, moderator):
    care_leavers = ClientGroup.objects.get(slug="care-leavers")
    page.goto("/case-studies/share/about-you/")
    page.fill("#id_submitter_name", "Sam Adviser")
    page.fill("#id_submitter_job_title", "Personal adviser")
    page.fill("#id_submitter_organisation", "Brackenford Council")
    page.fill("#id_submitter_email", "sam.adviser@example.test")
    page.check("#id_show_contact_1")
    continue_(page)
    page.check("#id_region_0")
    page.check(f"input[name=client_groups][value='{care_leavers.pk}']")
    page.fill("#id_organisations", "Leaving care team and Brackenford Homes")
    continue_(page)
    page.fill("#id_example_title", "Housing panel for care leavers")
    page.fill("#id_summary", "A monthly panel planned each move together.")
    page.fill("#id_challenge", "Young people left care with nowhere settled to live.")
    page.fill("#id_approach", "Leaving care and housing staff met monthly.")
    continue_(page)
    page.fill("#id_results", "27 of 30 were in suitable homes at 19.")
    page.fill("#id_lessons", "Name one housing officer.")
    continue_(page)

    # People helped.
    expect(page.locator("h1")).to_have_text("People helped")
    axe(page, context_label="people helped")
    page.fill("#id_cohort_size", "30.5")
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("as a whole number, like 12")
    axe(page, context_label="people helped with an error")
    page.fill("#id_cohort_size", "30")
    continue_(page)

    # Results in numbers: the first question, then one outcome.
    expect(page.locator("h1")).to_have_text("Results in numbers")
    axe(page, context_label="results in numbers, none yet")
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select yes if you have any results in numbers"
    )
    axe(page, context_label="results in numbers with an error")
    page.check("#id_add_another_0")
    continue_(page)
    expect(page.locator("h1")).to_have_text("Outcome 1 in numbers")
    axe(page, context_label="an outcome")
    page.fill("#id_measure", "Care leavers in suitable accommodation at 19")
    page.fill("#id_people", "31")
    page.fill("#id_baseline_value", "19")
    page.check("#id_baseline_unit_0")
    page.fill("#id_result_value", "27")
    page.check("#id_result_unit_0")
    page.fill("#id_result_on_0", "4")
    page.fill("#id_result_on_1", "2024")
    page.fill("#id_baseline_on_0", "5")
    page.fill("#id_baseline_on_1", "2024")
    ni_147 = NationalIndicator.objects.get(code="NI 147")
    page.check(f"input[name=indicator][value='{ni_147.pk}']")
    continue_(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("cannot be more than the 30 people helped")
    expect(summary).to_contain_text("must be the same as or after the date of the baseline")
    axe(page, context_label="an outcome with errors")
    page.fill("#id_people", "30")
    page.fill("#id_baseline_on_0", "4")
    page.fill("#id_baseline_on_1", "2022")
    continue_(page)

    # The add-another summary, with Change and Remove.
    expect(page.locator("h1")).to_have_text("You have added 1 outcome")
    expect(page.locator("#figures")).to_contain_text("NI 147")
    axe(page, context_label="add another summary")
    page.click("#figures >> text=Remove")
    axe(page, context_label="remove an outcome")
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select yes if you want to remove")
    axe(page, context_label="remove an outcome with an error")
    page.check("#id_remove_1")
    continue_(page)
    expect(page.locator("h1")).to_have_text("You have added 1 outcome")
    page.click("#figures >> text=Change")
    page.fill("#id_measure", "Care leavers in suitable homes at 19")
    continue_(page)
    expect(page.locator("#figures")).to_contain_text("Care leavers in suitable homes at 19")
    page.check("#id_add_another_1")
    continue_(page)

    # How it was measured, with a link to the report.
    axe(page, context_label="how measured")
    page.check("#id_measurement_method_4")
    page.fill("#id_evaluation_url", "not a link")
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a link in the correct format")
    axe(page, context_label="how measured with an error")
    page.check("#id_measurement_method_2")
    page.fill("#id_evaluation_url", "")
    continue_(page)

    # Costs.
    axe(page, context_label="costs")
    page.fill("#id_yearly_cost", "£18k")
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the yearly cost as a whole number")
    axe(page, context_label="costs with an error")
    page.fill("#id_yearly_cost", "18,000")
    page.fill("#id_funded_by", "Existing budgets")
    continue_(page)

    # The level, suggested from the measurement.
    expect(page.locator("#suggested-level")).to_contain_text("level 3: compared with others")
    axe(page, context_label="evidence level")
    page.check("#id_evidence_level_proposed_2")
    continue_(page)
    page.check("#id_consent_to_publish")
    continue_(page)

    expect(page.locator("#answer-figure-1")).to_contain_text("NI 147")
    expect(page.locator("#answer-yearly_cost")).to_contain_text("18000")
    axe(page, context_label="check answers with evidence")
    page.click("#answer-cohort_size >> text=Change")
    expect(page.locator("#id_cohort_size")).to_have_value("30")
    continue_(page)
    expect(page).to_have_url(re.compile(r"check-your-answers/#answer-cohort_size$"))
    page.click("text=Accept and send")
    expect(page.locator(".govuk-panel")).to_contain_text("Example sent")
    case_study = CaseStudy.objects.get()
    assert case_study.figures.get().indicator == ni_147 and case_study.evidence_level_proposed == 3

    # The moderator confirms a different level, which needs a reason.
    admin_sign_in(page, username=moderator.username, password=moderator.plain_password)
    page.goto(f"/admin/casestudies/casestudy/{case_study.pk}/change/")
    page.click("text=Approve and publish")
    expect(page.locator(f"#id_evidence_level_{case_study.pk}")).to_have_value("3")
    axe(page, context_label="publish with the level")
    page.select_option(f"#id_evidence_level_{case_study.pk}", "2")
    page.click("input[type=submit][value^='Yes']")
    expect(page.locator(".errornote").first).to_contain_text("differs from the one proposed")
    axe(page, context_label="publish with the level, error")
    page.fill(f"#id_evidence_reason_{case_study.pk}", "Compared with earlier years, not a comparison group.")
    page.click("input[type=submit][value^='Yes']")
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED and case_study.evidence_level == 2
    expect(page.locator("#moderation-timeline")).to_contain_text("Compared with earlier years")


def test_the_edit_form_figures_and_the_evidence_levels_page(page, axe, moderator):
    care_leavers = ClientGroup.objects.get(slug="care-leavers")
    case_study = UnpublishedCaseStudyFactory(client_groups=[care_leavers], cohort_size=20)
    case_study.figures.create(measure="In suitable homes", people=20, result_value=15, result_unit="count")
    submission_request_changes(submission=case_study, moderator=moderator, note="Add the baseline.")
    page.goto(f"/case-studies/share/change/{make_token(case_study, EDIT_PURPOSE)}/")
    axe(page, context_label="edit form with figures")
    page.fill("#id_figure-0-people", "25")
    page.click("text=Send your changes")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Outcome 1: The number of people cannot be more than the 20 people helped"
    )
    axe(page, context_label="edit form with a figure error")

    page.goto("/case-studies/evidence-levels/")
    expect(page.locator("h1")).to_have_text("Evidence levels")
    expect(page.locator("#it-can-be-small")).to_be_visible()
    axe(page, context_label="evidence levels page")
