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

import dataclasses
import datetime
import difflib
import functools
import re
import secrets

import holidays
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Min, OuterRef, Subquery
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
# What staff decide in admin: the moderators' decisions, and taking a record
# off the site (a published example past its review date, say).
STAFF_DECISIONS = {*MODERATOR_ONLY, Status.WITHDRAWN}
# Moving to these needs a note (it is sent to the submitter).
NOTE_REQUIRED = {Status.CHANGES_REQUESTED, Status.REJECTED}
AWAITING_REVIEW = [Status.SUBMITTED]

moderation_decided = Signal()  # sender=model class; kwargs: instance, event


class TransitionNotAllowedError(ValidationError):
    pass


class ClaimedError(ValidationError):
    """Someone else is reviewing the record: deciding needs an explicit take-over."""


class ClaimableQuerySet(models.QuerySet):
    """For anything moderators claim and leave notes on: the moderated
    records, and the problem reports against them."""

    def with_claims(self):
        """Annotate who is reviewing each record (``claimed_by_name``) and
        since when (``claimed_at``), lapsed claims left out: one query for
        the whole queue."""
        claims = ModerationClaim.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model, for_concrete_model=False),
            object_id=OuterRef("pk"),
            claimed_at__gt=claim_cutoff(),
        )
        return self.annotate(
            claimed_by_name=Subquery(claims.values("user__username")[:1]),
            claimed_at=Subquery(claims.values("claimed_at")[:1]),
        )


class ModeratedQuerySet(ClaimableQuerySet):
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

    Subclasses declare the permission ``moderate_<model name>`` in Meta,
    and list in ``revision_fields`` the fields each kept version holds (in
    the order the public page shows them).
    """

    revision_fields: list[str] = []
    # The path from a record to its region(s), for the dashboard's grid.
    region_lookup = "region"

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

    def revisions(self):
        return ModerationRevision.objects.for_object(self)

    def internal_notes(self):
        return ModerationNote.objects.for_object(self)

    def moving_to(self, status: str, now) -> None:
        """Called by ``moderation_transition`` before the new status is saved,
        for what a kind of record must change with it (saved with it)."""


class ForObjectQuerySet(models.QuerySet):
    """For the rows about one record, keyed by content type and id, so one
    table serves every moderated model."""

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
        )

    def for_objects(self, model, ids):
        return self.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)


class AboutRecord(models.Model):
    """A row about one moderated record of any kind (a decision, a kept
    version, a note), in the order it was written."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ForObjectQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class ModerationEventQuerySet(ForObjectQuerySet):
    def for_object(self, obj):
        return super().for_object(obj).select_related("actor")


class ModerationEvent(AppendOnly, AboutRecord):
    """One decision in a record's history. Append-only."""

    record_name = "Moderation history"

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

    objects = ModerationEventQuerySet.as_manager()

    class Meta(AboutRecord.Meta):
        verbose_name = "moderation decision"

    def __str__(self):
        before = self.get_from_status_display() or "new"
        return f"{before} → {self.get_to_status_display()} by {self.actor_label}"


class ModerationRevision(AppendOnly, AboutRecord):
    """One kept version of a record's content: each submission, resubmission
    and staff edit. A small table of our own rather than a history library:
    the versions need to be compared field by field in the moderators'
    words, kept for both kinds of record through one generic key, and
    erased with the record's personal data, which one JSON snapshot per
    version makes a single delete."""

    record_name = "A kept version"

    class Reason(models.TextChoices):
        SUBMITTED = "submitted", "Sent"
        RESUBMITTED = "resubmitted", "Changed and sent again"
        STAFF_EDIT = "staff_edit", "Edited by staff"

    reason = models.CharField(max_length=20, choices=Reason.choices)
    data = models.JSONField(help_text="The field values of this version, as text.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=100)

    class Meta(AboutRecord.Meta):
        verbose_name = "kept version"

    def __str__(self):
        return f"{self.get_reason_display()} by {self.actor_label}"


class ModerationClaim(models.Model):
    """Who is reviewing a record (or a problem report), and since when. One
    row per record at most; a claim older than ``MODERATION_CLAIM_HOURS``
    has lapsed."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)

    objects = ForObjectQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="moderationclaim_one_per_record"
            )
        ]
        verbose_name = "claim"

    def __str__(self):
        return f"{self.user} since {self.claimed_at:%d %b %Y %H:%M}"


class ModerationNote(AboutRecord):
    """A moderator\'s note for colleagues on a record or a problem report.
    Internal: shown in its timeline in admin, never e-mailed, exported or
    shown publicly."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=100)
    text = models.TextField(max_length=2000)

    class Meta(AboutRecord.Meta):
        verbose_name = "internal note"

    def __str__(self):
        return f"Note by {self.author_label}"


# --- Revisions -------------------------------------------------------------------


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def moderation_snapshot(obj: Moderated) -> dict:
    """The record's ``revision_fields`` as text (a list of names for a
    many-to-many field, a list of lines for rows of its own), as a version keeps them."""
    data = {}
    for name in obj.revision_fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(str(item) for item in getattr(obj, name).all())
        elif field.one_to_many:
            # Rows of its own (a case study's outcome figures), each as a line of text.
            data[name] = [str(item) for item in getattr(obj, name).all()]
        else:
            data[name] = _as_text(getattr(obj, name))
    return data


def moderation_record_revision(
    *, obj: Moderated, reason: str, actor=None, actor_label: str = "", only_if_changed: bool = False
) -> ModerationRevision | None:
    """Keep the record's content as it is now. ``only_if_changed`` keeps
    nothing when it equals the last kept version (a staff save that changed
    only, say, the retention reason)."""
    data = moderation_snapshot(obj)
    if only_if_changed:
        last = obj.revisions().last()
        if last is not None and last.data == data:
            return None
    return ModerationRevision.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        reason=reason,
        data=data,
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else "Submitter"),
    )


