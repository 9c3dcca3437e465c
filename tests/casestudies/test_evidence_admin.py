"""Moderating the evidence: the proposed level confirmed or changed with a
reason in the timeline, publishing needs a level, figures as an inline held
to the same rules, and figures in the kept versions and their comparison."""

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy, OutcomeFigure
from linkup.models import ClientGroup, NationalIndicator
from linkup.moderation import ModerationNote, ModerationRevision, Status, moderation_record_revision
from tests.casestudies.factories import UnpublishedCaseStudyFactory

pytestmark = pytest.mark.django_db


def decide_url(case_study):
    return reverse("admin:casestudies_casestudy_decide", args=[case_study.pk, "publish"])


def change_url(case_study):
    return reverse("admin:casestudies_casestudy_change", args=[case_study.pk])


def timeline_notes(case_study):
    return [note.text for note in case_study.internal_notes()]


def test_publishing_offers_the_proposed_level_and_confirming_it_is_recorded(staff_client):
    case_study = UnpublishedCaseStudyFactory(evidence_level_proposed=2)
    page = staff_client.get(decide_url(case_study)).content.decode()
    assert "The submitter proposed Level 2: change measured." in page
    assert '<option value="2" selected>' in page
    response = staff_client.post(
        decide_url(case_study), {"confirm": "yes", f"evidence_level_{case_study.pk}": "2"}
    )
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED and case_study.evidence_level == 2
    assert timeline_notes(case_study) == ["Evidence level confirmed as proposed: Level 2: change measured."]
    html = staff_client.get(change_url(case_study)).content.decode()
    assert "Evidence level confirmed as proposed" in html


def test_a_different_level_needs_a_reason_which_the_timeline_keeps(staff_client):
    case_study = UnpublishedCaseStudyFactory(evidence_level_proposed=4)
    data = {"confirm": "yes", f"evidence_level_{case_study.pk}": "2"}
    refused = staff_client.post(decide_url(case_study), data).content.decode()
    assert f"Enter why the level of {case_study.reference} differs from the one proposed" in refused
    assert CaseStudy.objects.get().status == Status.SUBMITTED
    staff_client.post(
        decide_url(case_study), data | {f"evidence_reason_{case_study.pk}": "No independent evaluator."}
    )
    case_study.refresh_from_db()
    assert case_study.evidence_level == 2 and case_study.is_published
    (note,) = timeline_notes(case_study)
    assert "Level 2: change measured (the submitter proposed Level 4: independently evaluated)" in note
    assert "Reason: No independent evaluator." in note


def test_publishing_without_a_proposal_needs_an_explicit_choice(staff_client):
    case_study = UnpublishedCaseStudyFactory()
    refused = staff_client.post(decide_url(case_study), {"confirm": "yes"}).content.decode()
    assert f"Choose the evidence level for {case_study.reference}" in refused
    assert not CaseStudy.objects.published().exists()
    assert not ModerationNote.objects.exists()


def test_a_level_changed_on_the_change_form_needs_a_reason_in_the_timeline(staff_client):
    case_study = UnpublishedCaseStudyFactory(evidence_level_proposed=3)
    form = staff_client.get(change_url(case_study)).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list) and key in form.fields
    }
    data |= {
        "region": case_study.region_id,
        "client_groups": [group.pk for group in case_study.client_groups.all()],
        "evidence_level": "1",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    refused = staff_client.post(change_url(case_study), data)
    assert refused.status_code == 200
    assert "Enter why the level differs from the one proposed" in refused.content.decode()
    done = staff_client.post(change_url(case_study), data | {"evidence_level_reason": "Case records only."})
    assert done.status_code == 302, done.content.decode()[:2000]
    case_study.refresh_from_db()
    assert case_study.evidence_level == 1
    assert timeline_notes(case_study) == [
        "Evidence level set to Level 1: described (the submitter proposed Level 3: compared with others). "
        "Reason: Case records only."
    ]


def figure_data(case_study, rows):
    data = {
        "region": case_study.region_id,
        "client_groups": [group.pk for group in case_study.client_groups.all()],
        "title": case_study.title,
        "slug": case_study.slug,
        "summary": case_study.summary,
        "organisations": case_study.organisations,
        "challenge": case_study.challenge,
        "approach": case_study.approach,
        "results": case_study.results,
        "lessons": case_study.lessons,
        "cohort_size": "20",
        "figures-TOTAL_FORMS": str(len(rows)),
        "figures-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        data |= {f"figures-{index}-{key}": value for key, value in row.items()}
    return data


def test_the_figure_inline_uses_the_same_rules(staff_client):
    care_leavers = ClientGroup.objects.get(slug="care-leavers")
    case_study = UnpublishedCaseStudyFactory(client_groups=[care_leavers])
    offender_ni = NationalIndicator.objects.exclude(client_group=care_leavers).first()
    rows = [
        {"position": "0", "measure": "Housed", "people": "21"},
        {"position": "1", "measure": "Working", "result_value": "150", "result_unit": "percent"},
        {"position": "2", "measure": "Training", "indicator": str(offender_ni.pk)},
    ]
    html = staff_client.post(change_url(case_study), figure_data(case_study, rows)).content.decode()
    assert "The number of people cannot be more than the 20 people helped" in html
    assert "The result percentage cannot be more than 100" in html
    assert "Select a national indicator for one of the client groups you chose" in html
    assert not OutcomeFigure.objects.exists()
    ni_147 = NationalIndicator.objects.get(code="NI 147")
    rows = [{"position": "0", "measure": "Housed", "people": "20", "indicator": str(ni_147.pk)}]
    response = staff_client.post(change_url(case_study), figure_data(case_study, rows))
    assert response.status_code == 302
    assert case_study.figures.get().indicator == ni_147


def test_changed_figures_show_in_the_comparison_of_versions(staff_client):
    case_study = UnpublishedCaseStudyFactory()
    OutcomeFigure.objects.create(case_study=case_study, measure="Housed", people=8)
    moderation_record_revision(obj=case_study, reason=ModerationRevision.Reason.SUBMITTED)
    case_study.figures.update(people=9)
    case_study.figures.create(measure="In work", people=3)
    moderation_record_revision(obj=case_study, reason=ModerationRevision.Reason.RESUBMITTED)
    html = staff_client.get(change_url(case_study)).content.decode()
    assert "Changed: Outcome figures" in html


def test_the_change_page_costs_the_same_with_5_or_50_figures(staff_client, count_queries):
    ni_147 = NationalIndicator.objects.get(code="NI 147")
    case_study = UnpublishedCaseStudyFactory()

    def add(start, stop):
        OutcomeFigure.objects.bulk_create(
            OutcomeFigure(
                case_study=case_study, position=n, measure=f"Measure {n}", indicator=ni_147, people=n
            )
            for n in range(start, stop)
        )

    def page():
        assert staff_client.get(change_url(case_study)).status_code == 200

    add(0, 5)
    page()  # warm up
    few = count_queries(page)
    add(5, 50)
    many = count_queries(page)
    assert many == few
