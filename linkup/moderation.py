"""One moderation mechanism for everything the public submits.

Case studies and directory listings inherit ``Moderated``; every change of
status goes through ``moderation_transition`` (or the named wrappers below),
which enforces the allowed transitions and the moderation permission, and
appends a ``ModerationEvent`` to the record's history. Views, admin actions
and management commands all call these functions, so each rule exists once.

Inside the decision's transaction, ``moderation_decided`` is sent so each
app can queue e-mails to the people concerned: they go only if the decision
commits, and a failing mail server never undoes one.
"""

from __future__ import annotations

import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Min
from django.dispatch import Signal
from django.utils import timezone

from linkup.records import AppendOnly


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# from-status → the statuses it may move to.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {Status.PUBLISHED, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN},
    Status.CHANGES_REQUESTED: {Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN},
    Status.PUBLISHED: {Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.WITHDRAWN},
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}
# Moving to these needs the model's "moderate" permission.
MODERATOR_ONLY = {Status.PUBLISHED, Status.CHANGES_REQUESTED, Status.REJECTED}
# Moving to these needs a note (it is sent to the submitter).
NOTE_REQUIRED = {Status.CHANGES_REQUESTED, Status.REJECTED}
AWAITING_REVIEW = [Status.SUBMITTED]

moderation_decided = Signal()  # sender=model class; kwargs: instance, event


class TransitionNotAllowedError(ValidationError):
    pass


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: decided here, used by every public view."""
        return self.filter(status=Status.PUBLISHED)

    def awaiting_review(self):
        return self.filter(status__in=AWAITING_REVIEW)


REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U


def new_reference() -> str:
    """A short, human-readable reference such as ``K7QM-4TZP``."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


class Moderated(models.Model):
    """Fields and rules shared by everything that goes through moderation.

    Subclasses declare the permission ``moderate_<model name>`` in Meta.
    """

    reference = models.CharField(max_length=9, unique=True, default=new_reference, editable=False)
    # Bumped when a signed link is used, so earlier links stop working.
    token_version = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def allowed_transitions(self) -> set[str]:
        return TRANSITIONS[self.status]

    @classmethod
    def moderate_permission(cls) -> str:
        return f"{cls._meta.app_label}.moderate_{cls._meta.model_name}"

    def history(self):
        return ModerationEvent.objects.for_object(self)

    def moving_to(self, status: str, now) -> None:
        """Called by ``moderation_transition`` before the new status is saved,
        for what a kind of record must change with it (saved with it)."""


class ModerationEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
        ).select_related("actor")


class ModerationEvent(AppendOnly):
    """One decision in a record's history. Append-only."""

    record_name = "Moderation history"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=100, help_text="Who decided, when not a member of staff.")
    note = models.TextField(blank=True)
    acknowledged_warnings = models.JSONField(
        default=list,
        blank=True,
        help_text="Safeguarding warnings the moderator acknowledged when publishing.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "moderation decision"

    def __str__(self):
        before = self.get_from_status_display() or "new"
        return f"{before} → {self.get_to_status_display()} by {self.actor_label}"


@transaction.atomic
def moderation_transition(
    *,
    obj: Moderated,
    to_status: str,
    actor=None,
    actor_label: str = "",
    note: str = "",
    acknowledged_warnings: list[str] | None = None,
) -> ModerationEvent:
    """Move ``obj`` to ``to_status`` and record the decision.

    ``actor`` is the member of staff deciding (checked for the moderate
    permission where the move needs it); a decision by the submitter passes
    no actor and an ``actor_label`` such as "Submitter".
    """
    model = type(obj)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    from_status = locked.status
    if to_status not in TRANSITIONS[from_status]:
        raise TransitionNotAllowedError(
            f"A {model._meta.verbose_name} cannot move from "
            f"{Status(from_status).label.lower()} to {Status(to_status).label.lower()}."
        )
    if to_status in MODERATOR_ONLY and (actor is None or not actor.has_perm(model.moderate_permission())):
        raise PermissionDenied("Only moderators can make this decision.")
    note = (note or "").strip()
    if to_status in NOTE_REQUIRED and not note:
        raise ValidationError("Enter a note for the submitter explaining the decision.")

    now = timezone.now()
    obj.status = to_status
    if to_status == Status.SUBMITTED:
        obj.submitted_at = now
    if to_status == Status.PUBLISHED and obj.published_at is None:
        obj.published_at = now
    obj.moving_to(to_status, now)
    obj.save()
    event = ModerationEvent.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=obj.pk,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else "System"),
        note=note,
        acknowledged_warnings=acknowledged_warnings or [],
        created_at=now,
    )
    # In the decision's transaction, so the e-mails it queues and the audit
    # entry commit with it, or not at all.
    moderation_decided.send(sender=model, instance=obj, event=event)
    return event


