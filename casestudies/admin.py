"""Case studies in Django admin: moderated through the shared
``ModerationAdminMixin`` (as directory listings are), plus a dashboard of
the queue, the gaps in coverage and the arrivals per month."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from casestudies.evidence import EvidenceLevel, figure_errors
from casestudies.models import (
    COST_FIELDS,
    FIGURE_FIELDS,
    SUBMITTER_FIELDS,
    WRITTEN_FIELDS,
    CaseStudy,
    CaseStudyLink,
    OutcomeFigure,
)
from casestudies.review import case_study_renew
from casestudies.services import case_study_level_confirm, level_needs_reason
from casestudies.views_browse import detail_preview
from linkup.models import ClientGroup, Region
from linkup.moderation import Status, moderation_queue_for
from linkup.moderation_admin import DecisionForm, ModerationAdminMixin


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


class OutcomeFigureForm(forms.ModelForm):
    """A figure in admin, held to the same rules as the public form
    (``casestudies.evidence.figure_errors``)."""

    class Meta:
        model = OutcomeFigure
        fields = ["position", *FIGURE_FIELDS]

    def __init__(self, *args, client_group_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_group_ids = client_group_ids

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The inline's parent, with this save's answers (people helped) on it.
            case_study = cleaned.get("case_study")
            values = {name: cleaned.get(name) for name in FIGURE_FIELDS if name not in {"measure", "outcome"}}
            values["baseline_unit"] = values["baseline_unit"] or ""
            values["result_unit"] = values["result_unit"] or ""
            for name, message in figure_errors(
                **values,
                cohort_size=case_study.cohort_size if case_study else None,
                client_group_ids=self.client_group_ids,
            ).items():
                self.add_error(name, message)
        return cleaned


class OutcomeFigureFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every row offers the same outcomes and indicators: read them once,
        # so the page costs the same with 5 figures or 50.
        for name in ("outcome", "indicator"):
            choices = None
            for form in self.forms:
                field = form.fields[name]
                choices = choices if choices is not None else list(field.choices)
                field.choices = choices
                if isinstance(field.widget, RelatedFieldWidgetWrapper):
                    field.widget.widget.choices = choices


class OutcomeFigureInline(admin.StackedInline):
    model = OutcomeFigure
    form = OutcomeFigureForm
    formset = OutcomeFigureFormSet
    extra = 0
    verbose_name = "outcome in numbers"
    verbose_name_plural = "results in numbers"
    fields = [
        "position",
        "measure",
        ("outcome", "indicator"),
        "people",
        ("baseline_value", "baseline_unit", "baseline_on"),
        ("result_value", "result_unit", "result_on"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("outcome", "indicator")


class CaseStudyAdminForm(forms.ModelForm):
    """The change form, with the reason for a change to the evidence level."""

    evidence_level_reason = forms.CharField(
        label="Reason for the evidence level",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="Needed when the level differs from the one the submitter proposed; "
        "recorded in the timeline.",
    )

    class Meta:
        model = CaseStudy
        # Admin's fieldsets name the rest.
        fields = ["evidence_level"]

    def clean(self):
        cleaned = super().clean()
        if "evidence_level" in self.changed_data:
            level = cleaned.get("evidence_level")
            if level is None and self.instance.is_published:
                self.add_error("evidence_level", "A published case study needs an evidence level")
            elif (
                level_needs_reason(case_study=self.instance, level=level)
                and not cleaned.get("evidence_level_reason", "").strip()
            ):
                self.add_error("evidence_level_reason", "Enter why the level differs from the one proposed")
        return cleaned


class PublishDecisionForm(DecisionForm):
    """Publishing a case study confirms its evidence level: pre-filled from
    the submitter's proposal (or the level already confirmed), or chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.decision.status != Status.PUBLISHED:
            return
        for record in self.records:
            proposed = (
                EvidenceLevel(record.evidence_level_proposed).label if record.evidence_level_proposed else ""
            )
            self.fields[f"evidence_level_{record.pk}"] = forms.TypedChoiceField(
                label=f"Evidence level for {record.reference}",
                choices=[("", "Choose a level"), *EvidenceLevel.choices],
                coerce=int,
                initial=record.evidence_level or record.evidence_level_proposed,
                help_text=f"The submitter proposed {proposed}."
                if proposed
                else "The submitter proposed none.",
                error_messages={"required": f"Choose the evidence level for {record.reference}"},
            )
            self.fields[f"evidence_reason_{record.pk}"] = forms.CharField(
                label=f"Reason for the level of {record.reference} (recorded in the timeline)",
                required=False,
                max_length=1000,
            )

    def clean(self):
        cleaned = super().clean()
        if self.decision.status == Status.PUBLISHED:
            for record in self.records:
                level = cleaned.get(f"evidence_level_{record.pk}")
                reason = cleaned.get(f"evidence_reason_{record.pk}", "").strip()
                if level_needs_reason(case_study=record, level=level) and not reason:
                    self.add_error(
                        f"evidence_reason_{record.pk}",
                        f"Enter why the level of {record.reference} differs from the one proposed",
                    )
        return cleaned


