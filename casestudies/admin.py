"""Moderation of case studies in Django admin.

Every decision goes through ``linkup.moderation`` (the same functions the
rest of the portal calls), after a confirmation page that collects the note
for the submitter and, before publishing, shows the safeguarding warnings.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, Count, F, IntegerField, Min, Value, When
from django.db.models.functions import TruncMonth
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from casestudies.models import CaseStudy, CaseStudyLink
from linkup.models import ClientGroup, Region
from linkup.moderation import (
    AWAITING_REVIEW,
    Status,
    submission_approve,
    submission_reject,
    submission_request_changes,
)
from linkup.safeguarding import scan_fields

SCANNED_FIELDS = [
    "title",
    "summary",
    "organisations",
    "challenge",
    "approach",
    "results",
    "lessons",
    "costs",
]


def safeguarding_warnings(case_study: CaseStudy):
    return scan_fields(
        {
            str(CaseStudy._meta.get_field(name).verbose_name).capitalize(): getattr(case_study, name)
            for name in SCANNED_FIELDS
        }
    )


class DecisionForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "cols": 80}), required=False)
    acknowledge = forms.BooleanField(
        required=False,
        label="I have checked these warnings and the text does not identify anyone",
    )

    def __init__(self, *args, decision, warnings_found, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.warnings_found = warnings_found
        self.fields["note"].label = DECISIONS[decision]["note_label"]
        self.fields["note"].required = DECISIONS[decision]["note_required"]
        self.fields["note"].error_messages["required"] = DECISIONS[decision]["note_error"]
        if decision != "publish" or not warnings_found:
            del self.fields["acknowledge"]

    def clean_acknowledge(self):
        if not self.cleaned_data.get("acknowledge"):
            raise ValidationError(
                "Confirm you have checked the safeguarding warnings before publishing", code="required"
            )
        return True


DECISIONS = {
    "publish": {
        "title": "Approve and publish",
        "service": submission_approve,
        "from": {Status.SUBMITTED},
        "note_label": "Note for the record (optional)",
        "note_required": False,
        "note_error": "",
        "done": "Published",
    },
    "request_changes": {
        "title": "Request changes",
        "service": submission_request_changes,
        "from": {Status.SUBMITTED, Status.PUBLISHED},
        "note_label": "What the submitter needs to change (e-mailed to them with a link to edit)",
        "note_required": True,
        "note_error": "Enter what the submitter needs to change",
        "done": "Changes requested for",
    },
    "reject": {
        "title": "Reject",
        "service": submission_reject,
        "from": {Status.SUBMITTED, Status.CHANGES_REQUESTED},
        "note_label": "Why it cannot be published (e-mailed to the submitter)",
        "note_required": True,
        "note_error": "Enter why the example cannot be published",
        "done": "Rejected",
    },
}


class CaseStudyLinkInline(admin.TabularInline):
    model = CaseStudyLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class AwaitingReviewFilter(admin.SimpleListFilter):
    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", "Awaiting review")]

    def queryset(self, request, queryset):
        return queryset.awaiting_review() if self.value() == "waiting" else queryset


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "reference", "status", "region", "waiting", "submitted_at"]
    list_filter = [AwaitingReviewFilter, "status", "region", "client_groups", "agencies"]
    search_fields = ["title", "reference", "organisations", "submitter_organisation"]
    list_select_related = ["region"]
    actions = ["approve_and_publish", "request_changes", "reject"]
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
    change_form_template = "admin/casestudies/casestudy/change_form.html"
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
            {
                "fields": [
                    "submitter_name",
                    "submitter_job_title",
                    "submitter_organisation",
                    "submitter_email",
                    "submitter_phone",
                    "show_contact",
                    "consent_to_publish",
                ]
            },
        ),
        ("Keeping personal data", {"fields": ["retention_keep_reason", "personal_data_removed_at"]}),
        ("History", {"fields": ["moderation_history"]}),
    ]

    # Listing: pending first, then oldest first.

    def get_ordering(self, request):
        pending_first = Case(
            When(status__in=AWAITING_REVIEW, then=Value(0)),
            When(status=Status.CHANGES_REQUESTED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [pending_first.asc(), F("submitted_at").asc(nulls_last=True), "pk"]

    @admin.display(description="Waiting")
    def waiting(self, obj):
        if obj.status in AWAITING_REVIEW and obj.submitted_at:
            return timesince(obj.submitted_at)
        return "–"

    @admin.display(description="Safeguarding check")
    def safeguarding(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        found = safeguarding_warnings(obj)
        if not found:
            return "No warnings: nothing looks like it identifies a person."
        return format_html(
            "<strong>{} warning{} – check before publishing:</strong><ul>{}</ul>",
            len(found),
            "" if len(found) == 1 else "s",
            format_html_join("", "<li>{}</li>", ((str(w),) for w in found)),
        )

    @admin.display(description="Moderation history")
    def moderation_history(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(event.created_at).strftime("%d %b %Y %H:%M"),
                    event.get_from_status_display() or "new",
                    event.get_to_status_display(),
                    event.actor_label,
                    event.note,
                    "; ".join(event.acknowledged_warnings),
                )
                for event in obj.history()
            ),
        )
        return format_html(
            "<table><thead><tr><th>When</th><th>From</th><th>To</th><th>Who</th><th>Note</th>"
            "<th>Warnings acknowledged</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def has_moderate_permission(self, request):
        return request.user.has_perm(CaseStudy.moderate_permission())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            from linkup.moderation import moderation_record_submission

            moderation_record_submission(obj=obj, actor_label=request.user.get_username())

    # Decisions: a confirmation page, then the moderation service.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="{}_{}_dashboard".format(*info),
            ),
            path(
                "<int:pk>/decide/<str:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name="{}_{}_decide".format(*info),
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk, decision):
        if decision not in DECISIONS:
            raise PermissionDenied
        queryset = CaseStudy.objects.filter(pk=pk)
        get_object_or_404(queryset)
        return self._decide(request, queryset, decision, single=True)

    def _decide(self, request, queryset, decision, *, single=False):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        spec = DECISIONS[decision]
        case_studies = list(queryset.select_related("region"))
        items = [{"obj": cs, "warnings": safeguarding_warnings(cs)} for cs in case_studies]
        all_warnings = [w for item in items for w in item["warnings"]]
        changelist_url = reverse("admin:casestudies_casestudy_changelist")
        if request.POST.get("confirm"):
            form = DecisionForm(request.POST, decision=decision, warnings_found=bool(all_warnings))
            if form.is_valid():
                done = []
                for item in items:
                    try:
                        spec["service"](
                            submission=item["obj"],
                            moderator=request.user,
                            note=form.cleaned_data["note"],
                            **(
                                {"acknowledged_warnings": [str(w) for w in item["warnings"]]}
                                if decision == "publish"
                                else {}
                            ),
                        )
                        done.append(item["obj"].reference)
                    except PermissionDenied:
                        raise
                    except ValidationError as error:
                        self.message_user(
                            request, f"{item['obj'].reference}: {' '.join(error.messages)}", messages.ERROR
                        )
                if done:
                    self.message_user(request, f"{spec['done']}: {', '.join(done)}", messages.SUCCESS)
                if single:
                    return HttpResponseRedirect(
                        reverse("admin:casestudies_casestudy_change", args=[case_studies[0].pk])
                    )
                return HttpResponseRedirect(changelist_url)
        else:
            form = DecisionForm(decision=decision, warnings_found=bool(all_warnings))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{spec['title']}: are you sure?",
            "opts": self.opts,
            "decision": decision,
            "spec": spec,
            "items": items,
            "form": form,
            "single": single,
            "action_name": {"publish": "approve_and_publish"}.get(decision, decision),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "not_allowed": [item["obj"] for item in items if item["obj"].status not in spec["from"]],
        }
        return TemplateResponse(request, "admin/casestudies/casestudy/decide.html", context)

    @admin.action(description="Approve and publish selected case studies", permissions=["moderate"])
    def approve_and_publish(self, request, queryset):
        return self._decide(request, queryset, "publish")

    @admin.action(description="Request changes to selected case studies", permissions=["moderate"])
    def request_changes(self, request, queryset):
        return self._decide(request, queryset, "request_changes")

    @admin.action(description="Reject selected case studies", permissions=["moderate"])
    def reject(self, request, queryset):
        return self._decide(request, queryset, "reject")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_moderate_permission(request):
            extra_context["decisions"] = [
                {
                    "url": reverse("admin:casestudies_casestudy_decide", args=[obj.pk, key]),
                    "title": spec["title"],
                }
                for key, spec in DECISIONS.items()
                if obj.status in spec["from"]
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    # The dashboard: queue, gaps, arrivals.

    def dashboard_view(self, request):
        queue = CaseStudy.objects.awaiting_review().aggregate(count=Count("pk"), oldest=Min("submitted_at"))
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
