"""Public pages for reading case studies. Every read starts from
``CaseStudy.objects.published()``; filtering lives in ``casestudies.filters``."""

from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from casestudies.evidence import EVIDENCE_LEVEL_MEANING, EvidenceLevel
from casestudies.filters import FILTER_PARAMS, browse, paginate
from casestudies.models import CaseStudy
from linkup.context_processors import url_if_installed
from linkup.models import ClientGroup, Region
from linkup.pagecache import content_cached, form_part

LATEST_ON_REFERENCE_PAGES = 10


def _heat(count: int, highest: int) -> str:
    """The heat-map shade for a cell; the count is always shown as text too."""
    if count == 0:
        return "none"
    if count * 3 <= highest:
        return "low"
    if count * 3 <= highest * 2:
        return "medium"
    return "high"


def _strength(count: int, strongest: int | None) -> str:
    """The "Strength of evidence" shade for a cell: its strongest confirmed
    level; the level is always written out too."""
    if count == 0:
        return "none"
    return f"level-{strongest}" if strongest else "unrated"


def _cell(region, group, count: int, strongest: int | None, highest: int) -> dict:
    return {
        "group": group,
        "count": count,
        "heat": _heat(count, highest),
        "strongest": strongest,
        "strength": _strength(count, strongest),
        "query": urlencode({"region": region.slug, "client_group": group.slug}),
        "label": f"{group.label.lower()} in {region.name}",
    }


# The coverage grid's second view: ?view=strength.
VIEW_STRENGTH = "strength"


def _coverage() -> tuple[dict, int]:
    published = CaseStudy.objects.published()
    return published.coverage_strength(), published.count()


@require_safe
def home(request):
    client_groups = list(ClientGroup.objects.ordered())
    # Counting every published case study is most of this page's time (bench/run_all.py).
    coverage, total = content_cached(request, "casestudies:coverage", (), _coverage)
    highest = max((count for count, _ in coverage.values()), default=0)
    rows = [
        {
            "region": region,
            "cells": [
                _cell(region, group, *coverage.get((region.pk, group.pk), (0, None)), highest)
                for group in client_groups
            ],
        }
        for region in Region.objects.ordered()
    ]
    return render(
        request,
        "casestudies/home.html",
        {
            "rows": rows,
            "client_groups": client_groups,
            "empty_cells": sum(1 for row in rows for cell in row["cells"] if not cell["count"]),
            "strength_view": request.GET.get("view") == VIEW_STRENGTH,
            "levels": [(level, f"level-{level.value}") for level in reversed(EvidenceLevel)],
            "total": total,
            "submit_url": url_if_installed("casestudies:submit"),
        },
    )


def _results_html(rows) -> str:
    prefetch_related_objects(rows, "client_groups", "outcomes")
    return render_to_string("casestudies/includes/results.html", {"case_studies": rows})


@require_safe
def case_study_list(request):
    result = browse(request.GET, CaseStudy.objects.published().for_listing())
    # The rows without their client groups and outcomes: only results drawn
    # afresh read them. Drawing the results and the filters is most of this
    # page's time (bench/run_all.py), and both are the same for everyone who
    # asks for the same rows or the same filters, whatever the address.
    page, page_problem = paginate(result.queryset.prefetch_related(None), request.GET.get("page"))
    rows = page.object_list
    if not rows:
        result.found_nothing()
    result.offer_suggestion(request.GET)
    filters = [name for name in FILTER_PARAMS if name != "q"]
    return render(
        request,
        "casestudies/list.html",
        {
            "result": result,
            "form": result.form,
            "filters_html": content_cached(
                request,
                "casestudies:filters",
                *form_part(result.form, filters, "casestudies/includes/filters.html", bool(result.keyword)),
            ),
            "results_html": content_cached(
                request,
                "casestudies:results",
                (result.keyword, [row.pk for row in rows]),
                lambda: _results_html(rows),
            ),
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "page_problem": page_problem,
            "submit_url": url_if_installed("casestudies:submit"),
            "query_string": request.GET.urlencode(),
        },
    )


def _reference_page(request, *, template, reference, filter_name, queryset, context_phrase):
    case_studies = queryset.for_listing()[:LATEST_ON_REFERENCE_PAGES]
    return render(
        request,
        template,
        {
            "reference": reference,
            "case_studies": case_studies,
            "total": queryset.count(),
            "list_url_query": f"{filter_name}={reference.slug}",
            "context_phrase": context_phrase,
            "submit_url": url_if_installed("casestudies:submit"),
        },
    )


@require_safe
def region(request, slug):
    reference = get_object_or_404(Region, slug=slug)
    return _reference_page(
        request,
        template="casestudies/region.html",
        reference=reference,
        filter_name="region",
        context_phrase=f"in {reference.name}",
        queryset=CaseStudy.objects.published().filter(region=reference),
    )


@require_safe
def client_group(request, slug):
    reference = get_object_or_404(ClientGroup.objects.prefetch_related("indicators"), slug=slug)
    return _reference_page(
        request,
        template="casestudies/client_group.html",
        reference=reference,
        filter_name="client_group",
        context_phrase=f"for {reference.name.lower()}",
        queryset=CaseStudy.objects.published().filter(
            pk__in=CaseStudy.client_groups.through.objects.filter(clientgroup=reference).values(
                "casestudy_id"
            )
        ),
    )


def detail_context(case_study: CaseStudy) -> dict:
    """What the detail page shows of a case study (also its preview in admin)."""
    groups = list(case_study.client_groups.all())
    outcomes = [
        {
            "outcome": outcome,
            "indicators": [
                indicator
                for group in groups
                for indicator in group.indicators.all()
                if outcome in indicator.outcomes.all()
            ],
        }
        for outcome in case_study.outcomes.all()
    ]
    figures = list(case_study.figures.all())
    return {
        "case_study": case_study,
        "client_groups": groups,
        "outcomes": outcomes,
        "figures": figures,
        # "Results in numbers" shows only what is known, and nothing when nothing is.
        "has_numbers": bool(
            figures
            or case_study.cohort_size is not None
            or case_study.measurement_method
            or case_study.evaluation_url
            or case_study.evidence_level
        ),
        "has_cost_figures": any(
            value is not None
            for value in (
                case_study.setup_cost,
                case_study.yearly_cost,
                case_study.cost_per_person,
                case_study.savings_claimed,
            )
        )
        or bool(case_study.funded_by or case_study.savings_basis),
        "evidence_level_meaning": EVIDENCE_LEVEL_MEANING.get(case_study.evidence_level, ""),
        "related": CaseStudy.objects.published().related_to(case_study),
    }


DETAIL_RELATED = ("client_groups__indicators__outcomes", "agencies", "outcomes", "links")


def _detail_queryset(queryset):
    return queryset.select_related("region").prefetch_related(*DETAIL_RELATED).with_figures_listed()


@require_safe
def detail(request, slug):
    case_study = get_object_or_404(_detail_queryset(CaseStudy.objects.published()), slug=slug)
    return render(request, "casestudies/detail.html", detail_context(case_study))


def detail_preview(request, case_study: CaseStudy, *, back_url: str):
    """The detail page of a record not yet published, for moderators only
    (called from admin, which checks the permission and marks it uncacheable)."""
    case_study = _detail_queryset(CaseStudy.objects.all()).get(pk=case_study.pk)
    context = detail_context(case_study)
    context.update(preview=True, preview_status=case_study.get_status_display(), preview_back_url=back_url)
    return render(request, "casestudies/detail.html", context)
