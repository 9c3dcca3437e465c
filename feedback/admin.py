"""Page feedback in admin: problem reports as a queue, each shown against
its record, and the counts of "Is this page useful?" answers per page.

Staff decide a report (acted on, or no action) by its status, through
``feedback_decide``, which tells the person behind the record when a
report led to a change.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

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
        moved = sum(feedback_decide(feedback=item, status=status, user=request.user) for item in queryset)
        modeladmin.message_user(
            request, f"{moved} report{'' if moved == 1 else 's'} marked “{status.label}”."
        )

    action.__name__ = f"mark_{status.value}"
    return admin.action(description=f"Mark as “{status.label}”", permissions=["change"])(action)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
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
    ]
    readonly_fields = [f for f in fields if f != "status"]
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
            feedback_decide(feedback=Feedback.objects.get(pk=obj.pk), status=obj.status, user=request.user)

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
