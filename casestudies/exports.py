"""CSV export of the current filtered list of published case studies."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from casestudies.api import public_record, with_public_relations
from casestudies.evidence import FigureUnit
from casestudies.filters import browse
from casestudies.models import CaseStudy

CSV_COLUMNS = [
    ("reference", "Reference"),
    ("title", "Title"),
    ("url", "Web address"),
    ("summary", "Summary"),
    ("region", "Region"),
    ("client_groups", "Client groups"),
    ("agencies", "Agencies"),
    ("outcomes", "Outcomes"),
    ("organisations", "Organisations"),
    ("period_start", "Started"),
    ("period_end", "Ended"),
    ("published_at", "Published"),
    ("updated_at", "Updated"),
    ("cohort_size", "People helped"),
    ("measurement_method_label", "How the results were measured"),
    ("evaluation_url", "Evaluation or report"),
    ("evidence_level", "Evidence level"),
    ("evidence_level_label", "Evidence level in words"),
    ("setup_cost", "Set-up cost (£)"),
    ("yearly_cost", "Yearly running cost (£)"),
    ("funded_by", "Who paid"),
    ("cost_per_person", "Cost per person (£)"),
    ("savings_claimed", "Savings claimed (£ a year)"),
    ("savings_basis", "How the savings were worked out"),
    ("indicators", "National indicators with figures"),
    ("figures", "Figures"),
]
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def figure_text(figure: dict) -> str:
    """One figure on one line: "Measure: 12 people; before 40 per cent (2023-04-01);
    after 75 per cent (2024-03-31); NI 147"."""

    def amount(value, unit, on):
        words = f"{value} {dict(FigureUnit.choices)[unit]}" if unit else str(value)
        return f"{words} ({on})" if on else words

    parts = []
    if figure["people"] is not None:
        parts.append(f"{figure['people']} people")
    if figure["baseline_value"] is not None:
        parts.append(
            f"before {amount(figure['baseline_value'], figure['baseline_unit'], figure['baseline_on'])}"
        )
    if figure["result_value"] is not None:
        parts.append(f"after {amount(figure['result_value'], figure['result_unit'], figure['result_on'])}")
    if figure["indicator"]:
        parts.append(figure["indicator"])
    return f"{figure['measure']}: {'; '.join(parts)}" if parts else figure["measure"]


def csv_record(case_study) -> dict:
    """The public record, its figures flattened: one line each in one cell,
    and the indicators they count towards in another, for a spreadsheet's filter."""
    record = public_record(case_study)
    figures = record["figures"]
    record["figures"] = "\n".join(figure_text(figure) for figure in figures)
    record["indicators"] = list(dict.fromkeys(f["indicator"] for f in figures if f["indicator"]))
    return record


def csv_safe(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(value)
    value = str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class Echo:
    def write(self, value):
        return value


def csv_rows(queryset):
    writer = csv.writer(Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    yield writer.writerow([heading for _, heading in CSV_COLUMNS])
    for case_study in queryset.iterator(chunk_size=500):
        record = csv_record(case_study)
        yield writer.writerow([csv_safe(record[key]) for key, _ in CSV_COLUMNS])


@require_safe
def export_csv(request):
    result = browse(request.GET, CaseStudy.objects.published())
    filename = f"case-studies-{timezone.localdate():%Y-%m-%d}.csv"
    return StreamingHttpResponse(
        csv_rows(with_public_relations(result.queryset)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
