from django.contrib import admin, messages
from django.template.defaultfilters import pluralize
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django import models as queue_models

from linkup.models import (
    Agency,
    ClientGroup,
    LocalAuthority,
    NationalIndicator,
    Outcome,
    QueuedEmail,
    Region,
)
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


# The queue's own tables are the job queue's business: staff see e-mails
# waiting to be sent below, and nothing else of the queue.
for queue_model in [
    queue_models.ProcrastinateJob,
    queue_models.ProcrastinateEvent,
    queue_models.ProcrastinatePeriodicDefer,
    queue_models.ProcrastinateWorker,
]:
    if admin.site.is_registered(queue_model):
        admin.site.unregister(queue_model)


class EmailStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"
    STATES = {
        "failed": ("Failed: needs retrying", {"job__status": "failed"}),
        "retrying": ("Waiting to try again", {"job__status": "todo", "job__attempts__gt": 0}),
        "waiting": ("Waiting to be sent", {"job__status__in": ["todo", "doing"], "job__attempts": 0}),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.STATES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.STATES:
            return queryset.filter(**self.STATES[self.value()][1])
        return queryset


@admin.register(QueuedEmail)
class QueuedEmailAdmin(admin.ModelAdmin):
    """E-mails not yet delivered, a failed one above all: what it is, about
    which record, how many tries and the last error's type. Never the
    address or the message. "Try again" sends a failed one back to the queue."""

    list_display = ["created_at", "kind", "about", "state", "attempts", "last_error"]
    list_filter = [EmailStateFilter]
    fields = ["kind", "about", "created_at", "state", "attempts", "last_error"]
    readonly_fields = fields
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("job")

    @admin.display(description="state")
    def state(self, email):
        job = email.job
        if job is None:
            return "Waiting to be sent"
        if job.status == "failed":
            return "Failed: needs retrying"
        if job.status == "doing":
            return "Sending"
        return "Waiting to try again" if job.attempts else "Waiting to be sent"

    @admin.display(description="tries")
    def attempts(self, email):
        return email.job.attempts if email.job else 0

    @admin.action(description="Try again to send the selected failed e-mails", permissions=["change"])
    def retry(self, request, queryset):
        failed = [email.job for email in queryset.filter(job__status="failed")]
        for job in failed:
            app.job_manager.retry_job_by_id(job.id, timezone.now(), job.priority, job.queue_name, job.lock)
        self.message_user(
            request,
            f"{len(failed)} e-mail{pluralize(len(failed))} sent back to the queue.",
            messages.SUCCESS if failed else messages.WARNING,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting one would lose the e-mail; delivering it is what removes it.
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing of an e-mail is edited: change permission is what "Try again" needs.
        return obj is None and super().has_change_permission(request)
