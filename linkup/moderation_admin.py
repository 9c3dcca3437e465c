"""Moderation in Django admin: one mixin for every ``Moderated`` model.

The decisions a moderator can take (bulk actions on the list, buttons on
the change page) come from ``linkup.moderation``: a decision is a move to
one of ``MODERATOR_ONLY``, offered only where ``TRANSITIONS`` allows it,
with a note where ``NOTE_REQUIRED`` says so. Every decision goes through
the same confirmation page, which shows the safeguarding scan before
publishing and asks the moderator to acknowledge any warning, and then
through ``moderation_transition``, whose ``moderation_decided`` signal
sends the e-mails.
"""

from __future__ import annotations

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from linkup.moderation import (
    AWAITING_REVIEW,
    NOTE_REQUIRED,
    TRANSITIONS,
    Status,
    moderation_record_submission,
    moderation_transition,
)
from linkup.safeguarding import scan_fields


@dataclasses.dataclass(frozen=True)
class Decision:
    """The wording of one decision; which records it applies to comes from TRANSITIONS."""

    status: str
    name: str  # in the decision's URL and as the name of its bulk action
    title: str
    note_label: str
    note_error: str
    done: str

    @property
    def note_required(self) -> bool:
        return self.status in NOTE_REQUIRED

    def applies_to(self, obj) -> bool:
        return self.status in TRANSITIONS[obj.status]


DECISIONS = {
    decision.name: decision
    for decision in [
        Decision(
            status=Status.PUBLISHED,
            name="publish",
            title="Approve and publish",
            note_label="Note for the record (optional, not sent)",
            note_error="",
            done="Published",
        ),
        Decision(
            status=Status.CHANGES_REQUESTED,
            name="request_changes",
            title="Request changes",
            note_label="What the {person} needs to change (e-mailed to them with a link to edit)",
            note_error="Enter what the {person} needs to change",
            done="Changes requested for",
        ),
        Decision(
            status=Status.REJECTED,
            name="reject",
            title="Reject",
            note_label="Why it cannot be published (e-mailed to the {person})",
            note_error="Enter why it cannot be published",
            done="Rejected",
        ),
    ]
}


class DecisionForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}), required=False, max_length=2000
    )
    acknowledge = forms.BooleanField(
        required=False,
        label="I have checked these warnings and the text does not identify anyone",
    )

    def __init__(self, *args, decision: Decision, person: str, warnings_found: bool, **kwargs):
        super().__init__(*args, **kwargs)
        note = self.fields["note"]
        note.label = decision.note_label.format(person=person)
        note.required = decision.note_required
        note.error_messages["required"] = decision.note_error.format(person=person)
        note.error_messages["max_length"] = "The note must be 2000 characters or fewer"
        if decision.status != Status.PUBLISHED or not warnings_found:
            del self.fields["acknowledge"]

    def clean_acknowledge(self):
        if not self.cleaned_data.get("acknowledge"):
            raise ValidationError(
                "Confirm you have checked the safeguarding warnings before publishing", code="required"
            )
        return True


class AwaitingReviewFilter(admin.SimpleListFilter):
    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", "Awaiting review")]

    def queryset(self, request, queryset):
        return queryset.awaiting_review() if self.value() == "waiting" else queryset


def _decision_action(decision: Decision):
    def action(modeladmin, request, queryset):
        return modeladmin.decide(request, queryset, decision)

    action.__name__ = decision.name
    return admin.action(
        description=f"{decision.title}: selected %(verbose_name_plural)s", permissions=["moderate"]
    )(action)


class ModerationAdminMixin:
    """Put before ``admin.ModelAdmin``. List ``waiting`` in ``list_display``
    and ``safeguarding`` and ``moderation_history`` in ``readonly_fields``.
    ``safeguarding_fields`` names the fields of text the public wrote, scanned
    before publishing; ``moderation_person`` is who the notes go to."""

    safeguarding_fields: list[str] = []
    moderation_person = "submitter"
    actions = [_decision_action(decision) for decision in DECISIONS.values()]
    change_form_template = "admin/moderation/change_form.html"

    def has_moderate_permission(self, request):
        return request.user.has_perm(self.model.moderate_permission())

    def get_list_filter(self, request):
        return [AwaitingReviewFilter, *super().get_list_filter(request)]

    def get_ordering(self, request):
        # Pending first, then the oldest first.
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

    def safeguarding_warnings(self, obj):
        return scan_fields(
            {
                str(self.model._meta.get_field(name).verbose_name).capitalize(): getattr(obj, name)
                for name in self.safeguarding_fields
            }
        )

    @admin.display(description="Safeguarding check")
    def safeguarding(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        found = self.safeguarding_warnings(obj)
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            moderation_record_submission(obj=obj, actor_label=request.user.get_username())

    def admin_url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/<str:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name=self.admin_url_name("decide"),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_moderate_permission(request):
            extra_context["decisions"] = [
                {
                    "url": reverse(f"admin:{self.admin_url_name('decide')}", args=[obj.pk, decision.name]),
                    "title": decision.title,
                }
                for decision in DECISIONS.values()
                if decision.applies_to(obj)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk, decision):
        if decision not in DECISIONS:
            raise Http404
        queryset = self.get_queryset(request).filter(pk=pk)
        get_object_or_404(queryset)
        return self.decide(request, queryset, DECISIONS[decision], single=True)

    def decide(self, request, queryset, decision: Decision, *, single: bool = False):
        """The confirmation page, then each record through ``moderation_transition``."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        publishing = decision.status == Status.PUBLISHED
        items = [
            {"obj": obj, "warnings": self.safeguarding_warnings(obj) if publishing else []}
            for obj in queryset
        ]
        form_kwargs = {
            "decision": decision,
            "person": self.moderation_person,
            "warnings_found": any(item["warnings"] for item in items),
        }
        if request.method == "POST" and request.POST.get("confirm"):
            form = DecisionForm(request.POST, **form_kwargs)
            if form.is_valid():
                self._apply(request, items, decision, form.cleaned_data["note"])
                if single:
                    return HttpResponseRedirect(
                        reverse(f"admin:{self.admin_url_name('change')}", args=[items[0]["obj"].pk])
                    )
                return HttpResponseRedirect(reverse(f"admin:{self.admin_url_name('changelist')}"))
        else:
            form = DecisionForm(**form_kwargs)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{decision.title}: are you sure?",
            "opts": self.opts,
            "decision": decision,
            "publishing": publishing,
            "items": items,
            "form": form,
            "single": single,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "not_allowed": [item["obj"] for item in items if not decision.applies_to(item["obj"])],
        }
        return TemplateResponse(request, "admin/moderation/decide.html", context)

    def _apply(self, request, items, decision: Decision, note: str) -> None:
        done = []
        for item in items:
            obj = item["obj"]
            try:
                moderation_transition(
                    obj=obj,
                    to_status=decision.status,
                    actor=request.user,
                    note=note,
                    acknowledged_warnings=[str(w) for w in item["warnings"]],
                )
            except ValidationError as error:
                self.message_user(request, f"{obj.reference}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done.append(obj.reference)
        if done:
            self.message_user(request, f"{decision.done}: {', '.join(done)}", messages.SUCCESS)
