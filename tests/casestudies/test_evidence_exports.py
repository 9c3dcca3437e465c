"""The evidence in CSV and data.json, and the JSON Schema served beside it:
every new field, the confirmed level only, figures nested in JSON and one
line each in CSV; nothing private or unpublished; queries flat."""

import csv
import io
import json

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker

from casestudies.evidence import EvidenceLevel, MeasurementMethod
from casestudies.schema import RECORD_PROPERTIES
from linkup.models import ClientGroup, NationalIndicator, Outcome, Region
from tests.casestudies.factories import CaseStudyFactory, OutcomeFigureFactory, UnpublishedCaseStudyFactory

pytestmark = pytest.mark.django_db

PRIVATE = ("Priya Submitter", "priya.submitter@example.test", "01632 960001")


@pytest.fixture
def evidenced():
    ni147 = NationalIndicator.objects.get(code="NI 147")
    case_study = CaseStudyFactory(
        title="Strong evidence",
        region=Region.objects.get(slug="east-midlands"),
        client_groups=[ClientGroup.objects.get(slug="care-leavers")],
        cohort_size=120,
        measurement_method=MeasurementMethod.INDEPENDENT_EVALUATION,
        evaluation_url="https://example.org/report",
        evidence_level=EvidenceLevel.EVALUATED,
        evidence_level_proposed=EvidenceLevel.REPEATED,
        setup_cost=5000,
        yearly_cost=20000,
        funded_by="The council",
        cost_per_person=210,
        savings_claimed=64000,
        savings_basis="Fewer evictions.",
    )
    OutcomeFigureFactory(
        case_study=case_study,
        measure="In suitable accommodation",
        indicator=ni147,
        outcome=Outcome.objects.get(slug="settled-accommodation"),
    )
    OutcomeFigureFactory(
        case_study=case_study,
        measure="=Back in college",
        people=None,
        baseline_value=None,
        baseline_unit="",
        baseline_on=None,
        result_value=9,
        result_unit="count",
    )
    CaseStudyFactory(title="Nothing in numbers")
    secret = UnpublishedCaseStudyFactory(title="Unpublished secret", evidence_level=5)
    OutcomeFigureFactory(case_study=secret, measure="Secret measure")
    return case_study


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_json_carries_every_evidence_field_and_nested_figures(client, evidenced):
    results = client.get(reverse("casestudies:api")).json()["results"]
    record = next(r for r in results if r["title"] == "Strong evidence")
    assert {key: record[key] for key in ("cohort_size", "measurement_method", "evidence_level")} == {
        "cohort_size": 120,
        "measurement_method": "independent_evaluation",
        "evidence_level": 4,
    }
    assert record["evidence_level_label"] == "Level 4: independently evaluated"
    assert record["measurement_method_label"] == "An independent evaluation"
    assert record["evaluation_url"] == "https://example.org/report"
    assert (record["setup_cost"], record["yearly_cost"], record["cost_per_person"]) == (5000, 20000, 210)
    assert (record["funded_by"], record["savings_claimed"], record["savings_basis"]) == (
        "The council",
        64000,
        "Fewer evictions.",
    )
    assert record["figures"][0] == {
        "measure": "In suitable accommodation",
        "outcome": "Settled accommodation",
        "indicator": "NI 147",
        "indicator_title": "Care leavers in suitable accommodation",
        "people": 12,
        "baseline_value": 40,
        "baseline_unit": "percent",
        "baseline_on": "2023-04-01",
        "result_value": 75,
        "result_unit": "percent",
        "result_on": "2024-03-31",
    }
    assert record["figures"][1]["baseline_value"] is None and record["figures"][1]["indicator"] is None
    empty = next(r for r in results if r["title"] == "Nothing in numbers")
    assert empty["figures"] == [] and empty["evidence_level"] is None and empty["cohort_size"] is None


def test_json_and_csv_filter_by_the_evidence_filters(client, evidenced):
    query = {"level": "4", "figures": "yes", "indicator": "NI 147"}
    data = client.get(reverse("casestudies:api"), query).json()
    assert [r["title"] for r in data["results"]] == ["Strong evidence"] and data["warnings"] == []
    rows = read_csv(client.get(reverse("casestudies:export_csv"), query))
    assert [row["Title"] for row in rows] == ["Strong evidence"]
    assert client.get(reverse("casestudies:api"), {"level": "5"}).json()["count"] == 0


