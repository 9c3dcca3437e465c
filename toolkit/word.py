"""The business case as a Word document (.docx), built with python-docx so
that Word and LibreOffice open it as their own: real headings, paragraphs
and a table, never HTML under a Word name."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt

from toolkit.services import EvidenceTable

# What XML cannot hold (every C0 control but tab and line breaks, and the
# non-characters): an answer holding one still downloads, without it.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    return NOT_IN_XML.sub("", str(value))


def _paragraphs(document, text: str) -> None:
    for line in _text(text).splitlines() or [""]:
        document.add_paragraph(line)


def business_case_docx(*, case: dict, table: EvidenceTable, site_url: str) -> bytes:
    """The document for a valid ``BusinessCaseForm``'s ``cleaned_data``."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    document.core_properties.title = _text(case["title"])
    document.core_properties.author = _text(case["author"])

    document.add_heading(_text(case["title"]), level=0)
    document.add_paragraph(f"A business case for joint working with {case['client_group'].name.lower()}.")
    document.add_paragraph(
        _text(f"By {case['author']}, {case['organisation']}, {case['date'].day} {case['date']:%B %Y}")
    )

    document.add_heading("Partners", level=1)
    for agency in case["partners"]:
        document.add_paragraph(agency.name, style="List Bullet")
    if case["other_partners"]:
        document.add_paragraph(_text(case["other_partners"]), style="List Bullet")
    for heading, key in (
        ("The problem", "problem"),
        ("What we will do together", "approach"),
        ("Costs and who pays", "costs"),
    ):
        document.add_heading(heading, level=1)
        _paragraphs(document, case[key])
    document.add_heading("Expected outcomes", level=1)
    document.add_paragraph("This proposal will contribute to these national indicators:")
    for indicator in case["indicators"]:
        document.add_paragraph(f"{indicator.code}: {indicator.title}", style="List Bullet")
    _paragraphs(document, case["expected_outcomes"])

    studies = case["evidence"]
    if studies:
        document.add_heading("Evidence from other areas", level=1)
        document.add_heading("Figures and costs side by side", level=2)
        _evidence_table(document, table)
        for study in studies:
            document.add_heading(_text(study.title), level=2)
            published = f", published {study.published_at:%B %Y}" if study.published_at else ""
            document.add_paragraph(f"{study.region.name}{published}")
            _paragraphs(document, study.summary)
            document.add_heading("Results", level=3)
            _paragraphs(document, study.results)
            if study.public_url:
                document.add_paragraph(f"Source: {site_url}{study.public_url}")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _evidence_table(document, table: EvidenceTable) -> None:
    grid = document.add_table(rows=1 + len(table.rows), cols=1 + len(table.columns))
    grid.style = "Table Grid"
    header = grid.rows[0].cells
    header[0].text = ""
    for cell, title in zip(header[1:], table.columns, strict=True):
        cell.text = _text(title)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row, (label, cells) in zip(grid.rows[1:], table.rows, strict=True):
        row.cells[0].text = label
        row.cells[0].paragraphs[0].runs[0].bold = True
        for cell, lines in zip(row.cells[1:], cells, strict=True):
            cell.text = _text("\n".join(lines))
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
