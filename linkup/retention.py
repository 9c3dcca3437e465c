"""The retention schedule: how long each kind of personal data is kept, and
what happens to it then.

``SCHEDULE`` is the one list of rules. Each rule names the rows past their
period and the action that removes or anonymises a batch of them; the
periods are ``settings.RETENTION``, which the privacy notice also states
(``retention_periods()``). ``retention_apply()`` runs every rule, a batch at
a time, each batch in its own transaction, so a large backlog never holds
locks for long; a row it has dealt with no longer matches its rule, so a
second run does nothing. It records how many rows each rule dealt with in
the audit trail, never what they held.

A new kind of personal data (unconfirmed sign-ups and alerts, expired
moderation claims, e-mails that could not be sent, the addresses people give
with a problem report) adds one ``RetentionRule`` to ``SCHEDULE``.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone

from alerts.models import Subscription, Topic
from casestudies.models import CaseStudy, CaseStudyLink
from directory.models import ContactRequest, Listing, searchword_refresh
from feedback.models import Feedback
from linkup.audit import AuditEvent, audit_record
from linkup.models import QueuedEmail, RateLimitCounter
from linkup.moderation import ModerationClaim, ModerationEvent, ModerationNote, ModerationRevision, Status
from linkup.pagecache import content_changed

REMOVED = "Removed under the retention schedule"

# A case study or listing in one of these has not been published, or has
# been taken down, and nobody is waiting on it.
UNPUBLISHED = [Status.DRAFT, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN]


def months_ago(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same time ``months`` calendar months earlier (31 March less one month is 28 or 29 February)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _cutoff(now: datetime.datetime, key: str) -> datetime.datetime:
    return months_ago(now, settings.RETENTION[key])


def period_text(months: int) -> str:
    """A period as the privacy notice says it: "6 months", "12 months", "2 years"."""
    if months > 12 and months % 12 == 0:
        return f"{months // 12} years"
    return f"{months} month" if months == 1 else f"{months} months"


def retention_periods() -> dict[str, str]:
    """Each period of ``settings.RETENTION`` in words, keyed like the setting
    in lower case without "_months", and an unconfirmed alert sign-up's:
    what the privacy notice states."""
    periods = {
        key.removesuffix("_MONTHS").lower(): period_text(months) for key, months in settings.RETENTION.items()
    }
    # An alert sign-up lasts as long as its confirm link, counted in days.
    days = settings.ALERTS_CONFIRM_LINK_DAYS
    periods["unconfirmed_alert"] = f"{days} day" if days == 1 else f"{days} days"
    return periods


# --- Actions: each takes a batch of ids and returns how many rows it dealt with ----


def case_studies_anonymise(*, ids, now: datetime.datetime) -> int:
    """Remove the submitter's details and contact route from these case
    studies. An unpublished one loses its text too, unless staff recorded a
    reason to keep it; a published one stays up as it is."""
    case_studies = CaseStudy.objects.filter(pk__in=ids)
    # update() leaves updated_at alone: the record's age is not reset.
    count = case_studies.update(
        submitter_name="",
        submitter_job_title="",
        submitter_organisation="",
        submitter_email="",
        submitter_phone="",
        show_contact=False,
        contact_through_portal=False,
        personal_data_removed_at=now,
    )
    content_changed()  # a published one may have shown its author: update() sends no signals
    text_goes = case_studies.filter(retention_keep_reason="").exclude(status=Status.PUBLISHED)
    CaseStudyLink.objects.filter(case_study__in=text_goes).delete()
    text_goes.update(
        title=REMOVED,
        slug=Concat(Value("removed-"), Lower("reference")),
        summary="",
        organisations="",
        challenge="",
        approach="",
        results="",
        lessons="",
        costs="",
    )
    moderation_notes_remove(events=moderation_events_for(CaseStudy, ids))
    moderation_versions_remove(model=CaseStudy, ids=ids)
    admin_log_names_remove(model=CaseStudy, ids=ids)
    return count


def contact_messages_remove(*, ids, now: datetime.datetime) -> int:
    """Remove the text of these relayed messages, and of any report about
    them (it may quote the message); who sent them, to whom, when, and
    whether and why they were reported stay, for handling misuse."""
    messages = ContactRequest.objects.filter(pk__in=ids)
    messages.exclude(report_details="").update(report_details=REMOVED)
    return messages.update(message=REMOVED)


def feedback_addresses_remove(*, ids, now: datetime.datetime) -> int:
    """Remove the address someone gave with a problem report; the report stays."""
    return Feedback.objects.filter(pk__in=ids).update(email="")


def listings_delete(*, ids, now: datetime.datetime) -> int:
    """Delete these listings with the messages sent to them and the problem
    reports against them (with the reports' notes and claims); their
    moderation history stays, without its notes."""
    moderation_notes_remove(events=moderation_events_for(Listing, ids))
    moderation_versions_remove(model=Listing, ids=ids)
    admin_log_names_remove(model=Listing, ids=ids)
    ModerationClaim.objects.for_objects(Listing, ids).delete()
    reports = list(Feedback.objects.filter(listing_id__in=ids).values_list("pk", flat=True))
    ModerationNote.objects.for_objects(Feedback, reports).delete()
    ModerationClaim.objects.for_objects(Feedback, reports).delete()
    _, deleted = Listing.objects.filter(pk__in=ids).delete()
    return deleted.get(Listing._meta.label, 0)


def moderation_events_for(model: type[models.Model], ids) -> models.QuerySet:
    return ModerationEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=ids
    )


def moderation_notes_remove(*, events: models.QuerySet) -> int:
    """Replace the notes and acknowledged safeguarding warnings (which quote
    what was found) of these decisions; the decisions themselves stay.

    ``ModerationEvent.save()`` refuses changes so no one edits history by
    accident; removing personal data under the schedule or at a person's
    request is the one change allowed, made here with ``update()``."""
    events.exclude(acknowledged_warnings=[]).update(acknowledged_warnings=[REMOVED])
    return events.exclude(note="").update(note=REMOVED)


def moderation_versions_remove(*, model: type[models.Model], ids) -> int:
    """Delete the kept versions of these records (earlier text holds what the
    record's personal data removal takes away) and replace their internal
    notes' text, which may quote it; the notes' authors and times stay."""
    ModerationNote.objects.for_objects(model, ids).exclude(text=REMOVED).update(text=REMOVED)
    _, deleted = ModerationRevision.objects.for_objects(model, ids).delete()
    return deleted.get(ModerationRevision._meta.label, 0)


def admin_log_names_remove(*, model: type[models.Model], ids) -> int:
    """Replace how admin's change history names these records (a listing by
    its person's name, a case study by its title); what was done, by whom
    and when stays."""
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
        )
        .exclude(object_repr=REMOVED)
        .update(object_repr=REMOVED)
    )


def rows_delete(model: type[models.Model]) -> Callable[..., int]:
    """An action that deletes the rows (for a table whose rows are only ever
    removed whole)."""

    def delete(*, ids, now: datetime.datetime) -> int:
        # A queryset delete, not Model.delete(): the audit trail's refuses,
        # and nothing but this schedule may remove its entries.
        _, deleted = model._default_manager.filter(pk__in=ids).delete()
        return deleted.get(model._meta.label, 0)

    return delete


# --- The schedule -------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRule:
    name: str
    # The rows past their period as of ``now``; a row an action has dealt
    # with must no longer be among them.
    expired: Callable[[datetime.datetime], models.QuerySet]
    action: Callable[..., int]
    # Run once after the rule dealt with any rows.
    finish: Callable[[], None] | None = None


def _unpublished_case_studies(now):
    return CaseStudy.objects.filter(
        status__in=UNPUBLISHED,
        updated_at__lt=_cutoff(now, "UNPUBLISHED_CASE_STUDY_MONTHS"),
        personal_data_removed_at__isnull=True,
    )


def _old_contact_messages(now):
    return ContactRequest.objects.filter(created_at__lt=_cutoff(now, "CONTACT_MESSAGE_MONTHS")).exclude(
        message=REMOVED
    )


def _unconfirmed_contact_requests(now):
    """Requests to connect whose sender never confirmed their address, once the
    link to confirm has expired: nothing was relayed, and nothing can be now."""
    cutoff = now - datetime.timedelta(seconds=settings.DIRECTORY_CONTACT_CONFIRM_LINK_MAX_AGE)
    return ContactRequest.objects.unconfirmed().filter(created_at__lt=cutoff)


def _old_feedback_addresses(now):
    return Feedback.objects.filter(created_at__lt=_cutoff(now, "FEEDBACK_EMAIL_MONTHS")).exclude(email="")


def _closed_listings(now):
    cutoff = _cutoff(now, "CLOSED_LISTING_MONTHS")
    return Listing.objects.filter(
        Q(status__in=UNPUBLISHED, updated_at__lt=cutoff) | Q(stale_hidden_at__lt=cutoff)
    )


def _notes_of_removed_records(now):
    """Decisions about records whose personal data is gone (by this schedule
    or at the person's request) that still hold a note or warnings."""
    removed_case_studies = CaseStudy.objects.filter(personal_data_removed_at__isnull=False).values("pk")
    return ModerationEvent.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(CaseStudy), object_id__in=removed_case_studies)
        | (
            Q(content_type=ContentType.objects.get_for_model(Listing))
            & ~Q(object_id__in=Listing.objects.values("pk"))
        )
    ).filter(
        (~Q(note="") & ~Q(note=REMOVED))
        | (~Q(acknowledged_warnings=[]) & ~Q(acknowledged_warnings=[REMOVED]))
    )


def _failed_emails(now):
    """E-mails no job will deliver any more (the queue gave up and nobody
    sent them again, or their job is gone) once their period is over; one
    still waiting or being sent is never touched."""
    return QueuedEmail.objects.filter(created_at__lt=_cutoff(now, "FAILED_EMAIL_MONTHS")).exclude(
        job__status__in=["todo", "doing"]
    )


def _older_than_the_audit_trail(model: type[models.Model]):
    return lambda now: model.objects.filter(attempt_time__lt=_cutoff(now, "AUDIT_TRAIL_MONTHS"))


def _lockout_counts(now):
    # A count older than the cool-off no longer locks anyone out.
    return AccessAttempt.objects.filter(
        attempt_time__lt=now - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    )


def _lapsed_claims(now):
    # A lapsed claim no longer stops anyone reviewing the record.
    return ModerationClaim.objects.filter(
        claimed_at__lt=now - datetime.timedelta(hours=settings.MODERATION_CLAIM_HOURS)
    )


def _unconfirmed_alerts(now):
    # Their confirm link no longer works, so nobody can start them now.
    cutoff = now - datetime.timedelta(days=settings.ALERTS_CONFIRM_LINK_DAYS)
    return Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)


