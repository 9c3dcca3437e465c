"""The moderation queue on the admin home page."""

from django import template
from django.urls import NoReverseMatch, reverse

from linkup.models import ClientGroup, Region
from linkup.moderation import moderation_queue as queue_per_model
from linkup.moderation import moderation_queue_grid, moderation_status_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queue(context):
    """What awaits review, for staff who may moderate it, each kind of record in turn."""
    request = context.get("request")
    if request is None:
        return []
    rows = []
    for row in queue_per_model():
        model = row["model"]
        if not request.user.has_perm(model.moderate_permission()):
            continue
        info = model._meta.app_label, model._meta.model_name
        try:
            dashboard_url = reverse("admin:{}_{}_dashboard".format(*info))
        except NoReverseMatch:
            dashboard_url = ""
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        oldest = row["oldest_item"]
        rows.append(
            {
                "model": model,
                "label": str(model._meta.verbose_name_plural).capitalize(),
                "count": row["count"],
                "oldest": row["oldest"],
                "oldest_item": oldest,
                "oldest_url": reverse("admin:{}_{}_change".format(*info), args=[oldest.pk]) if oldest else "",
                "overdue": row["overdue"],
                "url": changelist + "?queue=waiting",
                "dashboard_url": dashboard_url,
            }
        )
    return rows


@register.simple_tag(takes_context=True)
def moderation_dashboard(context, queue):
    """Counts by status, and what awaits review by region and client group,
    for the kinds of record in ``queue`` (the rows ``moderation_queue`` gave)."""
    if not queue:
        return {}
    regions, groups = list(Region.objects.ordered()), list(ClientGroup.objects.ordered())
    statuses, grid = [], {}
    for row in queue:
        statuses.append({"label": row["label"], "counts": moderation_status_counts(row["model"])})
        for cell, n in moderation_queue_grid(row["model"]).items():
            grid[cell] = grid.get(cell, 0) + n
    return {
        "statuses": statuses,
        "status_names": list(statuses[0]["counts"]),
        "groups": groups,
        "grid": [
            {"region": region, "cells": [grid.get((region.pk, group.pk), 0) for group in groups]}
            for region in regions
        ],
    }
