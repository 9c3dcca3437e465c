"""Case studies in Django admin: moderated through the shared
``ModerationAdminMixin`` (as directory listings are), plus a dashboard of
the queue, the gaps in coverage and the arrivals per month."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from casestudies.models import SUBMITTER_FIELDS, WRITTEN_FIELDS, CaseStudy, CaseStudyLink
from casestudies.review import case_study_renew
from casestudies.views_browse import detail_preview
from linkup.models import ClientGroup, Region
from linkup.moderation import Status, moderation_queue_for
from linkup.moderation_admin import ModerationAdminMixin


class ReviewFilter(admin.SimpleListFilter):
    title = "review date"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("soon", "Due for review soon"), ("past", "Past its review date")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        published = queryset.filter(status=Status.PUBLISHED)
        if self.value() == "soon":
            notice = today + datetime.timedelta(days=settings.CASE_STUDY_REVIEW_NOTICE_DAYS)
            return published.filter(review_due__gte=today, review_due__lte=notice)
        if self.value() == "past":
            return published.filter(review_due__lt=today)
        return queryset


@admin.action(description="Renew: still holds, next review in a full term", permissions=["moderate"])
def renew_review(modeladmin, request, queryset):
    renewed = [
        case_study_renew(case_study=case_study, actor=request.user).reference
        for case_study in queryset.filter(status=Status.PUBLISHED)
    ]
    if renewed:
        modeladmin.message_user(request, f"Renewed: {', '.join(renewed)}", messages.SUCCESS)
    else:
        modeladmin.message_user(request, "Only published case studies can be renewed.", messages.WARNING)


class CaseStudyLinkInline(admin.TabularInline):
    model = CaseStudyLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CaseStudy)
class CaseStudyAdmin(ModerationAdminMixin, admin.ModelAdmin):
    list_display = ["title", "reference", "status", "region", "waiting", "submitted_at", "review_due"]
    list_filter = ["status", "region", "client_groups", ReviewFilter, "agencies"]
    search_fields = ["reference", "title", "organisations", "submitter_organisation"]
    list_select_related = ["region"]
    inlines = [CaseStudyLinkInline]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["agencies"]
    # Short lists are checkboxes, not two-box choosers.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    # What moderation sets, shown first and never edited by hand.
    moderation_fields = [
        "reference",
        "status",
        "submitted_at",
        "published_at",
        "review_due",
        "reviewed_at",
        "safeguarding",
    ]
    readonly_fields = [*moderation_fields, "moderation_history", "personal_data_removed_at"]
    safeguarding_fields = WRITTEN_FIELDS
    # The sections follow the public page, top to bottom.
    fieldsets = [
        ("Moderation", {"fields": moderation_fields}),
        ("Title and summary", {"fields": ["title", "slug", "summary"]}),
        (
            "Facts",
            {
                "fields": [
                    "region",
                    "client_groups",
                    "agencies",
                    "outcomes",
                    "period_start",
                    "period_end",
                    "organisations",
                ]
            },
        ),
        ("The sections", {"fields": ["challenge", "approach", "results", "lessons", "costs"]}),
        (
            "Who sent it (private unless they agreed to publish contact details)",
            {"fields": SUBMITTER_FIELDS},
        ),
        ("Keeping personal data", {"fields": ["retention_keep_reason", "personal_data_removed_at"]}),
        ("Timeline", {"fields": ["moderation_history"]}),
    ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_moderate_permission(request):
            actions["renew_review"] = self.get_action(renew_review)
        return actions

    def preview_response(self, request, obj):
        return detail_preview(
            request, obj, back_url=reverse(f"admin:{self.admin_url_name('change')}", args=[obj.pk])
        )

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