def test_csv_flattens_the_figures_and_carries_every_evidence_field(client, evidenced):
    rows = {row["Title"]: row for row in read_csv(client.get(reverse("casestudies:export_csv")))}
    row = rows["Strong evidence"]
    assert row["People helped"] == "120"
    assert row["How the results were measured"] == "An independent evaluation"
    assert row["Evaluation or report"] == "https://example.org/report"
    assert (row["Evidence level"], row["Evidence level in words"]) == (
        "4",
        "Level 4: independently evaluated",
    )
    assert row["Set-up cost (£)"] == "5000" and row["Yearly running cost (£)"] == "20000"
    assert row["Who paid"] == "The council" and row["Cost per person (£)"] == "210"
    assert row["Savings claimed (£ a year)"] == "64000"
    assert row["How the savings were worked out"] == "Fewer evictions."
    assert row["National indicators with figures"] == "NI 147"
    assert row["Figures"].splitlines() == [
        "In suitable accommodation: 12 people; before 40 per cent (2023-04-01); "
        "after 75 per cent (2024-03-31); NI 147",
        "=Back in college: after 9 people (2024-03-31)",
    ]
    empty = rows["Nothing in numbers"]
    assert empty["Figures"] == "" and empty["Evidence level"] == "" and empty["People helped"] == ""


def test_a_figure_cell_cannot_run_as_a_formula(client):
    case_study = CaseStudyFactory()
    OutcomeFigureFactory(case_study=case_study, position=0, measure="=HYPERLINK('http://evil.example')")
    (row,) = read_csv(client.get(reverse("casestudies:export_csv")))
    assert row["Figures"].startswith("'=")


@pytest.mark.parametrize("url_name", ["casestudies:api", "casestudies:export_csv"])
def test_exports_hold_nothing_private_or_unpublished(client, evidenced, url_name):
    response = client.get(reverse(url_name))
    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode(
        "utf-8-sig"
    )
    for secret in (*PRIVATE, "Unpublished secret", "Secret measure", "evidence_level_proposed"):
        assert secret not in body
    assert "Level 5" not in body  # the submitter proposed it; the taskforce confirmed level 4


def test_the_schema_is_draft_2020_12_and_served_beside_data_json(client):
    response = client.get("/case-studies/data.schema.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    schema = response.json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/case-studies/data.schema.json")
    Draft202012Validator.check_schema(schema)


def validate(schema, data):
    errors = sorted(
        Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data), key=lambda e: e.path
    )
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_real_data_json_output_is_valid_against_the_schema(client, evidenced):
    schema = client.get("/case-studies/data.schema.json").json()
    CaseStudyFactory(title="Shown contact", show_contact=True, evidence_level=1)
    for query in ({}, {"page": "99"}, {"q": "joint"}, {"level": "4", "figures": "yes"}):
        validate(schema, client.get(reverse("casestudies:api"), query).json())


def test_the_schema_names_exactly_the_fields_a_record_and_a_figure_have(client, evidenced):
    schema = client.get("/case-studies/data.schema.json").json()
    results = client.get(reverse("casestudies:api"), {"figures": "yes"}).json()["results"]
    record = results[0]
    assert set(schema["$defs"]["case_study"]["properties"]) == set(record)
    assert set(schema["$defs"]["figure"]["properties"]) == set(record["figures"][0])


def test_the_schema_refuses_what_the_portal_must_never_send(client):
    schema = client.get("/case-studies/data.schema.json").json()
    validator = Draft202012Validator({**schema["$defs"]["case_study"], "$defs": schema["$defs"]})
    good = dict.fromkeys(RECORD_PROPERTIES)
    phone = {
        "contact": {"name": "A", "organisation": "B", "email": "c@example.test", "phone": "01632 960001"}
    }
    assert any(
        error.path and error.path[0] == "contact" for error in validator.iter_errors({**good, **phone})
    )
    level_6 = {**good, "evidence_level": 6}
    assert any(error.path and error.path[0] == "evidence_level" for error in validator.iter_errors(level_6))


def test_export_queries_do_not_grow_with_rows_or_figures(client, count_queries):
    ni147 = NationalIndicator.objects.get(code="NI 147")

    def add(number):
        for _ in range(number):
            OutcomeFigureFactory.create_batch(
                2, case_study=CaseStudyFactory(evidence_level=3), indicator=ni147
            )

    def both():
        client.get(reverse("casestudies:api"))
        b"".join(client.get(reverse("casestudies:export_csv")).streaming_content)

    add(5)
    five = count_queries(both)
    add(45)
    assert count_queries(both) == five


def test_json_lists_the_figures_of_a_record_in_their_order(client):
    case_study = CaseStudyFactory()
    for position, measure in [(2, "Third"), (0, "First"), (1, "Second")]:
        OutcomeFigureFactory(case_study=case_study, position=position, measure=measure)
    (record,) = client.get(reverse("casestudies:api")).json()["results"]
    assert [figure["measure"] for figure in record["figures"]] == ["First", "Second", "Third"]
    assert json.dumps(record).count("Second") == 1
