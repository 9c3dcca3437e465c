"""Page feedback in admin: problem reports as a queue, each shown against
its record, and the counts of "Is this page useful?" answers per page.

Moderators work a report with the tools they use on the records
themselves (``ModerationToolsMixin``): "I'm reviewing this", take over,
internal notes in a timeline. They decide it (acted on, or no action) by its
status, through ``feedback_decide``, which tells the person behind the
record when a report led to a change.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from linkup.moderation import moderation_claim_of
from linkup.moderation_admin import ModerationToolsMixin
from linkup.safeguarding import scan_fields

from .models import Feedback, FeedbackStatus, RecordKind
from .services import feedback_decide

USEFULNESS_PAGE_SIZE = 100


class RecordKindFilter(admin.SimpleListFilter):
    title = "record type"
    parameter_name = "record"

    def lookups(self, request, model_admin):
        return RecordKind.choices

    def queryset(self, request, queryset):
        return queryset.of_kind(self.value()) if self.value() else queryset


def _status_action(status: FeedbackStatus):
    def action(modeladmin, request, queryset):
        moved = 0
        for item in queryset:
            try:
                # Decided from the status just read, so a report decided
                # meanwhile is not decided again; one someone else is
                # reviewing is left for them.
                moved += feedback_decide(
                    feedback=item, status=status, user=request.user, expected_status=item.status
                )
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"Report {item.pk}: {' '.join(error.messages)}", messages.ERROR
                )
        modeladmin.message_user(
            request, f"{moved} report{'' if moved == 1 else 's'} marked “{status.label}”."
        )

    action.__name__ = f"mark_{status.value}"
    return admin.action(description=f"Mark as “{status.label}”", permissions=["moderate"])(action)


class ReportForm(forms.ModelForm):
    """The status is the decision. When someone else is reviewing the
    report, changing it needs an explicit take-over."""

    take_over = forms.BooleanField(required=False)
    claimed_by = ""  # set by FeedbackAdmin.get_form for the report shown

    class Meta:
        model = Feedback
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "take_over" in self.fields:
            self.fields["take_over"].label = f"Take over from {self.claimed_by}, who is reviewing this"

    def clean(self):
        cleaned = super().clean()
        if self.claimed_by and "status" in self.changed_data and not cleaned.get("take_over"):
            self.add_error(
                "take_over", f"{self.claimed_by} is reviewing this: confirm you are taking it over"
            )
        return cleaned


@admin.register(Feedback)
class FeedbackAdmin(ModerationToolsMixin, admin.ModelAdmin):
    list_display = ["created_at", "problem", "record_link", "path", "status", "warnings"]
    list_filter = ["status", RecordKindFilter, "problem"]
    search_fields = ["case_study__reference", "listing__reference", "path"]
    list_select_related = ["case_study", "listing"]
    date_hierarchy = "created_at"
    fields = [
        "status",
        "path_link",
        "record_link",
        "useful",
        "problem",
        "details",
        "safeguarding",
        "email",
        "created_at",
        "decided_at",
        "decided_by",
        "moderation_history",
    ]
    readonly_fields = [f for f in fields if f != "status"]
    form = ReportForm
    actions = [_status_action(status) for status in FeedbackStatus]

    def get_queryset(self, request):
        return super().get_queryset(request).reports()

    def get_ordering(self, request):
        # Undecided first (new, then in review), the oldest first.
        undecided_first = Case(
            When(status=FeedbackStatus.NEW, then=Value(0)),
            When(status=FeedbackStatus.IN_REVIEW, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [undecided_first.asc(), "created_at", "pk"]

    def has_add_permission(self, request):
        return False  # reports come from the public pages only

    # Reports are for moderators only: what a member of the public wrote,
    # and perhaps their address.
    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.has_moderate_permission(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.has_moderate_permission(request)

    def _claimed_by_someone_else(self, request, obj) -> str:
        claim = moderation_claim_of(obj) if obj is not None else None
        return claim.user.get_username() if claim is not None and claim.user_id != request.user.pk else ""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self._claimed_by_someone_else(request, obj):
            fields.insert(fields.index("status") + 1, "take_over")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.claimed_by = self._claimed_by_someone_else(request, obj)
        return form

    def timeline(self, obj) -> list[dict]:
        """The report's arrival, its internal notes and its last decision."""
        entries = [
            {"when": obj.created_at, "what": "Received", "who": "The public", "text": "", "kind": "arrival"}
        ]
        entries += super().timeline(obj)
        if obj.decided_at:
            entries.append(
                {
                    "when": obj.decided_at,
                    "what": f"Decided: {obj.get_status_display()}",
                    "who": obj.decided_by.get_username() if obj.decided_by else "",
                    "text": "",
                    "kind": "decision",
                }
            )
        return entries

    @admin.display(description="Record")
    def record_link(self, obj):
        record = obj.record
        if record is None:
            return "–"
        opts = record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        return format_html('<a href="{}">{} {}</a>', url, RecordKind(obj.record_kind).label, record.reference)

    @admin.display(description="Page")
    def path_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.path, obj.path)

    def _warnings(self, obj):
        return scan_fields({"Details": obj.details})

    @admin.display(description="Safeguarding")
    def warnings(self, obj):
        found = self._warnings(obj)
        return f"{len(found)} warning{'' if len(found) == 1 else 's'}" if found else "–"

    @admin.display(description="Safeguarding check")
    def safeguarding(self, obj):
        found = self._warnings(obj)
        if not found:
            return "No warnings: nothing looks like it identifies a person."
        return format_html(
            "<strong>{} warning{} – the report may identify someone:</strong><ul>{}</ul>",
            len(found),
            "" if len(found) == 1 else "s",
            format_html_join("", "<li>{}</li>", ((str(w),) for w in found)),
        )

    def save_model(self, request, obj, form, change):
        # The status is the one thing staff change, and only through the
        # decision, which sends what it must.
        if "status" in form.changed_data:
            try:
                feedback_decide(
                    feedback=obj,
                    status=form.cleaned_data["status"],
                    user=request.user,
                    expected_status=form.initial["status"],
                    take_over=form.cleaned_data.get("take_over", False),
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    def get_urls(self):
        return [
            path(
                "usefulness/",
                self.admin_site.admin_view(self.usefulness_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_usefulness",
            ),
            *super().get_urls(),
        ]

    def usefulness_view(self, request):
        """How many "yes" and "no" answers each page has had."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        paginator = Paginator(Feedback.objects.usefulness_by_page(), USEFULNESS_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("p"))
        return TemplateResponse(
            request,
            "admin/feedback/feedback/usefulness.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Is this page useful? Answers per page",
                "page": page,
            },
        )
