"""The audit trail in admin: superusers read it; nobody adds, changes or deletes."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from linkup.admin import SuperuserReadOnlyAdmin
from linkup.audit import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(SuperuserReadOnlyAdmin):
    list_display = ["created_at", "kind", "username", "ip_address", "detail"]
    list_filter = ["kind", "created_at"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "created_at"
    fields = ["created_at", "kind", "user", "username", "ip_address", "detail"]
    readonly_fields = fields
    list_select_related = ["user"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": "Audit trail"}
        try:
            # Each decision's full history (with notes) is in moderation decisions.
            extra_context["moderation_url"] = reverse("admin:linkup_moderationevent_changelist")
        except NoReverseMatch:
            extra_context["moderation_url"] = None
        return super().changelist_view(request, extra_context)
