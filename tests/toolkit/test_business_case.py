"""The business-case builder: a form, a printable document and downloads."""

import pytest
from django.urls import reverse

from linkup.models import NationalIndicator
from linkup.moderation import Status
from tests.casestudies.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db
URL = reverse("toolkit:business_case")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def answers(**changes):
    data = {
        "title": "Housing link worker for probation",
        "author": "Sam Writer",
        "organisation": "Brackenford Probation",
        "date_day": "3",
        "date_month": "12",
        "date_year": "2026",
        "client_group": "offenders-under-probation-supervision",
        "partners": ["probation", "housing-council"],
        "other_partners": "Hope Street charity",
        "problem": "Too many people leave prison with nowhere to live.",
        "approach": "A housing worker based in the probation office.",
        "costs": "One post at 30,000 a year, shared by housing and probation.",
        "indicators": [str(NationalIndicator.objects.get(code="NI 143").pk)],
        "expected_outcomes": "Twenty more people in settled accommodation.",
        "action": "build",
    }
    data.update(changes)
    return data


def test_form_renders_with_novalidate(client):
    html = client.get(URL).content.decode()
    assert "Build a business case" in html and "novalidate" in html


def test_document_contains_the_inputs_and_cited_case_studies(client):
    study = CaseStudyFactory(title="Derby homes first", results="Thirty-two people housed in a year.")
    response = client.post(URL, answers(evidence=[str(study.pk)]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Housing link worker for probation",
        "Probation",
        "Housing: council",
        "Hope Street charity",
        "Too many people leave prison",
        "A housing worker based in the probation office.",
        "One post at 30,000",
        "NI 143",
        "Twenty more people",
        "Derby homes first",
        "Thirty-two people housed in a year.",
    ]:
        assert text in html
    assert "app-print-page-break" in html
    assert "Download as a Word document" in html


def test_search_and_pick_only_published_case_studies(client):
    CaseStudyFactory(title="Lincoln tenancy sustainment", summary="Tenancy support for care leavers.")
    CaseStudyFactory(title="Lincoln hidden draft", summary="Tenancy draft.", status=Status.SUBMITTED)
    html = client.post(URL, answers(action="search", evidence_query="tenancy")).content.decode()
    assert "Lincoln tenancy sustainment" in html
    assert "Lincoln hidden draft" not in html
    assert "There is a problem" not in html
    # The answers are kept.
    assert "Too many people leave prison" in html


def test_unpublished_case_study_cannot_be_cited(client):
    hidden = CaseStudyFactory(title="Unpublished zebra project", status=Status.SUBMITTED)
    html = client.post(URL, answers(evidence=[str(hidden.pk)])).content.decode()
    assert "Unpublished zebra project" not in html


def test_hostile_input_is_escaped_in_every_output(client):
    data = answers(title=HOSTILE, problem=HOSTILE, other_partners=HOSTILE)
    for action in ("build", "markdown"):
        body = client.post(URL, {**data, "action": action}).content.decode()
        assert "<script>" not in body
        assert "<img src=x" not in body
        assert "&lt;script&gt;" in body


def test_downloads(client):
    study = CaseStudyFactory(title="Nottingham jobs club")
    response = client.post(URL, answers(action="markdown", evidence=[str(study.pk)]))
    assert response["Content-Type"].startswith("text/markdown")
    assert 'filename="business-case.md"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# Housing link worker for probation")
    assert "- **NI 143**" in text and "Nottingham jobs club" in text
    response = client.post(URL, answers(action="word"))
    assert response["Content-Type"] == DOCX
    assert 'filename="business-case.docx"' in response["Content-Disposition"]
    assert response.content.startswith(b"PK")  # a zip package, not HTML


def test_missing_answers_show_the_error_summary(client):
    html = client.post(URL, {"action": "build"}).content.decode()
    assert "There is a problem" in html
    for message in [
        "Enter a name for your proposal",
        "Select a client group",
        "Select at least one partner agency",
        "Describe the problem",
        "Select at least one national indicator",
    ]:
        assert message in html


def test_indicators_must_match_the_client_group(client):
    other = NationalIndicator.objects.get(code="NI 147")
    html = client.post(URL, answers(indicators=[str(other.pk)])).content.decode()
    assert "Select indicators for offenders under probation supervision" in html


@pytest.mark.parametrize(
    ("changes", "expect_error"),
    [
        ({"title": "x" * 5000}, True),
        ({"title": "bad\x00title"}, False),  # NUL characters are dropped
        ({"client_group": "\x00"}, True),
        ({"partners": ["no-such-agency", "p\x00"]}, True),
        ({"indicators": ["abc", "99999999999999999999"]}, True),
        ({"evidence": ["abc", "\x00", "9" * 30]}, True),
        ({"evidence": ["²", "①", "1²"]}, True),  # digits to isdigit(), not to int()
        ({"problem": "p" * 5000}, True),
    ],
)
def test_bad_input_never_500s(client, changes, expect_error):
    response = client.post(URL, answers(**changes))
    assert response.status_code == 200
    assert ("There is a problem" in response.content.decode()) is expect_error


def test_search_with_bad_input(client):
    for query in ("\x00", "x" * 5000, "!!!", "'\"&|"):
        response = client.post(URL, answers(action="search", evidence_query=query))
        assert response.status_code == 200
