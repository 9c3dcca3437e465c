"""Hostile input in every field: stored safely or refused with a clear
message, always rendered escaped, never a 500."""

import pytest
from django.urls import reverse

from casestudies.forms import STEPS
from casestudies.models import CaseStudy
from tests.casestudies.submission_helpers import fill_in, send, valid_answers
from tests.hostile import EMOJI, HOSTILE, RTL, SCRIPT, SQL

pytestmark = pytest.mark.django_db

TEXT_FIELDS = {
    "about-you": [
        "submitter_name",
        "submitter_job_title",
        "submitter_organisation",
        "submitter_email",
        "submitter_phone",
    ],
    "where-and-who": ["organisations", "region", "client_groups", "agencies"],
    "what-you-did": [
        "example_title",
        "summary",
        "challenge",
        "approach",
        "period_start_day",
        "period_end_year",
    ],
    "results-and-lessons": ["results", "lessons", "costs", "outcomes"],
    "people-helped": ["cohort_size"],
    "outcomes": ["add_another"],
    "how-measured": ["measurement_method", "evaluation_url"],
    "costs": [
        "setup_cost",
        "yearly_cost",
        "funded_by",
        "cost_per_person",
        "savings_claimed",
        "savings_basis",
    ],
    "evidence-level": ["evidence_level_proposed"],
    "permission": ["consent_to_publish"],
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("step", [name for name, _ in STEPS])
def test_every_field_of_every_step_survives_hostile_input(client, step, name):
    value = HOSTILE[name]
    data = dict(valid_answers()[step])
    for field in TEXT_FIELDS[step]:
        data[field] = value
    response = client.post(reverse("casestudies:submit_step", args=[step]), data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        html = response.content.decode()
        assert "There is a problem" in html
        assert "<script>alert" not in html
    if name in {"nul", "huge"} and step != "permission":
        assert response.status_code == 200


def test_null_bytes_get_a_clear_message(client):
    data = dict(valid_answers()["what-you-did"], summary="a\x00b")
    html = client.post(reverse("casestudies:submit_step", args=["what-you-did"]), data).content.decode()
    assert "Remove the hidden control characters from this answer" in html


@pytest.mark.parametrize("value", [SCRIPT, SQL, RTL, EMOJI])
def test_hostile_text_is_stored_exactly_and_rendered_escaped(client, value):
    answers = valid_answers()
    answers["about-you"]["submitter_name"] = value
    answers["where-and-who"]["organisations"] = value
    for field in ["example_title", "summary", "challenge", "approach"]:
        answers["what-you-did"][field] = value
    for field in ["results", "lessons", "costs"]:
        answers["results-and-lessons"][field] = value
    check = fill_in(client, answers)
    assert "<script>alert" not in check.content.decode()
    assert send(client, check).status_code == 302
    case_study = CaseStudy.objects.get()
    assert case_study.title == value and case_study.results == value and case_study.submitter_name == value
    assert case_study.slug
    assert client.get(reverse("casestudies:submit_sent")).status_code == 200
    status = client.post(
        reverse("casestudies:status"),
        {"reference": case_study.reference, "email": case_study.submitter_email},
    ).content.decode()
    assert "<script>alert" not in status
