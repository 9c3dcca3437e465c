"""The moderation queue on the admin home page."""

from django import template
from django.db.models import Count, Min
from django.urls import reverse

from casestudies.models import CaseStudy

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queue(context):
    """What awaits review, for staff who may moderate it."""
    request = context.get("request")
    if request is None or not request.user.has_perm(CaseStudy.moderate_permission()):
        return []
    queue = CaseStudy.objects.awaiting_review().aggregate(count=Count("pk"), oldest=Min("submitted_at"))
    return [
        {
            "label": "Case studies",
            "count": queue["count"],
            "oldest": queue["oldest"],
            "url": reverse("admin:casestudies_casestudy_changelist") + "?queue=waiting",
            "dashboard_url": reverse("admin:casestudies_casestudy_dashboard"),
        }
    ]
