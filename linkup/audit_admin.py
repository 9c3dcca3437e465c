"""The audit trail in admin: superusers read it; nobody adds, changes or deletes."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from linkup.audit import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "username", "ip_address", "detail"]
    list_filter = ["kind", "created_at"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "created_at"
    fields = ["created_at", "kind", "user", "username", "ip_address", "detail"]
    readonly_fields = fields
    list_select_related = ["user"]
    actions = None

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": "Audit trail"}
        try:
            # Each decision's full history (with notes) is in moderation decisions.
            extra_context["moderation_url"] = reverse("admin:linkup_moderationevent_changelist")
        except NoReverseMatch:
            extra_context["moderation_url"] = None
        return super().changelist_view(request, extra_context)
