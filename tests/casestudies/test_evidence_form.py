"""The evidence questions of "Share an example": people helped, outcome
figures (GOV.UK add another), how results were measured, costs and the
proposed level; the one set of rules for a figure; check answers; the
edit form; the evidence levels page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casestudies.evidence import FigureUnit, figure_errors, whole_number
from casestudies.models import CaseStudy
from linkup.models import ClientGroup, NationalIndicator
from tests.casestudies.submission_helpers import fill_in, send, valid_answers
from tests.hostile import DANGEROUS_MARKUP, HOSTILE

pytestmark = pytest.mark.django_db

FIGURE = {
    "measure": "In settled accommodation after 6 months",
    "people": "12",
    "baseline_value": "30",
    "baseline_unit": "percent",
    "baseline_on_month": "4",
    "baseline_on_year": "2023",
    "result_value": "9",
    "result_unit": "count",
    "result_on_month": "4",
    "result_on_year": "2024",
    "outcome": "",
    "indicator": "",
}


def step_url(step):
    return reverse("casestudies:submit_step", args=[step])


def answer_until(client, last, answers=None):
    """Answer the steps up to and including ``last``."""
    answers = answers or valid_answers()
    for step, data in answers.items():
        assert client.post(step_url(step), data).status_code == 302, step
        if step == last:
            return answers
    raise AssertionError(last)


def care_leavers_answers(cohort="40"):
    answers = valid_answers()
    care_leavers = ClientGroup.objects.get(slug="care-leavers")
    answers["where-and-who"]["client_groups"] = [str(care_leavers.pk)]
    answers["people-helped"]["cohort_size"] = cohort
    return answers


def add_figure(client, **changes):
    return client.post(reverse("casestudies:submit_figure_add"), dict(FIGURE, **changes))


def rules(**values):
    base = {
        "people": None,
        "baseline_value": None,
        "baseline_unit": "",
        "baseline_on": None,
        "result_value": None,
        "result_unit": "",
        "result_on": None,
        "indicator": None,
        "cohort_size": None,
        "client_group_ids": None,
    }
    return figure_errors(**{**base, **values})


# The rules, one by one.


@pytest.mark.parametrize("text", ["12.5", "-3", "twelve", "1e3", "１２", "9999999999"])
def test_whole_number_refuses_what_is_not_a_whole_number(text):
    with pytest.raises(ValidationError) as error:
        whole_number(text, what="the number of people")
    assert error.value.messages == ["Enter the number of people as a whole number, like 12"]


def test_whole_number_reads_commas_and_spaces_and_empty_is_unknown():
    assert whole_number("1,200", what="x") == 1200
    assert whole_number(" 40 ", what="x") == 40
    assert whole_number("0", what="x") == 0
    assert whole_number("", what="x") is None


def test_people_cannot_exceed_the_people_helped():
    assert rules(people=41, cohort_size=40) == {
        "people": "The number of people cannot be more than the 40 people helped"
    }
    assert rules(people=40, cohort_size=40) == {}


def test_a_count_cannot_exceed_the_people_in_the_outcome_or_the_people_helped():
    assert rules(people=12, result_value=13, result_unit="count")["result_value"] == (
        "The result cannot be more than the 12 people in this outcome"
    )
    assert rules(baseline_value=50, baseline_unit="count", cohort_size=40)["baseline_value"] == (
        "The baseline cannot be more than the 40 people helped"
    )


def test_a_percentage_is_at_most_100_and_a_value_needs_its_unit():
    assert rules(result_value=101, result_unit="percent") == {
        "result_value": "The result percentage cannot be more than 100"
    }
    assert rules(result_value=100, result_unit="percent") == {}
    assert rules(baseline_value=5) == {
        "baseline_unit": "Select whether the baseline is a number of people or a percentage"
    }


def test_the_result_is_not_measured_before_the_baseline():
    errors = rules(baseline_on=datetime.date(2024, 5, 1), result_on=datetime.date(2024, 4, 1))
    assert errors == {
        "result_on": "The date of the result must be the same as or after the date of the baseline"
    }
    assert rules(baseline_on=datetime.date(2024, 4, 1), result_on=datetime.date(2024, 4, 1)) == {}


def test_the_indicator_belongs_to_a_chosen_client_group():
    ni_147 = NationalIndicator.objects.get(code="NI 147")
    other = ClientGroup.objects.exclude(pk=ni_147.client_group_id).first()
    assert rules(indicator=ni_147, client_group_ids=[other.pk]) == {
        "indicator": "Select a national indicator for one of the client groups you chose"
    }
    assert rules(indicator=ni_147, client_group_ids=[ni_147.client_group_id]) == {}


# The steps.


def test_people_helped_refuses_a_fraction_with_the_govuk_message(client):
    answer_until(client, "results-and-lessons")
    response = client.post(step_url("people-helped"), {"cohort_size": "12.5"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert (
        '<a href="#id_cohort_size">Enter the number of people helped as a whole number, like 12</a>' in html
    )
    assert 'value="12.5"' in html


def test_figure_form_offers_only_the_indicators_of_the_chosen_client_groups(client):
    answer_until(client, "people-helped", care_leavers_answers())
    html = client.get(reverse("casestudies:submit_figure_add")).content.decode()
    care_leavers = NationalIndicator.objects.filter(client_group__slug="care-leavers")
    assert care_leavers.exists()
    for indicator in NationalIndicator.objects.all():
        assert (str(indicator) in html) == (indicator.client_group.slug == "care-leavers")
    assert "None of these, or I don&#x27;t know" in html


def test_figure_errors_are_summarised_and_the_other_answers_kept(client):
    answer_until(client, "people-helped", care_leavers_answers(cohort="10"))
    response = add_figure(
        client, people="11", result_value="120", result_unit="percent", result_on_year="2022"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "The number of people cannot be more than the 10 people helped" in html
    assert "The result percentage cannot be more than 100" in html
    assert "The date of the result must be the same as or after the date of the baseline" in html
    assert 'value="In settled accommodation after 6 months"' in html
    assert "<title>Error:" in html


def test_an_indicator_of_another_client_group_is_refused(client):
    answer_until(client, "people-helped", care_leavers_answers())
    offender = NationalIndicator.objects.exclude(client_group__slug="care-leavers").first()
    html = add_figure(client, indicator=str(offender.pk)).content.decode()
    assert "Select a national indicator for one of the client groups you chose" in html


def test_add_another_loop_adds_changes_and_removes(client):
    answer_until(client, "people-helped", care_leavers_answers())
    first = client.get(step_url("outcomes")).content.decode()
    assert "Do you have any results in numbers?" in first
    response = client.post(step_url("outcomes"), {"add_another": "yes"})
    assert response["Location"] == reverse("casestudies:submit_figure_add")
    ni_147 = NationalIndicator.objects.get(code="NI 147")
    assert add_figure(client, indicator=str(ni_147.pk))["Location"] == step_url("outcomes")
    assert add_figure(client, measure="In work or training")["Location"] == step_url("outcomes")
    summary = client.get(step_url("outcomes")).content.decode()
    assert "You have added 2 outcomes" in summary
    assert "Do you want to add another outcome?" in summary
    assert "NI 147" in summary and "In work or training" in summary
    assert reverse("casestudies:submit_figure", args=[2]) in summary
    assert reverse("casestudies:submit_figure_remove", args=[1]) in summary
    # Change the second.
    change = client.get(reverse("casestudies:submit_figure", args=[2])).content.decode()
    assert 'value="In work or training"' in change
    client.post(reverse("casestudies:submit_figure", args=[2]), dict(FIGURE, measure="In education"))
    summary = client.get(step_url("outcomes")).content.decode()
    assert "In education" in summary and "In work or training" not in summary
    # Remove the first, after saying yes.
    remove_url = reverse("casestudies:submit_figure_remove", args=[1])
    assert "Are you sure you want to remove this outcome?" in client.get(remove_url).content.decode()
    assert "Select yes if you want to remove this outcome" in client.post(remove_url, {}).content.decode()
    client.post(remove_url, {"remove": "no"})
    assert "You have added 2 outcomes" in client.get(step_url("outcomes")).content.decode()
    client.post(remove_url, {"remove": "yes"})
    summary = client.get(step_url("outcomes")).content.decode()
    assert "You have added 1 outcome" in summary and "NI 147" not in summary
    assert client.get(reverse("casestudies:submit_figure", args=[2])).status_code == 404
    response = client.post(step_url("outcomes"), {"add_another": "no"})
    assert response["Location"] == step_url("how-measured")


def test_the_outcomes_question_needs_an_answer(client):
    answer_until(client, "people-helped")
    html = client.post(step_url("outcomes"), {}).content.decode()
    assert "Select yes if you have any results in numbers" in html


def test_a_figure_made_wrong_by_a_later_answer_is_shown_and_stops_the_step(client):
    answer_until(client, "people-helped", care_leavers_answers(cohort="40"))
    add_figure(client)
    client.post(step_url("people-helped"), {"cohort_size": "5"})
    html = client.post(step_url("outcomes"), {"add_another": "no"}).content.decode()
    assert "Outcome 1: The number of people cannot be more than the 5 people helped" in html


def test_how_measured_explains_each_way_and_asks_for_a_link(client):
    answer_until(client, "outcomes")
    html = client.get(step_url("how-measured")).content.decode()
    assert 'id="id_measurement_method_2-item-hint"' in html and "I don&#x27;t know" in html
    assert 'id="id_evaluation_url"' in html
    bad = client.post(
        step_url("how-measured"), {"measurement_method": "published_report", "evaluation_url": "not a link"}
    )
    assert "Enter a link in the correct format" in bad.content.decode()
    assert 'value="published_report" checked' in bad.content.decode()


def test_the_level_step_suggests_a_level_from_the_measurement_and_explains_each(client):
    answer_until(client, "outcomes")
    client.post(step_url("how-measured"), {"measurement_method": "comparison_group"})
    html = client.get(step_url("evidence-level")).content.decode()
    assert "probably at <strong>level 3: compared with others</strong>" in html
    assert "You compared the people you helped with similar people" in html
    assert "Level 1 is welcome" in html
    assert reverse("casestudies:evidence_levels") in html


def full_answers():
    answers = care_leavers_answers()
    answers["how-measured"] = {
        "measurement_method": "published_report",
        "evaluation_url": "https://example.test/r.pdf",
    }
    answers["costs"] = {
        "setup_cost": "15,000",
        "yearly_cost": "40000",
        "funded_by": "The leaving care budget",
        "cost_per_person": "950",
        "savings_claimed": "60000",
        "savings_basis": "Fewer nights in emergency accommodation",
    }
    answers["evidence-level"] = {"evidence_level_proposed": "3"}
    return answers


def test_check_answers_shows_every_new_answer_with_a_change_link_back_to_it(client):
    answers = full_answers()
    answer_until(client, "people-helped", answers)
    ni_147 = NationalIndicator.objects.get(code="NI 147")
    add_figure(client, indicator=str(ni_147.pk))
    remaining = dict(list(answers.items())[list(answers).index("outcomes") :])
    check = fill_in(client, remaining)
    html = check.content.decode()
    for text in [
        "40",
        "A published report",
        "https://example.test/r.pdf",
        "15000",
        "The leaving care budget",
        "Fewer nights in emergency accommodation",
        "Level 3: compared with others",
        "In settled accommodation after 6 months",
        "12 people; before: 30% (April 2023); after: 9 people (April 2024); NI 147",
    ]:
        assert text in html, text
    assert 'id="answer-cohort_size"' in html and 'id="answer-figure-1"' in html
    assert reverse("casestudies:submit_figure", args=[1]) + "?return=check" in html
    assert step_url("costs") + "?return=check&amp;answer=setup_cost#id_setup_cost" in html
    # A change from check answers goes back to that answer.
    response = client.post(
        step_url("costs") + "?return=check&answer=yearly_cost", dict(answers["costs"], yearly_cost="1")
    )
    assert response["Location"] == reverse("casestudies:submit_check") + "#answer-yearly_cost"
    response = client.post(reverse("casestudies:submit_figure", args=[1]) + "?return=check", FIGURE)
    assert response["Location"] == step_url("outcomes") + "?return=check"
    response = client.post(step_url("outcomes") + "?return=check", {"add_another": "no"})
    assert response["Location"] == reverse("casestudies:submit_check") + "#answer-figures"


def test_the_submission_saves_the_answers_and_figures_together(client):
    answers = full_answers()
    answer_until(client, "people-helped", answers)
    ni_147 = NationalIndicator.objects.get(code="NI 147")
    add_figure(client, indicator=str(ni_147.pk))
    add_figure(
        client,
        measure="In work",
        people="0",
        baseline_value="",
        result_value="",
        result_on_year="",
        baseline_on_year="",
        baseline_on_month="",
        result_on_month="",
    )
    check = fill_in(client, dict(list(answers.items())[list(answers).index("outcomes") :]))
    assert send(client, check).status_code == 302
    case_study = CaseStudy.objects.get()
    assert case_study.cohort_size == 40
    assert case_study.measurement_method == "published_report"
    assert case_study.evaluation_url == "https://example.test/r.pdf"
    assert (case_study.setup_cost, case_study.cost_per_person, case_study.savings_claimed) == (
        15000,
        950,
        60000,
    )
    assert case_study.evidence_level_proposed == 3 and case_study.evidence_level is None
    first, second = case_study.figures.all()
    assert (first.indicator, first.people, first.baseline_unit, first.result_value) == (
        ni_147,
        12,
        "percent",
        9,
    )
    assert first.baseline_on == datetime.date(2023, 4, 1) and first.result_unit == FigureUnit.COUNT
    assert (second.measure, second.people, second.result_value, second.result_on) == (
        "In work",
        0,
        None,
        None,
    )
    kept = case_study.revisions().get().data
    assert kept["figures"] == [str(first), str(second)]


def test_someone_with_no_figures_can_still_send_an_example(client):
    check = fill_in(client)
    html = check.content.decode()
    assert "None given" in html and "I don&#x27;t know" in html
    assert send(client, check).status_code == 302
    case_study = CaseStudy.objects.get()
    assert case_study.cohort_size is None and case_study.measurement_method == ""
    assert case_study.evidence_level_proposed is None and not case_study.figures.exists()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_figure_answer_survives_hostile_input(client, name):
    answer_until(client, "people-helped", care_leavers_answers())
    data = dict.fromkeys(FIGURE, HOSTILE[name])
    response = add_figure(client, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert not any(markup in html for markup in DANGEROUS_MARKUP)


@pytest.mark.parametrize("name", ["script", "rtl", "emoji", "sql"])
def test_hostile_text_in_a_figure_is_kept_exactly_and_shown_escaped(client, name):
    answer_until(client, "people-helped", care_leavers_answers())
    assert add_figure(client, measure=HOSTILE[name]).status_code == 302
    html = client.get(step_url("outcomes")).content.decode()
    assert not any(markup in html for markup in DANGEROUS_MARKUP)
    remove = client.get(reverse("casestudies:submit_figure_remove", args=[1])).content.decode()
    assert not any(markup in remove for markup in DANGEROUS_MARKUP)


def test_evidence_levels_page_explains_each_level_and_why_small_is_welcome(client):
    response = client.get(reverse("casestudies:evidence_levels"))
    assert response.status_code == 200
    html = response.content.decode()
    for number in range(1, 6):
        assert f'id="level-{number}"' in html
    assert "Level 5: repeated elsewhere" in html
    assert "It can be small" in html
    assert reverse("casestudies:submit") in html


def test_the_edit_form_changes_the_evidence_answers_and_figures(client, moderator):
    from casestudies.models import OutcomeFigure
    from casestudies.notifications import EDIT_PURPOSE
    from linkup.moderation import submission_request_changes
    from linkup.tokens import make_token
    from tests.casestudies.factories import UnpublishedCaseStudyFactory
    from tests.casestudies.test_status import edit_answers

    care_leavers = ClientGroup.objects.get(slug="care-leavers")
    ni_147 = NationalIndicator.objects.get(code="NI 147")
    case_study = UnpublishedCaseStudyFactory(client_groups=[care_leavers], cohort_size=40)
    OutcomeFigure.objects.create(
        case_study=case_study, measure="Housed", people=10, result_value=8, result_unit="count"
    )
    OutcomeFigure.objects.create(case_study=case_study, measure="In work", people=10)
    submission_request_changes(submission=case_study, moderator=moderator, note="Add the baseline.")
    url = reverse("casestudies:edit", args=[make_token(case_study, EDIT_PURPOSE)])
    page = client.get(url).content.decode()
    assert 'value="Housed"' in page and 'value="40"' in page and "Remove this outcome" in page
    base = edit_answers(case_study) | {
        "cohort_size": "40",
        "measurement_method": "comparison_group",
        "evidence_level_proposed": "3",
        "setup_cost": "5000",
        "figure-TOTAL_FORMS": "3",
        "figure-INITIAL_FORMS": "2",
        "figure-0-measure": "Housed",
        "figure-0-people": "50",
        "figure-0-result_value": "8",
        "figure-0-result_unit": "count",
        "figure-1-measure": "In work",
        "figure-1-DELETE": "on",
        "figure-2-measure": "In training",
        "figure-2-indicator": str(ni_147.pk),
    }
    bad = client.post(url, base).content.decode()
    assert "There is a problem" in bad
    assert "Outcome 1: The number of people cannot be more than the 40 people helped" in bad
    assert 'value="In training"' in bad
    response = client.post(
        url,
        base | {"figure-0-people": "10", "figure-0-baseline_value": "2", "figure-0-baseline_unit": "count"},
    )
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.measurement_method == "comparison_group" and case_study.evidence_level_proposed == 3
    assert case_study.setup_cost == 5000
    housed, training = case_study.figures.all()
    assert (housed.measure, housed.baseline_value, training.measure, training.indicator) == (
        "Housed",
        2,
        "In training",
        ni_147,
    )
    latest = case_study.revisions().last().data
    assert any("In training" in line for line in latest["figures"])
