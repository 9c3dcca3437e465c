"""Reads shared by the toolkit's views: links into other parts of the
portal, case-study search and the side-by-side evidence table for the
builder, and the finder's answer."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery
from django.db.models import F, Q
from django.http import QueryDict
from django.urls import NoReverseMatch

from casestudies.evidence import FigureUnit
from casestudies.models import CaseStudy, OutcomeFigure
from linkup.context_processors import url_if_installed
from toolkit.models import AgencySuggestion, Page


def without_nul(data: QueryDict) -> QueryDict:
    """A copy of submitted data with NUL characters removed: the database
    refuses them, and no answer needs one."""
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    return cleaned


def client_group_links(group, *, region=None, area=None) -> dict:
    """Links to the case studies and directory entries for a client group
    (narrowed to a region or a directory authority when given), for the
    parts of the portal that exist: never a broken link."""
    links = {}
    if url := url_if_installed("casestudies:list"):
        params = {"client_group": group.slug, **({"region": region.slug} if region else {})}
        links["case_studies"] = f"{url}?{urlencode(params)}"
    if url := url_if_installed("directory:search"):
        params = {"client_group": group.slug, **({"area": area.slug} if area else {})}
        links["directory"] = f"{url}?{urlencode(params)}"
    return links


def case_studies_matching(query: str, *, limit: int = 10) -> list:
    """Published case studies for a builder search, best first."""
    query = (query or "").strip()
    if not query:
        return []
    published = CaseStudy.objects.published()
    if hasattr(published, "search"):
        found = published.search(query)
    else:
        # Until case studies have their own search, use the stored vector.
        found = published.filter(search_vector=SearchQuery(query, config="english", search_type="websearch"))
    return list(found.select_related("region")[:limit])


def finder_suggestions(*, client_group, need) -> list:
    """The agencies to involve: those for this client group first, then those
    for everyone; each agency once."""
    suggestions = (
        AgencySuggestion.objects.filter(need=need)
        .filter(Q(client_group=client_group) | Q(client_group__isnull=True))
        .select_related("agency")
        .order_by(F("client_group").asc(nulls_last=True), "position", "pk")
    )
    by_agency = {}
    for suggestion in suggestions:
        by_agency.setdefault(suggestion.agency_id, suggestion)
    return sorted(by_agency.values(), key=lambda s: (s.position, s.pk))


def guide_for(client_group):
    return Page.objects.published().filter(client_group=client_group).select_related("section").first()


def public_url(obj) -> str | None:
    """An object's public address, or None while its part of the portal has
    no page for it yet."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class EvidenceTable:
    """The cited examples' figures and costs side by side: one column per
    example, one row per fact. Each cell is a list of lines of plain text,
    so the page, the print view and the Word file show the same table."""

    columns: list[str]
    rows: list[tuple[str, list[list[str]]]]

    def by_example(self) -> list[tuple[str, list[tuple[str, list[str]]]]]:
        """The same facts read one example at a time (for the Markdown download)."""
        return [
            (title, [(label, cells[n]) for label, cells in self.rows]) for n, title in enumerate(self.columns)
        ]


def _money(value) -> str:
    return NOT_GIVEN if value is None else f"£{value:,}"


def _amount(value, unit, on) -> str:
    text = f"{value:,} {FigureUnit(unit).label}" if unit else f"{value:,}"
    return f"{text} ({on:%B %Y})" if on else text


def _figure_lines(figure: OutcomeFigure) -> list[str]:
    lines = [figure.measure]
    if figure.baseline_value is not None and figure.result_value is not None:
        lines.append(
            f"From {_amount(figure.baseline_value, figure.baseline_unit, figure.baseline_on)}"
            f" to {_amount(figure.result_value, figure.result_unit, figure.result_on)}"
        )
    elif figure.result_value is not None:
        lines.append(f"Result: {_amount(figure.result_value, figure.result_unit, figure.result_on)}")
    elif figure.baseline_value is not None:
        lines.append(f"Baseline: {_amount(figure.baseline_value, figure.baseline_unit, figure.baseline_on)}")
    if figure.people is not None:
        lines.append(f"People: {figure.people:,}")
    if figure.indicator:
        lines.append(f"Moves {figure.indicator.code}: {figure.indicator.title}")
    return lines


def _savings_lines(study) -> list[str]:
    if study.savings_claimed is None:
        return [NOT_GIVEN]
    lines = [f"{_money(study.savings_claimed)} a year"]
    if study.savings_basis:
        lines.append(f"Worked out from: {study.savings_basis}")
    return lines


def evidence_table(studies) -> EvidenceTable:
    """The side-by-side table of published ``studies`` (fetched with
    ``CaseStudyQuerySet.with_figures_listed()``). Only the level the taskforce confirmed is
    shown; an unknown answer reads "Not given"."""
    studies = list(studies)
    figures = [list(study.figures.all()) for study in studies]
    rows = [
        (
            "People helped",
            [[f"{s.cohort_size:,}" if s.cohort_size is not None else NOT_GIVEN] for s in studies],
        )
    ]
    for n in range(max((len(f) for f in figures), default=0)):
        rows.append(
            (f"Result {n + 1}", [_figure_lines(f[n]) if n < len(f) else [NOT_GIVEN] for f in figures])
        )
    rows += [
        ("How it was measured", [[s.get_measurement_method_display() or NOT_GIVEN] for s in studies]),
        (
            "Evidence level",
            [[s.get_evidence_level_display() if s.evidence_level else NOT_GIVEN] for s in studies],
        ),
        ("Set-up cost", [[_money(s.setup_cost)] for s in studies]),
        ("Yearly cost", [[_money(s.yearly_cost)] for s in studies]),
        ("Who paid", [[s.funded_by or NOT_GIVEN] for s in studies]),
        ("Cost per person", [[_money(s.cost_per_person)] for s in studies]),
        ("Savings claimed", [_savings_lines(s) for s in studies]),
    ]
    return EvidenceTable(columns=[s.title for s in studies], rows=rows)
