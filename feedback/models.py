"""What visitors tell us about a page: whether it was useful, and problems
they report with it.

One store for both: an answer to "Is this page useful?" and a "Report a
problem with this page" are rows of ``Feedback``. A report on a case study
or a directory profile is also tied to that record, so staff see reports
against the record and the person behind it can be told when one led to a
change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from casestudies.models import CaseStudy
from directory.models import Listing
from linkup.moderation import ClaimableQuerySet


class Problem(models.TextChoices):
    WRONG = "wrong", "The information is wrong"
    OUT_OF_DATE = "out_of_date", "It is out of date"
    BROKEN_LINK = "broken_link", "A link is broken"
    PERSONAL_INFORMATION = "personal_information", "It contains personal information"
    OTHER = "other", "Something else"


class FeedbackStatus(models.TextChoices):
    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    ACTED_ON = "acted_on", "Acted on: led to a change"
    NO_ACTION = "no_action", "No action"


# Decided: a report in one of these has been dealt with.
DECIDED = [FeedbackStatus.ACTED_ON, FeedbackStatus.NO_ACTION]


class RecordKind(models.TextChoices):
    CASE_STUDY = "case_study", "Case study"
    LISTING = "listing", "Directory listing"
    PAGE = "page", "Other page"


class FeedbackQuerySet(ClaimableQuerySet):
    def reports(self):
        """Problems reported (an answer of "yes, useful" alone is not one)."""
        return self.exclude(problem="")

    def of_kind(self, kind: str):
        """Reports against a case study, a listing, or any other page."""
        return {
            RecordKind.CASE_STUDY: self.filter(case_study__isnull=False),
            RecordKind.LISTING: self.filter(listing__isnull=False),
            RecordKind.PAGE: self.filter(case_study__isnull=True, listing__isnull=True),
        }.get(kind, self)

    def usefulness_by_page(self):
        """Each page's count of "yes" and "no" answers, most "no" first."""
        return (
            self.filter(useful__isnull=False)
            .values("path")
            .annotate(yes=Count("pk", filter=Q(useful=True)), no=Count("pk", filter=Q(useful=False)))
            .order_by("-no", "-yes", "path")
        )


class Feedback(models.Model):
    path = models.CharField("page", max_length=300, db_index=True)
    # The record the page shows, when it is a case study or a directory
    # profile. A report goes with its record: deleting a listing (at the
    # person's request or under the retention schedule) deletes its reports.
    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    useful = models.BooleanField("useful", null=True, blank=True)
    problem = models.CharField("what is wrong", max_length=30, choices=Problem.choices, blank=True)
    details = models.TextField("details", blank=True)
    # Only if the visitor gave one; cleared under the retention schedule.
    email = models.EmailField("reporter's e-mail address", blank=True)
    status = models.CharField(
        max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW, db_index=True
    )
    created_at = models.DateTimeField("received", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the person behind the record was told the report led to a change:
    # they are told once, however often the status moves.
    person_told_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "page feedback"
        verbose_name_plural = "page feedback and problem reports"
        ordering = ["-created_at", "-pk"]
        # Moderators work the reports with the tools they use on the records
        # themselves: claims, internal notes and decisions.
        permissions = [("moderate_feedback", "Can work problem reports (claim, note, decide)")]
        constraints = [
            models.CheckConstraint(
                condition=Q(case_study__isnull=True) | Q(listing__isnull=True), name="feedback_one_record"
            ),
            # Every row is an answer to "Is this page useful?", a report, or both.
            models.CheckConstraint(
                condition=Q(useful__isnull=False) | ~Q(problem=""), name="feedback_answer_or_report"
            ),
            models.CheckConstraint(
                condition=~Q(useful=True) | Q(problem=""), name="feedback_useful_no_problem"
            ),
        ]

    def __str__(self):
        if self.problem:
            return f"{self.get_problem_display()} – {self.path}"
        return f"{'Useful' if self.useful else 'Not useful'} – {self.path}"

    @classmethod
    def moderate_permission(cls) -> str:
        return f"{cls._meta.app_label}.moderate_{cls._meta.model_name}"

    @property
    def record(self):
        return self.case_study or self.listing

    @property
    def record_kind(self) -> str:
        if self.case_study_id:
            return RecordKind.CASE_STUDY
        if self.listing_id:
            return RecordKind.LISTING
        return RecordKind.PAGE
