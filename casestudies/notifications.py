"""E-mails about case studies: to the submitter and to the taskforce.

Sent after the transaction commits. A failing mail server is logged (with
the case study's id only, never a name or address) and never undoes a
submission or a decision.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from linkup.moderation import Status, moderation_decided
from linkup.tokens import make_token

logger = logging.getLogger(__name__)

EDIT_PURPOSE = "edit"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def edit_url(case_study) -> str:
    return absolute(reverse("casestudies:edit", args=[make_token(case_study, EDIT_PURPOSE)]))


def public_url(case_study) -> str:
    try:
        return absolute(case_study.get_absolute_url())
    except NoReverseMatch:
        return ""


def _send(kind: str, case_study, *, template: str, to: str, context: dict) -> bool:
    if not to:
        return False
    context = {
        "case_study": case_study,
        "status_url": absolute(reverse("casestudies:status")),
        "taskforce_email": settings.TASKFORCE_EMAIL,
        **context,
    }
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    try:
        send_mail(subject.strip(), body.strip() + "\n", None, [to])
    except Exception as error:
        logger.error(
            "Could not send the %s e-mail for case study %s (%s)", kind, case_study.pk, type(error).__name__
        )
        return False
    return True


def submission_received(case_study) -> None:
    """A new example: confirm to the submitter, tell the taskforce."""
    _send(
        "confirmation",
        case_study,
        template="casestudies/emails/received.txt",
        to=case_study.submitter_email,
        context={},
    )
    _send(
        "taskforce notification",
        case_study,
        template="casestudies/emails/taskforce_new.txt",
        to=settings.TASKFORCE_EMAIL,
        context={"admin_url": admin_url(case_study), "resubmitted": False},
    )


def admin_url(case_study) -> str:
    return absolute(reverse("admin:casestudies_casestudy_change", args=[case_study.pk]))


@receiver(moderation_decided, dispatch_uid="casestudies.notifications.decision")
def decision_made(sender, instance, event, **kwargs):
    from casestudies.models import CaseStudy

    if sender is not CaseStudy:
        return
    to = instance.submitter_email
    if event.to_status == Status.CHANGES_REQUESTED:
        _send(
            "changes requested",
            instance,
            template="casestudies/emails/changes_requested.txt",
            to=to,
            context={
                "note": event.note,
                "edit_url": edit_url(instance),
                "edit_link_days": settings.CASE_STUDY_EDIT_LINK_DAYS,
            },
        )
    elif event.to_status == Status.REJECTED:
        _send(
            "not published",
            instance,
            template="casestudies/emails/rejected.txt",
            to=to,
            context={"note": event.note},
        )
    elif event.to_status == Status.PUBLISHED:
        _send(
            "published",
            instance,
            template="casestudies/emails/published.txt",
            to=to,
            context={"public_url": public_url(instance)},
        )
    elif event.to_status == Status.SUBMITTED and event.from_status:
        _send(
            "taskforce notification",
            instance,
            template="casestudies/emails/taskforce_new.txt",
            to=settings.TASKFORCE_EMAIL,
            context={"admin_url": admin_url(instance), "resubmitted": True},
        )
