"""The moderation queue on the admin home page."""

from django import template
from django.urls import NoReverseMatch, reverse

from linkup.moderation import moderation_queue as queue_per_model

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queue(context):
    """What awaits review, for staff who may moderate it, each kind of record in turn."""
    request = context.get("request")
    if request is None:
        return []
    rows = []
    for row in queue_per_model():
        model = row["model"]
        if not request.user.has_perm(model.moderate_permission()):
            continue
        info = model._meta.app_label, model._meta.model_name
        try:
            dashboard_url = reverse("admin:{}_{}_dashboard".format(*info))
        except NoReverseMatch:
            dashboard_url = ""
        rows.append(
            {
                "label": str(model._meta.verbose_name_plural).capitalize(),
                "count": row["count"],
                "oldest": row["oldest"],
                "url": reverse("admin:{}_{}_changelist".format(*info)) + "?queue=waiting",
                "dashboard_url": dashboard_url,
            }
        )
    return rows
