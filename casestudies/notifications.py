"""E-mails about case studies, through the shared ``ModerationEmails``: to
the submitter on arrival, on every decision and when someone looks up the
example's progress, and to the taskforce."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from casestudies.models import CaseStudy
from linkup.moderation import MODERATOR_ONLY, Status, moderation_position
from linkup.notifications import ModerationEmails, absolute
from linkup.tokens import make_token

EDIT_PURPOSE = "edit"


class CaseStudyEmails(ModerationEmails):
    model = CaseStudy
    template_folder = "casestudies/emails"

    def recipient(self, obj) -> str:
        return obj.submitter_email

    def edit_url(self, obj) -> str:
        return absolute(reverse("casestudies:edit", args=[make_token(obj, EDIT_PURPOSE)]))

    def public_url(self, obj) -> str:
        # An example published without a slug has no page to link to.
        try:
            return super().public_url(obj)
        except NoReverseMatch:
            return ""

    def context(self, obj) -> dict:
        return {
            "case_study": obj,
            "status_url": absolute(reverse("casestudies:status")),
            "edit_link_days": settings.CASE_STUDY_EDIT_LINK_DAYS,
        }


case_study_emails = CaseStudyEmails()
case_study_emails.connect()


def submission_received(case_study) -> None:
    """A new example: confirm to the submitter, tell the taskforce."""
    case_study_emails.received(case_study)


# How a status reads to the submitter (a submitted example is "Received",
# or "In review" once sent again after changes).
STATUS_LABELS = {
    Status.CHANGES_REQUESTED: "Changes requested",
    Status.PUBLISHED: "Published",
    Status.REJECTED: "Not published",
}


def submission_status(case_study: CaseStudy) -> dict:
    """Where an example has got to, as the status e-mail tells it: the label,
    where it is in the queue, the moderator's note on their last decision, the signed edit link when
    changes are asked for, and the public address once published."""
    history = list(case_study.history())
    last = history[-1] if history else None
    if case_study.status == Status.SUBMITTED:
        label = "In review" if any(event.from_status for event in history) else "Received"
    else:
        label = STATUS_LABELS.get(case_study.status, "Withdrawn")
    status = {
        "label": label,
        "note": last.note if last and last.to_status in MODERATOR_ONLY else "",
        "position": moderation_position(case_study),
    }
    if case_study.status == Status.CHANGES_REQUESTED:
        status["edit_url"] = case_study_emails.edit_url(case_study)
    elif case_study.status == Status.PUBLISHED:
        status["public_url"] = case_study_emails.public_url(case_study)
    return status


@transaction.atomic
def submission_status_send(case_study: CaseStudy) -> bool:
    """E-mail an example's progress to its submitter's address, the only
    place the note and the edit link go: the look-up page shows neither,
    since the reference and the address may both be public."""
    return case_study_emails.send(
        "status", case_study, to=case_study_emails.recipient(case_study), **submission_status(case_study)
    )
