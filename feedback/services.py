"""Writes to the feedback store: a visitor's answer or report, and a
member of staff's decision on a report."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from casestudies.models import CaseStudy
from directory.models import Listing
from linkup.notifications import absolute, email_send

from .models import DECIDED, Feedback, FeedbackStatus


def record_for_path(path: str) -> CaseStudy | Listing | None:
    """The public case study or directory listing a page shows, if it shows one.

    Worked out from the address, never sent by the visitor, so a report can
    only be tied to a record someone could see."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "casestudies:detail":
        return CaseStudy.objects.published().filter(slug=match.kwargs["slug"]).first()
    if match.view_name == "directory:profile":
        return Listing.objects.public().filter(reference=match.kwargs["reference"]).first()
    return None


@transaction.atomic
def feedback_record(
    *, path: str, useful: bool | None, problem: str = "", details: str = "", email: str = ""
) -> Feedback:
    record = record_for_path(path)
    return Feedback.objects.create(
        path=path,
        case_study=record if isinstance(record, CaseStudy) else None,
        listing=record if isinstance(record, Listing) else None,
        useful=useful,
        problem=problem,
        details=details,
        email=email,
    )


def person_address(feedback: Feedback) -> str:
    """Who is told when a report leads to a change: the listed person, or
    the case study's submitter if they gave an address (and it is still held)."""
    if feedback.listing_id:
        return feedback.listing.email
    if feedback.case_study_id:
        return feedback.case_study.submitter_email
    return ""


@transaction.atomic
def feedback_decide(*, feedback: Feedback, status: str, user) -> bool:
    """Move a report to ``status``; whether it moved. The first time a
    report is marked as having led to a change, the person behind its
    record is told, once the decision commits."""
    if status == feedback.status:
        return False
    now = timezone.now()
    feedback.status = status
    feedback.decided_at = now if status in DECIDED else None
    feedback.decided_by = user
    fields = ["status", "decided_at", "decided_by", "updated_at"]
    to = person_address(feedback) if status == FeedbackStatus.ACTED_ON and not feedback.person_told_at else ""
    if to:
        feedback.person_told_at = now
        fields.append("person_told_at")
        _tell_the_person(feedback, to=to)  # queued in this transaction, with the mark
    feedback.save(update_fields=fields)
    return True


def _tell_the_person(feedback: Feedback, *, to: str) -> None:
    # Neither side's address goes to the other: the e-mail is from the
    # portal, says what kind of problem was reported and replies go to the
    # taskforce.
    email_send(
        template="feedback/emails/acted_on.txt",
        to=to,
        context={
            "feedback": feedback,
            "record": feedback.record,
            "page_url": absolute(feedback.path),
            "taskforce_email": settings.TASKFORCE_EMAIL,
        },
        reply_to=[settings.TASKFORCE_EMAIL],
        log_as=f"report acted on (feedback {feedback.pk})",
    )
