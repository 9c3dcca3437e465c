"""The JSON endpoint: published case studies, public fields only, paged.

The field names are a contract for other services: add new ones, never rename
or remove one. See "Case-study data (feeds, CSV, JSON)" in the README.
"""

import datetime

from django.http import JsonResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.views.decorators.http import require_safe

from casestudies.filters import browse, paginate
from casestudies.models import CaseStudy
from casestudies.schema import data_schema
from linkup.notifications import absolute

API_PAGE_SIZE = 50


def _iso(day):
    return day.isoformat() if day else None


def public_figure(figure) -> dict:
    """One result in numbers, as data.json and the CSV carry it."""
    return {
        "measure": figure.measure,
        "outcome": figure.outcome.name if figure.outcome else None,
        "indicator": figure.indicator.code if figure.indicator else None,
        "indicator_title": figure.indicator.title if figure.indicator else None,
        "people": figure.people,
        "baseline_value": figure.baseline_value,
        "baseline_unit": figure.baseline_unit or None,
        "baseline_on": _iso(figure.baseline_on),
        "result_value": figure.result_value,
        "result_unit": figure.result_unit or None,
        "result_on": _iso(figure.result_on),
    }


def public_record(case_study) -> dict:
    """A case study's public fields. Never the submitter's details unless they
    agreed to them being shown, and only the evidence level the taskforce
    confirmed, never the one the submitter proposed."""
    return {
        "reference": case_study.reference,
        "slug": case_study.slug,
        "url": absolute(case_study.get_absolute_url()),
        "title": case_study.title,
        "summary": case_study.summary,
        "region": case_study.region.name,
        "client_groups": [group.name for group in case_study.client_groups.all()],
        "agencies": [agency.name for agency in case_study.agencies.all()],
        "outcomes": [outcome.name for outcome in case_study.outcomes.all()],
        "organisations": case_study.organisations,
        "challenge": case_study.challenge,
        "approach": case_study.approach,
        "results": case_study.results,
        "lessons": case_study.lessons,
        "costs": case_study.costs,
        "period_start": case_study.period_start.isoformat() if case_study.period_start else None,
        "period_end": case_study.period_end.isoformat() if case_study.period_end else None,
        "published_at": case_study.published_at.isoformat() if case_study.published_at else None,
        "updated_at": case_study.updated_at.isoformat(),
        "cohort_size": case_study.cohort_size,
        "measurement_method": case_study.measurement_method or None,
        "measurement_method_label": case_study.get_measurement_method_display() or None,
        "evaluation_url": case_study.evaluation_url or None,
        "evidence_level": case_study.evidence_level,
        "evidence_level_label": case_study.get_evidence_level_display()
        if case_study.evidence_level
        else None,
        "setup_cost": case_study.setup_cost,
        "yearly_cost": case_study.yearly_cost,
        "funded_by": case_study.funded_by or None,
        "cost_per_person": case_study.cost_per_person,
        "savings_claimed": case_study.savings_claimed,
        "savings_basis": case_study.savings_basis or None,
        "figures": [public_figure(figure) for figure in case_study.figures.all()],
        "contact": (
            {
                "name": case_study.submitter_name,
                "organisation": case_study.submitter_organisation,
                "email": case_study.submitter_email,
            }
            if case_study.show_contact
            else None
        ),
    }


def parse_moment(value: str):
    """An ISO 8601 date or date-time; a date means its first moment. None if unreadable."""
    value = value.strip()
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)):
            moment = datetime.datetime.combine(day, datetime.time.min)
    except ValueError:
        return None
    if moment is not None and is_naive(moment):
        moment = make_aware(moment, datetime.UTC)
    # In UTC: Python reads offsets up to ±23:59, the database only to ±15:59.
    return moment.astimezone(datetime.UTC) if moment is not None else None


def with_public_relations(queryset):
    return (
        queryset.select_related("region")
        .prefetch_related("client_groups", "agencies", "outcomes")
        .with_figures_listed()
    )


@require_safe
def case_studies_json(request):
    queryset = CaseStudy.objects.published()
    problems = []
    raw_moment = request.GET.get("modified_after", "")
    if raw_moment:
        moment = parse_moment(raw_moment[:40])
        if moment is None:
            return JsonResponse(
                {
                    "error": "modified_after must be an ISO 8601 date or date and time, "
                    "like 2010-03-31 or 2010-03-31T09:00:00Z."
                },
                status=400,
            )
        queryset = queryset.modified_after(moment)
    result = browse(request.GET, queryset)
    problems.extend(result.problems)
    problems.extend(result.notices)
    ordered = result.queryset if result.keyword else result.queryset.order_by("updated_at", "pk")
    page, page_problem = paginate(
        with_public_relations(ordered), request.GET.get("page"), per_page=API_PAGE_SIZE
    )
    if page_problem:
        problems.append(page_problem)
    if not page.paginator.count:
        result.found_nothing()
        problems.extend(notice for notice in result.notices if notice not in problems)

    def page_url(number):
        params = request.GET.copy()
        params["page"] = str(number)
        # On SITE_URL, never the request's Host header.
        return absolute(f"{request.path}?{params.urlencode()}")

    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "warnings": problems,
            "results": [public_record(case_study) for case_study in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def case_studies_schema(request):
    """The JSON Schema that documents data.json."""
    return JsonResponse(
        data_schema(), content_type="application/schema+json", json_dumps_params={"ensure_ascii": False}
    )