@admin.register(CaseStudy)
class CaseStudyAdmin(ModerationAdminMixin, admin.ModelAdmin):
    list_display = ["title", "reference", "status", "region", "waiting", "submitted_at", "review_due"]
    list_filter = ["status", "region", "client_groups", ReviewFilter, "agencies"]
    search_fields = ["reference", "title", "organisations", "submitter_organisation"]
    list_select_related = ["region"]
    form = CaseStudyAdminForm
    decision_form_class = PublishDecisionForm
    inlines = [OutcomeFigureInline, CaseStudyLinkInline]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["agencies"]
    # Short lists are checkboxes, not two-box choosers.
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
        models.URLField: {"assume_scheme": "https"},
    }
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
    readonly_fields = [
        *moderation_fields,
        "moderation_history",
        "personal_data_removed_at",
        "evidence_level_proposed",
    ]
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
            "Evidence",
            {
                "fields": [
                    "evidence_level_proposed",
                    "evidence_level",
                    "evidence_level_reason",
                    "cohort_size",
                    "measurement_method",
                    "evaluation_url",
                ],
                "description": "The level public pages show is the one confirmed here, or when publishing.",
            },
        ),
        (
            "Costs",
            {"fields": COST_FIELDS},
        ),
        (
            "Who sent it (private unless they agreed to publish contact details)",
            {"fields": SUBMITTER_FIELDS},
        ),
        ("Keeping personal data", {"fields": ["retention_keep_reason", "personal_data_removed_at"]}),
        ("Timeline", {"fields": ["moderation_history"]}),
    ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, OutcomeFigureInline):
            # The figures are checked against the client groups as this save leaves them.
            if request.method == "POST":
                group_ids = [int(pk) for pk in request.POST.getlist("client_groups") if pk.isdigit()]
            else:
                group_ids = [group.pk for group in obj.client_groups.all()] if obj.pk else []
            kwargs["form_kwargs"] = {"client_group_ids": group_ids}
        return kwargs

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "evidence_level" in form.changed_data and obj.evidence_level is not None:
            case_study_level_confirm(
                case_study=obj,
                level=obj.evidence_level,
                reason=form.cleaned_data.get("evidence_level_reason", ""),
                actor=request.user,
            )

    def decision_prepare(self, request, obj, decision, cleaned_data):
        if decision.status == Status.PUBLISHED and f"evidence_level_{obj.pk}" in cleaned_data:
            case_study_level_confirm(
                case_study=obj,
                level=cleaned_data[f"evidence_level_{obj.pk}"],
                reason=cleaned_data.get(f"evidence_reason_{obj.pk}", ""),
                actor=request.user,
            )

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
