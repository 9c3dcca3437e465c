"""E-mails about case studies, through the shared ``ModerationEmails``: to
the submitter on arrival and on every decision, and to the taskforce."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from casestudies.models import CaseStudy
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
