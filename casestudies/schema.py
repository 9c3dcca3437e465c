"""The JSON Schema (draft 2020-12) of ``data.json``, served beside it as
``data.schema.json``. It documents every field a record carries; a test
validates real responses against it and checks it names every field."""

from django.urls import reverse

from casestudies.evidence import EvidenceLevel, FigureUnit, MeasurementMethod
from linkup.notifications import absolute

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _nullable(kind: str, description: str, **extra) -> dict:
    return {"type": [kind, "null"], "description": description, **extra}


def _date(description: str) -> dict:
    return _nullable("string", description, format="date")


def _amount(description: str) -> dict:
    return _nullable("integer", description, minimum=0)


def _names(description: str) -> dict:
    return {"type": "array", "items": {"type": "string"}, "description": description}


UNITS = [unit.value for unit in FigureUnit]

FIGURE = {
    "type": "object",
    "description": "One result in numbers.",
    "required": [
        "measure",
        "outcome",
        "indicator",
        "indicator_title",
        "people",
        "baseline_value",
        "baseline_unit",
        "baseline_on",
        "result_value",
        "result_unit",
        "result_on",
    ],
    "properties": {
        "measure": {"type": "string", "description": "What was measured."},
        "outcome": _nullable("string", "The outcome it shows, by name."),
        "indicator": _nullable(
            "string", "The national indicator it counts towards, e.g. NI 147.", pattern=r"^NI \d+$"
        ),
        "indicator_title": _nullable("string", "The indicator in words."),
        "people": _amount("How many people the figure is about."),
        "baseline_value": _amount("The baseline, before the work."),
        "baseline_unit": {"enum": [*UNITS, None], "description": "count (people) or percent."},
        "baseline_on": _date("When the baseline was measured."),
        "result_value": _amount("The result, after the work."),
        "result_unit": {"enum": [*UNITS, None], "description": "count (people) or percent."},
        "result_on": _date("When the result was measured."),
    },
}

RECORD_PROPERTIES = {
    "reference": {"type": "string", "description": "The case study's reference number."},
    "slug": {"type": "string"},
    "url": {"type": "string", "format": "uri", "description": "Its page on the portal."},
    "title": {"type": "string"},
    "summary": {"type": "string"},
    "region": {"type": "string", "description": "The English region, by name."},
    "client_groups": _names("The PSA 16 client groups, by name."),
    "agencies": _names("The agencies that worked together, by name."),
    "outcomes": _names("The outcomes shown, by name."),
    "organisations": {"type": "string"},
    "challenge": {"type": "string"},
    "approach": {"type": "string"},
    "results": {"type": "string", "description": "The results in the submitter's words."},
    "lessons": {"type": "string"},
    "costs": {"type": "string", "description": "Costs and resources in the submitter's words."},
    "period_start": _date("When the work started."),
    "period_end": _date("When it ended; null if still running or not known."),
    "published_at": _nullable("string", "When it was published.", format="date-time"),
    "updated_at": {"type": "string", "format": "date-time"},
    "cohort_size": _amount("People helped in all; null when not known."),
    "measurement_method": {
        "enum": [*(method.value for method in MeasurementMethod), None],
        "description": "How the results were measured.",
    },
    "measurement_method_label": _nullable("string", "The same, in words."),
    "evaluation_url": _nullable("string", "A link to the evaluation or report.", format="uri"),
    "evidence_level": {
        "enum": [*(level.value for level in EvidenceLevel), None],
        "description": "The evidence level the taskforce confirmed (1 to 5); null until confirmed.",
    },
    "evidence_level_label": _nullable("string", "The level in words, e.g. Level 3: compared with others."),
    "setup_cost": _amount("Set-up cost in pounds."),
    "yearly_cost": _amount("Yearly running cost in pounds."),
    "funded_by": _nullable("string", "Who paid."),
    "cost_per_person": _amount("Cost per person in pounds."),
    "savings_claimed": _amount("Savings claimed, in pounds a year."),
    "savings_basis": _nullable("string", "How the savings were worked out."),
    "figures": {"type": "array", "items": {"$ref": "#/$defs/figure"}, "description": "Results in numbers."},
    "contact": {
        "description": "The submitter, only when they agreed to be shown; otherwise null.",
        "oneOf": [
            {"type": "null"},
            {
                "type": "object",
                "required": ["name", "organisation", "email"],
                "properties": {
                    "name": {"type": "string"},
                    "organisation": {"type": "string"},
                    "email": {"type": "string"},
                },
                "additionalProperties": False,
            },
        ],
    },
}


def data_schema() -> dict:
    """The schema of a data.json response, with its own address on ``SITE_URL``."""
    page_url = _nullable("string", "The full address of the page, or null.", format="uri")
    return {
        "$schema": DRAFT,
        "$id": absolute(reverse("casestudies:api_schema")),
        "title": "Case studies of joint working",
        "description": "One page of published case studies from data.json. Fields are never renamed or "
        "removed; new ones may be added.",
        "type": "object",
        "required": ["count", "page", "pages", "next", "previous", "warnings", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": "Matching case studies in all."},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "next": page_url,
            "previous": page_url,
            "warnings": _names("Parameters that could not be used, and why."),
            "results": {"type": "array", "items": {"$ref": "#/$defs/case_study"}},
        },
        "$defs": {
            "case_study": {
                "type": "object",
                "required": list(RECORD_PROPERTIES),
                "properties": RECORD_PROPERTIES,
            },
            "figure": FIGURE,
        },
    }