@dataclasses.dataclass
class FieldChange:
    label: str
    # (kind, text) pieces in order; kind is "same", "added" or "removed".
    pieces: list[tuple[str, str]]


# Words with the spaces after them, so a changed phrase reads as one change.
WORDS = re.compile(r"\S+\s*|\s+")


def _text_pieces(before: str, after: str) -> list[tuple[str, str]]:
    old, new = WORDS.findall(before), WORDS.findall(after)
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("added", "".join(new[j1:j2])))
    return pieces


def _list_pieces(before: list, after: list) -> list[tuple[str, str]]:
    pieces = []
    for item in sorted(set(before) | set(after)):
        kind = "same" if item in before and item in after else ("added" if item in after else "removed")
        pieces.append((kind, item))
    return pieces


def moderation_compare(model: type[Moderated], before: dict, after: dict) -> list[FieldChange]:
    """What changed between two versions, field by field, in the order of
    ``revision_fields``; unchanged fields are left out."""
    changes = []
    for name in model.revision_fields:
        old, new = before.get(name, ""), after.get(name, "")
        if old == new:
            continue
        field = model._meta.get_field(name)
        label = str(
            field.related_model._meta.verbose_name_plural if field.one_to_many else field.verbose_name
        )
        label = label.capitalize()
        if isinstance(old, list) or isinstance(new, list):
            pieces = _list_pieces(list(old or []), list(new or []))
        else:
            pieces = _text_pieces(str(old), str(new))
        changes.append(FieldChange(label=label, pieces=pieces))
    return changes


def moderation_last_seen(
    obj: Moderated, revisions: list[ModerationRevision], events
) -> ModerationRevision | None:
    """The version a moderator last decided on: the newest kept before the
    latest request for changes (the one sent back with the note)."""
    sent_back = [event for event in events if event.to_status == Status.CHANGES_REQUESTED]
    if not sent_back:
        return None
    moment = sent_back[-1].created_at
    seen = [revision for revision in revisions if revision.created_at <= moment]
    return seen[-1] if seen else None


# --- Claims ----------------------------------------------------------------------


def claim_cutoff():
    """Claims made before this moment have lapsed."""
    return timezone.now() - datetime.timedelta(hours=settings.MODERATION_CLAIM_HOURS)


def moderation_claim_of(obj: models.Model) -> ModerationClaim | None:
    """The record's claim, unless it has lapsed."""
    return (
        ModerationClaim.objects.for_object(obj)
        .filter(claimed_at__gt=claim_cutoff())
        .select_related("user")
        .first()
    )


@transaction.atomic
def moderation_claim(*, obj: models.Model, user, take_over: bool = False) -> ModerationClaim:
    """ "I'm reviewing this". Someone else's live claim is only replaced with
    ``take_over``; a lapsed one is simply replaced."""
    content_type = ContentType.objects.get_for_model(type(obj))
    type(obj).objects.select_for_update().get(pk=obj.pk)  # one claimer at a time
    current = moderation_claim_of(obj)
    if current is not None and current.user_id != user.pk and not take_over:
        raise ClaimedError(
            f"{current.user.get_username()} is reviewing this. Take it over to review it yourself."
        )
    claim, _ = ModerationClaim.objects.update_or_create(
        content_type=content_type, object_id=obj.pk, defaults={"user": user, "claimed_at": timezone.now()}
    )
    return claim


def moderation_claim_check(*, obj: models.Model, user, take_over: bool = False) -> None:
    """Before a decision by ``user``: someone else's live claim stops it
    unless they take over. Called with the record locked."""
    if user is None or take_over:
        return
    claim = moderation_claim_of(obj)
    if claim is not None and claim.user_id != user.pk:
        raise ClaimedError(f"{claim.user.get_username()} is reviewing this. Take it over before deciding.")


def moderation_release(*, obj: models.Model, user=None) -> None:
    """Drop the record's claim (``user``'s own only, when given)."""
    claims = ModerationClaim.objects.for_object(obj)
    if user is not None:
        claims = claims.filter(user=user)
    claims.delete()


# --- Internal notes --------------------------------------------------------------


def moderation_note_add(
    *, obj: models.Model, author=None, author_label: str = "", text: str
) -> ModerationNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError("Enter the note")
    return ModerationNote.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        author=author,
        author_label=author_label or (author.get_username() if author else "System"),
        text=text,
    )


