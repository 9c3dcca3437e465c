"""The business case's side-by-side table of figures and costs, its author,
organisation and date, and the Word document made with python-docx."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from casestudies.evidence import EvidenceLevel, FigureUnit, MeasurementMethod
from casestudies.models import OutcomeFigure
from linkup.models import NationalIndicator
from linkup.moderation import Status
from tests.casestudies.factories import CaseStudyFactory
from tests.hostile import DANGEROUS_MARKUP
from tests.hostile import HOSTILE as HOSTILE_CORPUS
from tests.toolkit.test_business_case import DOCX, URL, answers

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><w:p>{{ x }}</w:p>&amp;\x0b\x1f'


def _with_figures(title, count=1, **fields):
    study = CaseStudyFactory(title=title, **fields)
    indicator = NationalIndicator.objects.get(code="NI 147")
    for n in range(count):
        OutcomeFigure.objects.create(
            case_study=study,
            position=n,
            measure=f"In suitable accommodation after 6 months ({n + 1})",
            indicator=indicator,
            people=40,
            baseline_value=12,
            baseline_unit=FigureUnit.COUNT,
            baseline_on=datetime.date(2008, 4, 1),
            result_value=30,
            result_unit=FigureUnit.COUNT,
            result_on=datetime.date(2009, 3, 31),
        )
    return study


def _docx(response):
    assert response["Content-Type"] == DOCX
    return Document(io.BytesIO(response.content))


def _complete(**fields):
    return _with_figures(
        "Derby homes first",
        cohort_size=40,
        measurement_method=MeasurementMethod.COMPARISON_GROUP,
        evidence_level=EvidenceLevel.COMPARED,
        evidence_level_proposed=EvidenceLevel.EVALUATED,
        setup_cost=12000,
        yearly_cost=30500,
        funded_by="Derby City Council",
        cost_per_person=760,
        savings_claimed=88000,
        savings_basis="Fewer emergency placements",
        **fields,
    )


def test_page_shows_author_date_and_the_table_side_by_side(client):
    known = _complete()
    unknown = CaseStudyFactory(title="Lincoln tenancy club")
    html = client.post(URL, answers(evidence=[str(known.pk), str(unknown.pk)])).content.decode()
    assert "By Sam Writer, Brackenford Probation, " in html and "3 December 2026" in html
    assert "Figures and costs side by side" in html
    for text in [
        '<th scope="col" class="govuk-table__header">Derby homes first</th>',
        '<th scope="col" class="govuk-table__header">Lincoln tenancy club</th>',
        "From 12 people (April 2008) to 30 people (March 2009)",
        "People: 40",
        "Moves NI 147: Care leavers in suitable accommodation",
        "Against a comparison group",
        "Level 3: compared with others",
        "£12,000",
        "£30,500",
        "£760",
        "£88,000 a year",
        "Worked out from: Fewer emergency placements",
        "Derby City Council",
    ]:
        assert text in html, text
    # The submitter's proposal is never shown: only the confirmed level.
    assert "Level 4" not in html
    assert html.count("Not given") >= 8  # every fact of the example without figures


def test_the_word_document_has_headings_and_the_table(client):
    known = _complete()
    unknown = CaseStudyFactory(title="Lincoln tenancy club")
    response = client.post(URL, answers(action="word", evidence=[str(known.pk), str(unknown.pk)]))
    assert 'filename="business-case.docx"' in response["Content-Disposition"]
    document = _docx(response)
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", "Housing link worker for probation")
    for heading in [
        ("Heading 1", "Partners"),
        ("Heading 1", "The problem"),
        ("Heading 1", "Evidence from other areas"),
        ("Heading 2", "Figures and costs side by side"),
        ("Heading 2", "Derby homes first"),
        ("Heading 3", "Results"),
    ]:
        assert heading in headings
    texts = [p.text for p in document.paragraphs]
    assert "By Sam Writer, Brackenford Probation, 3 December 2026" in texts
    assert any(t.startswith("NI 143: ") for t in texts)
    (table,) = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["", "Derby homes first", "Lincoln tenancy club"]
    rows = {row[0]: row[1:] for row in cells[1:]}
    assert rows["People helped"] == ["40", "Not given"]
    assert rows["Result 1"][0].splitlines() == [
        "In suitable accommodation after 6 months (1)",
        "From 12 people (April 2008) to 30 people (March 2009)",
        "People: 40",
        "Moves NI 147: Care leavers in suitable accommodation",
    ]
    assert rows["Result 1"][1] == "Not given"
    assert rows["How it was measured"] == ["Against a comparison group", "Not given"]
    assert rows["Evidence level"] == ["Level 3: compared with others", "Not given"]
    assert rows["Set-up cost"] == ["£12,000", "Not given"]
    assert rows["Yearly cost"] == ["£30,500", "Not given"]
    assert rows["Cost per person"] == ["£760", "Not given"]
    assert rows["Savings claimed"][0].startswith("£88,000 a year")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_private_submitter_details_never_reach_the_document(client):
    study = _complete(
        submitter_name="Priya Hidden",
        submitter_email="priya.hidden@example.test",
        submitter_phone="01632 960999",
        submitter_organisation="Secret Org",
        show_contact=False,
    )
    for action in ("build", "word", "markdown"):
        response = client.post(URL, answers(action=action, evidence=[str(study.pk)]))
        if action == "word":
            document = _docx(response)
            body = "\n".join(p.text for p in document.paragraphs)
            body += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
            body += document.core_properties.author + document.core_properties.title
        else:
            body = response.content.decode()
        for private in ("Priya Hidden", "priya.hidden@example.test", "01632 960999", "Secret Org"):
            assert private not in body, (action, private)


def test_unpublished_examples_never_reach_the_table(client):
    hidden = _with_figures("Unpublished zebra scheme", status=Status.SUBMITTED, published_at=None)
    for action in ("word", "build", "markdown"):
        response = client.post(URL, answers(action=action, evidence=[str(hidden.pk)]))
        # Never a download: the form again, saying the choice cannot be used.
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert "Select case studies from the list" in html
        assert "Unpublished zebra scheme" not in html and "suitable accommodation after" not in html


def test_hostile_text_is_inert_in_the_document_and_the_page(client):
    study = _complete()
    study.figures.update(measure=HOSTILE[:200])
    data = answers(
        evidence=[str(study.pk)],
        problem=HOSTILE,
        expected_outcomes=HOSTILE,
        costs="a\x0cb\x0bc",
    )
    document = _docx(client.post(URL, {**data, "action": "word"}))
    texts = [p.text for p in document.paragraphs]
    # The text is text: no element it names exists, and the controls XML cannot hold are gone.
    assert '<script>alert("x")</script><w:p>{{ x }}</w:p>&amp;' in texts
    assert "abc" in texts
    cells = [c.text for r in document.tables[0].rows for c in r.cells]
    assert any(c.startswith('<script>alert("x")</script>') for c in cells)
    for action in ("build", "markdown"):
        body = client.post(URL, {**data, "action": action}).content.decode()
        assert "<script>" not in body and "<w:p>" not in body
    # One-line answers refuse control characters with a GOV.UK message.
    html = client.post(URL, answers(author="Sam\x1fWriter", organisation=HOSTILE)).content.decode()
    assert "Your name must not contain hidden control characters" in html
    assert "There is a problem" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"author": ""}, "Enter your name"),
        ({"organisation": ""}, "Enter your organisation"),
        ({"date_day": "", "date_month": "", "date_year": ""}, "Enter the date of the business case"),
        ({"date_day": "31", "date_month": "2", "date_year": "2026"}, "Enter a real date"),
        ({"date_day": "x", "date_month": "\x00", "date_year": "99999999999"}, "Enter a real date"),
        ({"author": "a" * 121}, "Your name must be 120 characters or fewer"),
    ],
)
def test_author_organisation_and_date_are_checked(client, changes, message):
    response = client.post(URL, answers(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    # The other answers are kept.
    assert "Housing link worker for probation" in html


def test_the_date_is_today_by_default(client):
    today = timezone.localdate()
    html = client.get(URL).content.decode()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        assert re.search(rf'name="date_{part}"[^>]* value="{value}"', html), part


def test_answers_are_kept_through_change_your_answers(client):
    study = _complete()
    html = client.post(URL, answers(evidence=[str(study.pk)])).content.decode()
    for hidden in (
        'name="author" value="Sam Writer"',
        'name="date_day" value="3"',
        'name="date_year" value="2026"',
    ):
        # Kept in the document page's form, for a download or a change.
        assert hidden in html
    again = client.post(URL, answers(action="search", evidence=[str(study.pk)])).content.decode()
    assert 'value="Sam Writer"' in again and "Derby homes first" in again


def _queries(client, action, studies):
    data = answers(action=action, evidence=[str(s.pk) for s in studies])
    with CaptureQueriesContext(connection) as queries:
        assert client.post(URL, data).status_code == 200
    return len(queries)


@pytest.mark.parametrize("action", ["build", "word", "markdown"])
def test_queries_do_not_grow_with_the_figures(client, action):
    few = [_with_figures(f"Few {n}", count=1) for n in range(5)]
    many = [_with_figures(f"Many {n}", count=10) for n in range(5)]
    assert sum(s.figures.count() for s in few) == 5 and sum(s.figures.count() for s in many) == 50
    assert _queries(client, action, many) == _queries(client, action, few)


@pytest.mark.parametrize("label", sorted(HOSTILE_CORPUS))
def test_every_hostile_answer_gives_a_document_or_a_message(client, label):
    value = HOSTILE_CORPUS[label]
    data = answers(action="word", problem=value, approach=value, other_partners=value, author=value)
    response = client.post(URL, data)
    assert response.status_code == 200
    if response["Content-Type"] == DOCX:
        document = _docx(response)
        assert document.paragraphs[0].text == "Housing link worker for probation"
    else:
        html = response.content.decode()
        assert "There is a problem" in html
        assert not any(markup in html for markup in DANGEROUS_MARKUP)
