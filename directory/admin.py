"""Directory moderation in admin. Every decision calls the shared
moderation service functions, so the rules are the same as for case studies."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html_join

from linkup.moderation import submission_approve, submission_reject, submission_request_changes

from .models import ContactRequest, Listing, open_authorities


class StalenessFilter(admin.SimpleListFilter):
    title = "freshness"
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [
            ("due", "Due a reminder (not confirmed for a year)"),
            ("reminded", "Reminder sent"),
            ("hidden", "Hidden as stale"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "due":
            cutoff = timezone.now() - datetime.timedelta(days=settings.DIRECTORY_REMIND_AFTER_DAYS)
            return queryset.filter(last_confirmed__lt=cutoff, stale_hidden_at__isnull=True)
        if self.value() == "reminded":
            return queryset.filter(reminder_sent_at__isnull=False)
        if self.value() == "hidden":
            return queryset.filter(stale_hidden_at__isnull=False)
        return queryset


class AreaFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [(a.pk, a.name) for a in open_authorities()]


class ListingAdminForm(forms.ModelForm):
    class Meta:
        model = Listing
        exclude = []  # noqa: DJ006 - staff may edit every editable field

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "areas" in self.fields:
            self.fields["areas"].queryset = open_authorities()


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note to the listed person", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


def _decide(modeladmin, request, queryset, decide, verb, *, needs_note):
    note = ""
    if needs_note:
        form = NoteForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return render(
                request,
                "admin/directory/listing/decision_note.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "title": f"{verb.capitalize()}: add a note",
                    "form": form,
                    "queryset": queryset,
                    "action": request.POST.get("action"),
                    "opts": modeladmin.model._meta,
                },
            )
        note = form.cleaned_data["note"]
    done, failed = 0, 0
    for listing in queryset:
        try:
            with transaction.atomic():
                decide(listing, note)
            done += 1
        except (ValidationError, PermissionDenied):
            failed += 1
    if done:
        modeladmin.message_user(request, f"{done} listing(s) {verb}.", messages.SUCCESS)
    if failed:
        modeladmin.message_user(
            request, f"{failed} listing(s) could not be {verb} from their current status.", messages.WARNING
        )
    return None


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    form = ListingAdminForm
    list_display = [
        "full_name",
        "job_title",
        "organisation",
        "agency",
        "status",
        "last_confirmed",
        "reference",
    ]
    list_filter = ["status", ("areas", AreaFilter), "agency", "client_groups", StalenessFilter]
    search_fields = ["full_name", "email", "organisation", "job_title", "reference"]
    filter_horizontal = ["areas", "client_groups"]
    readonly_fields = [
        "reference",
        "status",
        "submitted_at",
        "published_at",
        "consent_given_at",
        "reminder_sent_at",
        "stale_hidden_at",
        "history_list",
    ]
    actions = ["approve", "request_changes", "reject"]
    list_select_related = ["agency"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="Moderation history")
    def history_list(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        events = obj.history()
        if not events:
            return "No decisions yet."
        return format_html_join(
            "\n",
            "<p>{} – {}{}</p>",
            ((f"{e.created_at:%d %b %Y %H:%M}", str(e), f": {e.note}" if e.note else "") for e in events),
        )

    def _can_moderate(self, request):
        return request.user.has_perm(Listing.moderate_permission())

    @admin.action(description="Publish selected listings", permissions=["moderate"])
    def approve(self, request, queryset):
        return _decide(
            self,
            request,
            queryset,
            lambda listing, note: submission_approve(submission=listing, moderator=request.user, note=note),
            "published",
            needs_note=False,
        )

    @admin.action(description="Ask for changes to selected listings", permissions=["moderate"])
    def request_changes(self, request, queryset):
        return _decide(
            self,
            request,
            queryset,
            lambda listing, note: submission_request_changes(
                submission=listing, moderator=request.user, note=note
            ),
            "sent back for changes",
            needs_note=True,
        )

    @admin.action(description="Reject selected listings", permissions=["moderate"])
    def reject(self, request, queryset):
        return _decide(
            self,
            request,
            queryset,
            lambda listing, note: submission_reject(submission=listing, moderator=request.user, note=note),
            "rejected",
            needs_note=True,
        )

    def has_moderate_permission(self, request):
        return self._can_moderate(request)


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    """Read-only, for moderators handling reports of misuse."""

    list_display = ["created_at", "listing", "sender_name", "sender_organisation", "reason", "emailed_at"]
    list_filter = ["reason", "created_at"]
    search_fields = ["sender_email", "sender_name", "listing__full_name", "listing__reference"]
    list_select_related = ["listing"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
