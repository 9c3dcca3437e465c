from django.contrib import admin

from linkup.models import Agency, ClientGroup, LocalAuthority, NationalIndicator, Outcome, Region
from linkup.moderation import ModerationEvent

admin.site.site_header = "Link Up, Link In administration"
admin.site.site_title = "Link Up, Link In"
admin.site.index_title = "Taskforce administration"


class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class FixedReferenceAdmin(ReferenceAdmin):
    """The campaign's fixed vocabulary: staff edit descriptions, not names."""

    readonly_fields = ["name", "slug"]
    prepopulated_fields = {}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NationalIndicatorInline(admin.StackedInline):
    model = NationalIndicator
    extra = 0
    can_delete = False
    readonly_fields = ["code", "title"]
    fields = ["code", "title", "plain_english", "outcomes"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(FixedReferenceAdmin):
    pass


@admin.register(ClientGroup)
class ClientGroupAdmin(FixedReferenceAdmin):
    list_display = ["name", "short_name", "position"]
    inlines = [NationalIndicatorInline]


@admin.register(Outcome)
class OutcomeAdmin(ReferenceAdmin):
    pass


@admin.register(Agency)
class AgencyAdmin(ReferenceAdmin):
    pass


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(ReferenceAdmin):
    list_display = ["name", "region", "position"]
    list_filter = ["region"]
    filter_horizontal = ["neighbours"]


class SuperuserReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened: superusers read it (and whoever holds
    ``view_permission``, when set); nobody adds, changes or deletes."""

    actions = None
    view_permission = None

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not user.is_active:
            return False
        return user.is_superuser or bool(self.view_permission and user.has_perm(self.view_permission))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationEvent)
class ModerationEventAdmin(SuperuserReadOnlyAdmin):
    """The whole moderation history."""

    list_display = ["created_at", "content_type", "object_id", "from_status", "to_status", "actor_label"]
    list_filter = ["to_status", "content_type"]
    date_hierarchy = "created_at"