def moderation_record_bulk(
    *, model: type[Moderated], decisions: list[tuple[int, str, str, str]], actor_label: str, now
) -> None:
    """Record many decisions taken together (an import): one event per
    (object id, from status, to status, note), held to the same transitions
    as ``moderation_transition``; an empty from status is an arrival. It
    sends no ``moderation_decided``: nobody is e-mailed about a bulk change."""
    for _pk, from_status, to_status, _note in decisions:
        if from_status and to_status not in TRANSITIONS[from_status]:
            raise TransitionNotAllowedError(
                f"A {model._meta.verbose_name} cannot move from "
                f"{Status(from_status).label.lower()} to {Status(to_status).label.lower()}."
            )
    content_type = ContentType.objects.get_for_model(model)
    ModerationEvent.objects.bulk_create(
        [
            ModerationEvent(
                content_type=content_type,
                object_id=pk,
                from_status=from_status,
                to_status=to_status,
                actor_label=actor_label,
                note=note,
                created_at=now,
            )
            for pk, from_status, to_status, note in decisions
        ],
        batch_size=5000,
    )


def moderated_models() -> list[type[Moderated]]:
    return [model for model in apps.get_models() if issubclass(model, Moderated)]


def moderation_queue_for(model: type[Moderated]) -> dict:
    """How many records of ``model`` await review, and when the oldest arrived."""
    return model.objects.awaiting_review().aggregate(count=Count("pk"), oldest=Min("submitted_at"))


def moderation_queue() -> list[dict]:
    """What awaits review, per kind of moderated record. The admin home page
    and the daily reminder both read it, so they always agree."""
    return [{"model": model, **moderation_queue_for(model)} for model in moderated_models()]


def moderation_record_submission(
    *, obj: Moderated, actor_label: str = "Submitter", note: str = ""
) -> ModerationEvent:
    """Record a new record's arrival (status already set on creation)."""
    return ModerationEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        from_status="",
        to_status=obj.status,
        actor_label=actor_label,
        note=note,
    )


def submission_approve(*, submission: Moderated, moderator, note: str = "", acknowledged_warnings=None):
    return moderation_transition(
        obj=submission,
        to_status=Status.PUBLISHED,
        actor=moderator,
        note=note,
        acknowledged_warnings=acknowledged_warnings,
    )


def submission_request_changes(*, submission: Moderated, moderator, note: str):
    return moderation_transition(
        obj=submission, to_status=Status.CHANGES_REQUESTED, actor=moderator, note=note
    )


def submission_reject(*, submission: Moderated, moderator, note: str):
    return moderation_transition(obj=submission, to_status=Status.REJECTED, actor=moderator, note=note)


def submission_withdraw(*, submission: Moderated, actor=None, actor_label: str = "Submitter", note: str = ""):
    return moderation_transition(
        obj=submission, to_status=Status.WITHDRAWN, actor=actor, actor_label=actor_label, note=note
    )


def submission_resubmit(*, submission: Moderated, actor_label: str = "Submitter", note: str = ""):
    return moderation_transition(
        obj=submission, to_status=Status.SUBMITTED, actor_label=actor_label, note=note
    )
