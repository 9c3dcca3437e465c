"""Case studies in Django admin: moderated through the shared
``ModerationAdminMixin`` (as directory listings are), plus a dashboard of
the queue, the gaps in coverage and the arrivals per month."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.response import TemplateResponse
from django.urls import path

from casestudies.models import SUBMITTER_FIELDS, WRITTEN_FIELDS, CaseStudy, CaseStudyLink
from linkup.models import ClientGroup, Region
from linkup.moderation import moderation_queue_for
from linkup.moderation_admin import ModerationAdminMixin


class CaseStudyLinkInline(admin.TabularInline):
    model = CaseStudyLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CaseStudy)
class CaseStudyAdmin(ModerationAdminMixin, admin.ModelAdmin):
    list_display = ["title", "reference", "status", "region", "waiting", "submitted_at"]
    list_filter = ["status", "region", "client_groups", "agencies"]
    search_fields = ["title", "reference", "organisations", "submitter_organisation"]
    list_select_related = ["region"]
    inlines = [CaseStudyLinkInline]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["client_groups", "agencies", "outcomes"]
    readonly_fields = [
        "reference",
        "status",
        "submitted_at",
        "published_at",
        "safeguarding",
        "moderation_history",
        "personal_data_removed_at",
    ]
    safeguarding_fields = WRITTEN_FIELDS
    fieldsets = [
        ("Moderation", {"fields": ["reference", "status", "submitted_at", "published_at", "safeguarding"]}),
        (
            "The example",
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "region",
                    "client_groups",
                    "agencies",
                    "outcomes",
                    "organisations",
                    "challenge",
                    "approach",
                    "results",
                    "lessons",
                    "costs",
                    "period_start",
                    "period_end",
                ]
            },
        ),
        (
            "Who sent it (private unless they agreed to publish contact details)",
            {"fields": SUBMITTER_FIELDS},
        ),
        ("Keeping personal data", {"fields": ["retention_keep_reason", "personal_data_removed_at"]}),
        ("History", {"fields": ["moderation_history"]}),
    ]

    def get_urls(self):
        return [
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name=self.admin_url_name("dashboard"),
            ),
            *super().get_urls(),
        ]

    # The dashboard: queue, gaps, arrivals.

    def dashboard_view(self, request):
        queue = moderation_queue_for(CaseStudy)
        published = CaseStudy.objects.published()
        counts = {
            (row["region"], row["client_groups"]): row["n"]
            for row in published.values("region", "client_groups").annotate(n=Count("pk", distinct=True))
        }
        client_groups = list(ClientGroup.objects.ordered())
        grid = [
            {"region": region, "cells": [counts.get((region.pk, group.pk), 0) for group in client_groups]}
            for region in Region.objects.ordered()
        ]
        per_month = (
            CaseStudy.objects.exclude(submitted_at=None)
            .annotate(month=TruncMonth("submitted_at"))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by("-month")[:24]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Moderation dashboard",
            "opts": self.opts,
            "queue_count": queue["count"],
            "oldest": queue["oldest"],
            "client_groups": client_groups,
            "grid": grid,
            "per_month": per_month,
            "published_total": published.count(),
        }
        return TemplateResponse(request, "admin/casestudies/dashboard.html", context)
