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
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from linkup.moderation import (
    AWAITING_REVIEW,
    NOTE_REQUIRED,
    TRANSITIONS,
    ModerationNote,
    ModerationRevision,
    Status,
    is_overdue,
    moderation_claim,
    moderation_claim_of,
    moderation_compare,
    moderation_last_seen,
    moderation_note_add,
    moderation_record_revision,
    moderation_record_submission,
    moderation_release,
    moderation_transition,
    working_days_waiting,
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
        Decision(
            status=Status.WITHDRAWN,
            name="withdraw",
            title="Withdraw from the site",
            note_label="Why it is withdrawn (for the record, not sent)",
            note_error="",
            done="Withdrawn",
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
    take_over = forms.BooleanField(required=False)

    def __init__(
        self,
        *args,
        decision: Decision,
        person: str,
        warnings_found: bool,
        claimed_by: str = "",
        records=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # The records decided on, for a subclass that asks more about each.
        self.decision = decision
        self.records = list(records)
        note = self.fields["note"]
        note.label = decision.note_label.format(person=person)
        note.required = decision.note_required
        note.error_messages["required"] = decision.note_error.format(person=person)
        note.error_messages["max_length"] = "The note must be 2000 characters or fewer"
        if decision.status != Status.PUBLISHED or not warnings_found:
            del self.fields["acknowledge"]
        if claimed_by:
            self.fields["take_over"].label = f"Take over from {claimed_by}, who is reviewing this"
            self.fields["take_over"].required = True
            self.fields["take_over"].error_messages["required"] = (
                f"{claimed_by} is reviewing this: confirm you are taking it over"
            )
        else:
            del self.fields["take_over"]

    def clean_acknowledge(self):
        if not self.cleaned_data.get("acknowledge"):
            raise ValidationError(
                "Confirm you have checked the safeguarding warnings before publishing", code="required"
            )
        return True


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Internal note (for moderators only, never sent or published)",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        max_length=2000,
        error_messages={
            "required": "Enter the note",
            "max_length": "The note must be 2000 characters or fewer",
        },
    )


class AwaitingReviewFilter(admin.SimpleListFilter):
    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", "Awaiting review")]

    def queryset(self, request, queryset):
        return queryset.awaiting_review() if self.value() == "waiting" else queryset


class ClaimFilter(admin.SimpleListFilter):
    title = "who is reviewing"
    parameter_name = "claim"

    def lookups(self, request, model_admin):
        return [("mine", "Me"), ("others", "Someone else"), ("nobody", "Nobody")]

    def queryset(self, request, queryset):
        # claimed_by_name comes from with_claims(), lapsed claims left out.
        if self.value() == "mine":
            return queryset.filter(claimed_by_name=request.user.get_username())
        if self.value() == "others":
            return queryset.exclude(claimed_by_name=None).exclude(claimed_by_name=request.user.get_username())
        if self.value() == "nobody":
            return queryset.filter(claimed_by_name=None)
        return queryset


def _decision_action(decision: Decision):
    def action(modeladmin, request, queryset):
        return modeladmin.decide(request, queryset, decision)

    action.__name__ = decision.name
    return admin.action(
        description=f"{decision.title}: selected %(verbose_name_plural)s", permissions=["moderate"]
    )(action)


class ModerationToolsMixin:
    """Claims ("I'm reviewing this", take over, stop) and internal notes in a
    timeline, for any model whose queryset is a ``ClaimableQuerySet`` and
    that says which permission works it (``moderate_permission()``): the
    moderated records, through ``ModerationAdminMixin``, and the problem
    reports against them. Put before ``admin.ModelAdmin``; list
    ``moderation_history`` in ``readonly_fields`` for the timeline."""

    change_form_template = "admin/moderation/change_form.html"

    def has_moderate_permission(self, request):
        return request.user.has_perm(self.model.moderate_permission())

    def get_queryset(self, request):
        return super().get_queryset(request).with_claims()

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if "claimed" not in shown:
            shown.insert(shown.index("waiting") + 1 if "waiting" in shown else len(shown), "claimed")
        return shown

    def get_list_filter(self, request):
        return [ClaimFilter, *super().get_list_filter(request)]

    @admin.display(description="Being reviewed by")
    def claimed(self, obj):
        name = getattr(obj, "claimed_by_name", None)
        if not name:
            return "–"
        return format_html(
            "{} <span>since {}</span>", name, timezone.localtime(obj.claimed_at).strftime("%H:%M, %d %b")
        )

    def timeline(self, obj) -> list[dict]:
        """What happened to the record, in order: here its internal notes;
        each kind of record adds its own entries."""
        return [
            {
                "when": note.created_at,
                "what": "Internal note",
                "who": note.author_label,
                "text": note.text,
                "kind": "note",
            }
            for note in ModerationNote.objects.for_object(obj)
        ]

    @admin.display(description="Timeline")
    def moderation_history(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        rows = format_html_join(
            "",
            '<tr class="moderation-timeline__{}">'
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    entry["kind"],
                    timezone.localtime(entry["when"]).strftime("%d %b %Y %H:%M"),
                    entry["what"],
                    entry["who"],
                    entry["text"],
                    entry.get("warnings", ""),
                )
                for entry in sorted(self.timeline(obj), key=lambda entry: entry["when"])
            ),
        )
        return format_html(
            '<table id="moderation-timeline"><thead><tr><th scope="col">When</th><th scope="col">What</th>'
            '<th scope="col">Who</th><th scope="col">Note or change</th>'
            '<th scope="col">Warnings acknowledged</th></tr></thead><tbody>{}</tbody></table>',
            rows,
        )

    def admin_url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        return [
            path(
                "<int:pk>/claim/",
                self.admin_site.admin_view(require_POST(self.claim_view)),
                name=self.admin_url_name("claim"),
            ),
            path(
                "<int:pk>/note/",
                self.admin_site.admin_view(require_POST(self.note_view)),
                name=self.admin_url_name("note"),
            ),
            *super().get_urls(),
        ]

    def _moderated_object(self, request, pk):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _change_url(self, obj) -> str:
        return reverse(f"admin:{self.admin_url_name('change')}", args=[obj.pk])

    def moderation_context(self, request, obj) -> dict:
        """What the change page shows a moderator: who is reviewing it, and
        the note form."""
        claim = moderation_claim_of(obj)
        return {
            "moderation": {
                "claim": claim,
                "claimed_by_me": claim is not None and claim.user_id == request.user.pk,
                "claim_url": reverse(f"admin:{self.admin_url_name('claim')}", args=[obj.pk]),
                "claim_hours": settings.MODERATION_CLAIM_HOURS,
                "note_url": reverse(f"admin:{self.admin_url_name('note')}", args=[obj.pk]),
                "note_form": NoteForm(),
                "waiting": None,  # working days are counted for records awaiting review
            }
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_moderate_permission(request):
            extra_context.update(self.moderation_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def claim_view(self, request, pk):
        """Claim, take over or let go of a record (POST ``claim``: "claim",
        "take_over" or "release")."""
        obj = self._moderated_object(request, pk)
        what = request.POST.get("claim")
        if what == "release":
            moderation_release(obj=obj, user=request.user)
            self.message_user(request, "You are no longer reviewing this.", messages.SUCCESS)
        elif what in {"claim", "take_over"}:
            try:
                moderation_claim(obj=obj, user=request.user, take_over=what == "take_over")
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, "You are reviewing this.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(obj))

    def note_view(self, request, pk):
        obj = self._moderated_object(request, pk)
        form = NoteForm(request.POST)
        if form.is_valid():
            moderation_note_add(obj=obj, author=request.user, text=form.cleaned_data["text"])
            self.message_user(request, "Note added to the timeline.", messages.SUCCESS)
        else:
            self.message_user(request, " ".join(form.errors["text"]), messages.ERROR)
        return HttpResponseRedirect(self._change_url(obj) + "#moderation-timeline")


class ModerationAdminMixin(ModerationToolsMixin):
    """Put before ``admin.ModelAdmin``. List ``waiting`` in ``list_display``
    and ``safeguarding`` and ``moderation_history`` in ``readonly_fields``.
    ``safeguarding_fields`` names the fields of text the public wrote, scanned
    before publishing; ``moderation_person`` is who the notes go to.

    Claims and internal notes come from ``ModerationToolsMixin``; the
    decisions, the kept versions and their comparison, the preview and the
    problem reports against the record work for any ``Moderated`` model
    through this mixin; a subclass says how its public page is rendered
    (``preview_response``)."""

    safeguarding_fields: list[str] = []
    moderation_person = "submitter"
    # The reverse relation from a record to the problem reports against it.
    reports_relation = "feedback"
    # A subclass of DecisionForm may ask more of a decision (a case study's evidence level).
    decision_form_class = DecisionForm
    actions = [_decision_action(decision) for decision in DECISIONS.values()]
    change_list_template = "admin/moderation/change_list.html"

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
        days = working_days_waiting(obj)
        if days is None:
            return "–"
        text = f"{days} working day{'' if days == 1 else 's'}"
        if is_overdue(obj):
            return format_html('{} <strong class="moderation-overdue">Overdue</strong>', text)
        return text

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

    def timeline(self, obj) -> list[dict]:
        """Decisions, internal notes and kept versions."""
        entries = super().timeline(obj)
        entries += [
            {
                "when": event.created_at,
                "what": f"{event.get_from_status_display() or 'New'} → {event.get_to_status_display()}",
                "who": event.actor_label,
                "text": event.note,
                "warnings": "; ".join(event.acknowledged_warnings),
                "kind": "decision",
            }
            for event in obj.history()
        ]
        revisions = list(obj.revisions())
        for before, after in zip([None, *revisions], revisions, strict=False):
            changed = moderation_compare(self.model, before.data, after.data) if before else []
            entries.append(
                {
                    "when": after.created_at,
                    "what": f"Version kept: {after.get_reason_display().lower()}",
                    "who": after.actor_label,
                    "text": ", ".join(change.label for change in changed)
                    and "Changed: " + ", ".join(change.label for change in changed),
                    "kind": "version",
                }
            )
        return entries

    def save_related(self, request, form, formsets, change):
        # After the many-to-many fields are saved, so the kept version has them.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if not change:
            moderation_record_submission(obj=obj, actor_label=request.user.get_username())
        else:
            moderation_record_revision(
                obj=obj, reason=ModerationRevision.Reason.STAFF_EDIT, actor=request.user, only_if_changed=True
            )

    def view_on_site(self, obj):
        """The public page once published; until then the preview."""
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse(f"admin:{self.admin_url_name('preview')}", args=[obj.pk])

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/<str:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name=self.admin_url_name("decide"),
            ),
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=self.admin_url_name("preview"),
            ),
            *super().get_urls(),
        ]

    def changes_to_review(self, obj):
        """The resubmission against the version the moderator last saw (sent
        back with the note), field by field; None when there is nothing to compare."""
        revisions = list(obj.revisions())
        seen = moderation_last_seen(obj, revisions, list(obj.history()))
        if seen is None or not revisions or revisions[-1].pk == seen.pk:
            return None
        return {
            "seen": seen,
            "latest": revisions[-1],
            "changes": moderation_compare(self.model, seen.data, revisions[-1].data),
        }

    def moderation_context(self, request, obj) -> dict:
        context = super().moderation_context(request, obj)
        context["moderation"].update(
            preview_url=reverse(f"admin:{self.admin_url_name('preview')}", args=[obj.pk]),
            waiting=working_days_waiting(obj),
            overdue=is_overdue(obj),
            target=settings.MODERATION_TARGET_WORKING_DAYS,
            review=self.changes_to_review(obj),
        )
        reports = self.problem_reports(request, obj)
        context["moderation"].update(reports=reports, reports_shown=reports is not None)
        context["decisions"] = [
            {
                "url": reverse(f"admin:{self.admin_url_name('decide')}", args=[obj.pk, decision.name]),
                "title": decision.title,
            }
            for decision in DECISIONS.values()
            if decision.applies_to(obj)
        ]
        return context

    def problem_reports(self, request, obj) -> list[dict] | None:
        """The problem reports against the record, newest first, each with a
        link to it; None for anyone who may not work the reports."""
        report_model = self.model._meta.get_field(self.reports_relation).related_model
        if not request.user.has_perm(report_model.moderate_permission()):
            return None
        opts = report_model._meta
        reports = getattr(obj, self.reports_relation).reports().order_by("-created_at", "-pk")
        return [
            {
                "report": report,
                "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[report.pk]),
            }
            for report in reports
        ]

    def preview_response(self, request, obj):
        """The record's public page as it would be published (the same
        template); each kind of record says how its page is built."""
        raise NotImplementedError

    def preview_view(self, request, pk):
        obj = self._moderated_object(request, pk)
        response = self.preview_response(request, obj)
        # Never kept by the page cache, a proxy or the browser's history.
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        return response

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
        me = request.user.get_username()
        items = [
            {
                "obj": obj,
                "warnings": self.safeguarding_warnings(obj) if publishing else [],
                "seen_status": request.POST.get(f"seen-{obj.pk}", obj.status),
                "claimed_by": obj.claimed_by_name if obj.claimed_by_name not in (None, me) else "",
            }
            for obj in queryset
        ]
        claimed_by = ", ".join(sorted({item["claimed_by"] for item in items if item["claimed_by"]}))
        form_kwargs = {
            "decision": decision,
            "person": self.moderation_person,
            "warnings_found": any(item["warnings"] for item in items),
            "claimed_by": claimed_by,
            "records": [item["obj"] for item in items],
        }
        if request.method == "POST" and request.POST.get("confirm"):
            form = self.decision_form_class(request.POST, **form_kwargs)
            if form.is_valid():
                self._apply(request, items, decision, form)
                if single:
                    return HttpResponseRedirect(self._change_url(items[0]["obj"]))
                return HttpResponseRedirect(reverse(f"admin:{self.admin_url_name('changelist')}"))
        else:
            form = self.decision_form_class(**form_kwargs)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{decision.title}: are you sure?",
            "opts": self.opts,
            "decision": decision,
            "publishing": publishing,
            "items": items,
            "form": form,
            "single": single,
            "claimed_by": claimed_by,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "not_allowed": [item["obj"] for item in items if not decision.applies_to(item["obj"])],
        }
        return TemplateResponse(request, "admin/moderation/decide.html", context)

    def decision_prepare(self, request, obj, decision: Decision, cleaned_data: dict) -> None:
        """Before a decision, in its transaction: a subclass records what its
        ``decision_form_class`` asked (a case study's confirmed evidence level)."""

    def _apply(self, request, items, decision: Decision, form) -> None:
        done = []
        for item in items:
            obj = item["obj"]
            try:
                with transaction.atomic():
                    self.decision_prepare(request, obj, decision, form.cleaned_data)
                    moderation_transition(
                        obj=obj,
                        to_status=decision.status,
                        actor=request.user,
                        note=form.cleaned_data["note"],
                        acknowledged_warnings=[str(w) for w in item["warnings"]],
                        expected_status=item["seen_status"],
                        take_over=bool(form.cleaned_data.get("take_over")),
                    )
            except ValidationError as error:
                self.message_user(request, f"{obj.reference}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done.append(obj.reference)
        if done:
            self.message_user(request, f"{decision.done}: {', '.join(done)}", messages.SUCCESS)