# --- Working days and the target -------------------------------------------------


@functools.cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England's bank holidays, from the holidays package's own data (no network).
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 on the same day)."""
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        days += is_working_day(day)
    return days


def working_days_waiting(obj: Moderated, today: datetime.date | None = None) -> int | None:
    """How many working days a record awaiting review has waited, or None."""
    if obj.status not in AWAITING_REVIEW or obj.submitted_at is None:
        return None
    today = today or timezone.localdate()
    return working_days_between(timezone.localdate(obj.submitted_at), today)


def is_overdue(obj: Moderated, today: datetime.date | None = None) -> bool:
    waited = working_days_waiting(obj, today)
    return waited is not None and waited > settings.MODERATION_TARGET_WORKING_DAYS


def moderation_position(record: Moderated) -> str:
    """Where a record is, in a sentence for the person who sent it (the
    status page and e-mail, the confirmation page)."""
    target = settings.MODERATION_TARGET_WORKING_DAYS
    if record.status in AWAITING_REVIEW and record.submitted_at:
        since = timezone.localtime(record.submitted_at)
        return (
            f"It has been with the taskforce since {since.day} {since:%B}; "
            f"we aim to decide within {target} working days."
        )
    if record.status == Status.CHANGES_REQUESTED:
        return (
            "It is waiting for your changes; once you send them, we aim to decide within "
            f"{target} working days."
        )
    return ""


@transaction.atomic
def moderation_transition(
    *,
    obj: Moderated,
    to_status: str,
    actor=None,
    actor_label: str = "",
    note: str = "",
    acknowledged_warnings: list[str] | None = None,
    expected_status: str | None = None,
    take_over: bool = False,
) -> ModerationEvent:
    """Move ``obj`` to ``to_status`` and record the decision.

    ``actor`` is the member of staff deciding (checked for the moderate
    permission where the move needs it); a decision by the submitter passes
    no actor and an ``actor_label`` such as "Submitter".

    The record is locked and its status read inside the lock, so of two
    moderators deciding at once the second finds it already decided:
    ``expected_status`` is the status the moderator saw. Someone else's live
    claim stops a member of staff unless ``take_over`` is given; a decision
    ends the claim.
    """
    model = type(obj)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    from_status = locked.status
    if expected_status is not None and from_status != expected_status:
        raise TransitionNotAllowedError(
            f"This {model._meta.verbose_name} has just been decided by someone else: "
            f"it is now {Status(from_status).label.lower()}."
        )
    moderation_claim_check(obj=locked, user=actor, take_over=take_over)
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
    if to_status == Status.SUBMITTED and from_status:
        moderation_record_revision(
            obj=obj, reason=ModerationRevision.Reason.RESUBMITTED, actor=actor, actor_label=event.actor_label
        )
    if actor is not None:
        moderation_release(obj=obj)
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
    """How many records of ``model`` await review, when the oldest arrived,
    the oldest record itself, and those past the target (oldest first)."""
    waiting = model.objects.awaiting_review().order_by("submitted_at", "pk")
    summary = waiting.aggregate(count=Count("pk"), oldest=Min("submitted_at"))
    today = timezone.localdate()
    # Past the target in working days means past it in calendar days too:
    # only those are loaded to count exactly.
    cutoff = timezone.now() - datetime.timedelta(days=settings.MODERATION_TARGET_WORKING_DAYS)
    late = list(waiting.filter(submitted_at__lt=cutoff))
    return {
        **summary,
        "oldest_item": waiting.first() if summary["count"] else None,
        "overdue": [obj for obj in late if is_overdue(obj, today)],
    }


def moderation_status_counts(model: type[Moderated]) -> dict[str, int]:
    """How many records of ``model`` there are in each status."""
    counts = dict(model.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {status.label: counts.get(status.value, 0) for status in Status}


def moderation_queue_grid(model: type[Moderated]) -> dict[tuple[int, int], int]:
    """How many records of ``model`` await review in each (region id,
    client group id) cell."""
    rows = (
        model.objects.awaiting_review()
        .filter(client_groups__isnull=False)
        .order_by()
        .values_list(f"{model.region_lookup}__id", "client_groups__id")
        .annotate(n=Count("pk", distinct=True))
    )
    return {(region_id, group_id): n for region_id, group_id, n in rows if region_id is not None}


def moderation_queue() -> list[dict]:
    """What awaits review, per kind of moderated record. The admin home page
    and the daily reminder both read it, so they always agree."""
    return [{"model": model, **moderation_queue_for(model)} for model in moderated_models()]


def moderation_record_submission(
    *, obj: Moderated, actor_label: str = "Submitter", note: str = ""
) -> ModerationEvent:
    """Record a new record's arrival (status already set on creation) and
    keep its first version (call it once the many-to-many fields are set)."""
    event = ModerationEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        from_status="",
        to_status=obj.status,
        actor_label=actor_label,
        note=note,
    )
    moderation_record_revision(obj=obj, reason=ModerationRevision.Reason.SUBMITTED, actor_label=actor_label)
    return event


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
