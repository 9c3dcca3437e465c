"""CSV export of the current filtered list of published case studies."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from casestudies.api import public_record, with_public_relations
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
]
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        record = public_record(case_study)
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
