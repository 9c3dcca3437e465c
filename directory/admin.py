"""The directory in admin. Listings are moderated through the shared
``ModerationAdminMixin``, exactly as case studies are."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from linkup.models import LocalAuthority
from linkup.moderation_admin import ModerationAdminMixin

from .models import ContactRequest, Listing
from .views import profile_preview


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
        return [(a.pk, a.name) for a in LocalAuthority.objects.open_to_listings()]


class ListingAdminForm(forms.ModelForm):
    class Meta:
        model = Listing
        exclude = []  # noqa: DJ006 - staff may edit every editable field
        # One browser date-and-time box under the field's own label: admin's
        # split date and time boxes carry no labels of their own.
        field_classes = {"last_confirmed": forms.DateTimeField}
        widgets = {
            "last_confirmed": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "areas" in self.fields:
            self.fields["areas"].queryset = LocalAuthority.objects.open_to_listings()


@admin.register(Listing)
class ListingAdmin(ModerationAdminMixin, admin.ModelAdmin):
    form = ListingAdminForm
    list_display = [
        "full_name",
        "job_title",
        "organisation",
        "agency",
        "status",
        "waiting",
        "last_confirmed",
        "reference",
    ]
    list_filter = [
        "status",
        ("areas__region", admin.RelatedOnlyFieldListFilter),
        ("areas", AreaFilter),
        "agency",
        "client_groups",
        StalenessFilter,
    ]
    search_fields = ["reference", "full_name", "email", "organisation", "job_title"]
    readonly_fields = [
        "reference",
        "status",
        "submitted_at",
        "published_at",
        "consent_given_at",
        "reminder_sent_at",
        "stale_hidden_at",
        "safeguarding",
        "moderation_history",
    ]
    list_select_related = ["agency"]
    # The person's name and contact details are meant to be there: scan what they wrote about their work.
    safeguarding_fields = ["job_title", "organisation", "expertise", "tags"]
    moderation_person = "listed person"

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # The four client groups and the areas of the regions covered are
        # checkboxes, as on the public form: admin's two-box chooser gives
        # screen readers a control without a role.
        if db_field.name in ("client_groups", "areas"):
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def preview_response(self, request, obj):
        return profile_preview(
            request, obj, back_url=reverse(f"admin:{self.admin_url_name('change')}", args=[obj.pk])
        )


class ReportedFilter(admin.SimpleListFilter):
    title = "reported as misuse"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", "Reported"), ("no", "Not reported")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.reported()
        if self.value() == "no":
            return queryset.filter(reported_at__isnull=True)
        return queryset


class SentToFilter(admin.SimpleListFilter):
    title = "sent to"
    parameter_name = "sent_to"

    def lookups(self, request, model_admin):
        return [("listing", "A listed professional"), ("case_study", "The sender of a case study")]

    def queryset(self, request, queryset):
        if self.value() in {"listing", "case_study"}:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    """Read-only, for moderators handling reports of misuse. Each message went
    to a listed professional or to the person who shared a case study."""

    list_display = [
        "created_at",
        "target",
        "sender_name",
        "sender_organisation",
        "reason",
        "confirmed_at",
        "emailed_at",
        "reported_at",
        "report_reason",
    ]
    list_filter = [ReportedFilter, SentToFilter, "report_reason", "reason", "created_at"]
    search_fields = [
        "sender_email",
        "sender_name",
        "listing__full_name",
        "listing__reference",
        "case_study__reference",
        "case_study__title",
    ]
    list_select_related = ["listing", "case_study"]

    @admin.display(description="sent to")
    def target(self, obj):
        if obj.case_study_id:
            return f"Case study {obj.case_study.reference}: {obj.case_study.title}"
        return obj.listing

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
