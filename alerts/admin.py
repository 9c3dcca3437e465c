"""Alert topics in admin: how many people follow each, never who. The
subscriptions themselves (which hold the addresses) have no admin page."""

from django.contrib import admin

from alerts.models import Topic
from linkup.admin import SuperuserReadOnlyAdmin


@admin.register(Topic)
class TopicAdmin(SuperuserReadOnlyAdmin):
    view_permission = "alerts.view_topic"
    list_display = ["description", "followers", "created_at"]
    fields = ["description", "query", "followers", "created_at"]
    readonly_fields = fields
    search_fields = ["description"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_followers()

    @admin.display(description="people following (confirmed)", ordering="followers")
    def followers(self, obj):
        return obj.followers
