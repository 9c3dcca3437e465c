"""Writes to the feedback store: a visitor's answer or report, and a
member of staff's decision on a report."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from casestudies.models import CaseStudy
from directory.models import Listing
from linkup.moderation import TransitionNotAllowedError, moderation_claim_check, moderation_release
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
def feedback_decide(
    *, feedback: Feedback, status: str, user, expected_status: str | None = None, take_over: bool = False
) -> bool:
    """Move a report to ``status``; whether it moved. The first time a
    report is marked as having led to a change, the person behind its
    record is told, once the decision commits.

    As with the records themselves (``moderation_transition``), the report
    is locked and its status read inside the lock, so of two moderators
    deciding at once the second finds it already decided (``expected_status``
    is the status they saw); someone else's live claim needs ``take_over``;
    a decision ends the claim."""
    if not user.has_perm(Feedback.moderate_permission()):
        raise PermissionDenied("Only moderators can decide a report.")
    locked = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("case_study", "listing")
        .get(pk=feedback.pk)
    )
    if expected_status is not None and locked.status != expected_status:
        raise TransitionNotAllowedError(
            f"Report {locked.pk} has just been decided by someone else: "
            f"it is now “{locked.get_status_display()}”."
        )
    if status == locked.status:
        return False
    moderation_claim_check(obj=locked, user=user, take_over=take_over)
    now = timezone.now()
    locked.status = status
    locked.decided_at = now if status in DECIDED else None
    locked.decided_by = user
    fields = ["status", "decided_at", "decided_by", "updated_at"]
    to = person_address(locked) if status == FeedbackStatus.ACTED_ON and not locked.person_told_at else ""
    if to:
        locked.person_told_at = now
        fields.append("person_told_at")
        _tell_the_person(locked, to=to)  # queued in this transaction, with the mark
    locked.save(update_fields=fields)
    if status in DECIDED:
        moderation_release(obj=locked)
    for name in [*fields, "person_told_at"]:
        setattr(feedback, name, getattr(locked, name))
    return True


def _tell_the_person(feedback: Feedback, *, to: str) -> None:
    # Through the one e-mail path, not the relay: the relay carries a
    # confirmed sender's own words to a listed person, and here nobody
    # outside writes anything. The text is fixed (the kind of problem, chosen
    # from a list; never what the reporter wrote), neither side's address
    # goes to the other, and replies go to the taskforce.
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