def _unfollowed_topics(now):
    # A day old at least, so a sign-up under way keeps the topic it just made.
    return Topic.objects.filter(subscriptions__isnull=True, created_at__lt=now - datetime.timedelta(days=1))


SCHEDULE: list[RetentionRule] = [
    RetentionRule("unpublished case studies anonymised", _unpublished_case_studies, case_studies_anonymise),
    RetentionRule("relayed message texts removed", _old_contact_messages, contact_messages_remove),
    RetentionRule(
        "unconfirmed requests to connect deleted",
        _unconfirmed_contact_requests,
        rows_delete(ContactRequest),
    ),
    RetentionRule("problem reporters' addresses removed", _old_feedback_addresses, feedback_addresses_remove),
    # The typo vocabulary is rebuilt from the listings left: it holds the
    # words of names too.
    RetentionRule("closed directory listings deleted", _closed_listings, listings_delete, searchword_refresh),
    RetentionRule(
        "moderation notes removed",
        _notes_of_removed_records,
        lambda *, ids, now: moderation_notes_remove(events=ModerationEvent.objects.filter(pk__in=ids)),
    ),
    RetentionRule("lapsed moderation claims deleted", _lapsed_claims, rows_delete(ModerationClaim)),
    RetentionRule("e-mails that could not be sent deleted", _failed_emails, rows_delete(QueuedEmail)),
    RetentionRule("unconfirmed alert sign-ups deleted", _unconfirmed_alerts, rows_delete(Subscription)),
    # Its keyword is what someone typed: it goes when nobody follows it.
    RetentionRule("alert topics nobody follows deleted", _unfollowed_topics, rows_delete(Topic)),
    RetentionRule(
        "expired rate-limit counters deleted",
        lambda now: RateLimitCounter.objects.filter(expires_at__lt=now),
        rows_delete(RateLimitCounter),
    ),
    RetentionRule(
        "expired sessions deleted",
        lambda now: Session.objects.filter(expire_date__lt=now),
        rows_delete(Session),
    ),
    RetentionRule("expired sign-in lockout counts deleted", _lockout_counts, rows_delete(AccessAttempt)),
    RetentionRule(
        "old sign-in records deleted", _older_than_the_audit_trail(AccessLog), rows_delete(AccessLog)
    ),
    RetentionRule(
        "old failed sign-in records deleted",
        _older_than_the_audit_trail(AccessFailureLog),
        rows_delete(AccessFailureLog),
    ),
    RetentionRule(
        "old audit trail entries deleted",
        lambda now: AuditEvent.objects.filter(created_at__lt=_cutoff(now, "AUDIT_TRAIL_MONTHS")),
        rows_delete(AuditEvent),
    ),
]


def _apply_rule(rule: RetentionRule, *, now: datetime.datetime, batch_size: int) -> int:
    done = 0
    last_pk = None
    while True:
        expired = rule.expired(now).order_by("pk")
        # Past the last batch: a run ends even if an action left a row matching.
        if last_pk is not None:
            expired = expired.filter(pk__gt=last_pk)
        ids = list(expired.values_list("pk", flat=True)[:batch_size])
        if not ids:
            if done and rule.finish:
                rule.finish()
            return done
        with transaction.atomic():
            done += rule.action(ids=ids, now=now)
        last_pk = ids[-1]


def retention_apply(*, now: datetime.datetime | None = None, batch_size: int | None = None) -> dict[str, int]:
    """Apply every rule of the schedule; how many rows each dealt with."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    counts = {rule.name: _apply_rule(rule, now=now, batch_size=batch_size) for rule in SCHEDULE}
    done = {name: count for name, count in counts.items() if count}
    for name, count in done.items() or [("nothing was due", 0)]:
        audit_record(
            kind=AuditEvent.Kind.RETENTION_APPLIED,
            username="Retention schedule",
            detail=f"{name}: {count}" if count else name,
        )
    return counts
