"""Requests from a person to see or erase the personal data held about them.

One e-mail address finds everything that holds it (``personal_data_find``);
``PersonalDataFound`` exports it as JSON and as a readable summary, and
describes what erasing would do; ``personal_data_erase`` removes or
anonymises all of it in one transaction. Admin (linkup/personal_data_admin.py)
and the ``personal_data`` command both use these functions.

Matching an address: case is ignored everywhere. Gmail ignores dots in the
part before the @ and anything after a "+", and gmail.com and googlemail.com
are one mailbox, so those are ignored for those domains. Outlook.com,
Hotmail and Live also deliver "name+tag@" to "name@", so the tag is
ignored there. Elsewhere "+" and dots are kept: most work addresses
(councils, the NHS, charities) are run by organisations whose mail servers
may treat "jo+team@" as someone else, and showing one person another's data
would be a breach. Free text (messages, moderation notes, the audit trail's
usernames, e-mails waiting in the queue) is searched for the address in any
form its mailbox takes.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Cast, Concat, Lower, Replace, Trim
from django.db.models.lookups import In
from django.utils import timezone

from alerts.models import Subscription
from casestudies.models import CaseStudy
from directory.models import ContactRequest, Listing, searchword_refresh
from feedback.models import Feedback
from linkup.audit import AuditEvent, audit_record
from linkup.models import QueuedEmail
from linkup.moderation import ModerationEvent, ModerationNote, Status
from linkup.retention import REMOVED, case_studies_anonymise, listings_delete, moderation_notes_remove

# Domains whose mail ignores dots before the @ (and are one mailbox).
DOTS_IGNORED = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
# Domains that deliver "name+tag@" to "name@" (besides DOTS_IGNORED).
PLUS_TAGS_IGNORED = {"outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "live.co.uk"}


REQUEST_KINDS = [AuditEvent.Kind.PERSONAL_DATA_EXPORTED, AuditEvent.Kind.PERSONAL_DATA_ERASED]


class PersonalDataRequestManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind__in=REQUEST_KINDS)


class PersonalDataRequest(AuditEvent):
    """The record of requests from people (the audit trail's entries for
    them), and the "Data protection" permission to handle them in admin."""

    objects = PersonalDataRequestManager()

    class Meta:
        proxy = True
        app_label = "linkup"
        default_permissions = ()
        permissions = [("handle_personal_data", "Data protection: find, export and erase a person's data")]
        verbose_name = "request from a person"
        verbose_name_plural = "requests from people (data protection)"


def normalise_email(address: str) -> str:
    """The address as its mailbox is known (see the module docstring)."""
    address = (address or "").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return address
    if domain in DOTS_IGNORED:
        return f"{local.split('+', 1)[0].replace('.', '')}@{DOTS_IGNORED[domain]}"
    if domain in PLUS_TAGS_IGNORED:
        return f"{local.split('+', 1)[0]}@{domain}"
    return address


class SplitPart(models.Func):
    function = "split_part"
    output_field = models.TextField()


def normalised_email(field_name: str) -> models.Expression:
    """``normalise_email`` as a database expression, for filtering on."""
    text = models.TextField()
    address = Lower(Trim(field_name, output_field=text), output_field=text)
    local = SplitPart(address, Value("@"), Value(1))
    domain = SplitPart(address, Value("@"), Value(2))
    untagged = SplitPart(local, Value("+"), Value(1))
    return models.Case(
        models.When(
            In(domain, list(DOTS_IGNORED)),
            then=Concat(
                Replace(untagged, Value("."), Value(""), output_field=text),
                Value("@gmail.com"),
                output_field=text,
            ),
        ),
        models.When(
            In(domain, sorted(PLUS_TAGS_IGNORED)),
            then=Concat(untagged, Value("@"), domain, output_field=text),
        ),
        default=address,
        output_field=text,
    )


def _holding(queryset: models.QuerySet, field_name: str, email: str) -> models.QuerySet:
    return queryset.alias(_normalised=normalised_email(field_name)).filter(_normalised=email)


def mention_pattern(email: str) -> str:
    """A regular expression (PostgreSQL's, used case-insensitively) for the
    normalised ``email`` written in free text in any form its mailbox takes."""
    local, _, domain = email.rpartition("@")
    tag = r"(\+[^@[:space:]]*)?"
    if domain in DOTS_IGNORED.values():
        address = r"\.?".join(re.escape(char) for char in local) + tag + r"@(gmail|googlemail)\.com"
    elif domain in PLUS_TAGS_IGNORED:
        address = re.escape(local) + tag + "@" + re.escape(domain)
    else:
        address = re.escape(email)
    return rf"(^|[^a-z0-9._%+-]){address}($|[^a-z0-9.-]|\.($|[^a-z0-9-]))"


def _mentioning(field_name: str, email: str) -> Q:
    return Q(**{f"{field_name}__iregex": mention_pattern(email)})


def _when(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@dataclass(frozen=True)
class Section:
    """One kind of record found: its key in the JSON export, its heading, and
    what each record holds."""

    key: str
    heading: str
    rows: list[dict]


@dataclass
class PersonalDataFound:
    """Everything held about one address."""

    email: str
    case_studies: list[CaseStudy] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    messages_sent: list[ContactRequest] = field(default_factory=list)
    messages_received: list[ContactRequest] = field(default_factory=list)
    audit_events: list[AuditEvent] = field(default_factory=list)
    moderation_events: list[ModerationEvent] = field(default_factory=list)
    alerts: list[Subscription] = field(default_factory=list)
    reports: list[Feedback] = field(default_factory=list)
    emails: list[QueuedEmail] = field(default_factory=list)
    sign_ins: list[AccessLog | AccessFailureLog | AccessAttempt] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(section.rows) for section in self.sections())

    def sections(self) -> list[Section]:
        """What each kind of record holds, as exported and shown."""
        return [
            Section("case_studies", "Case studies they sent", [_case_study(c) for c in self.case_studies]),
            Section("listings", "Directory listings", [_listing(listing) for listing in self.listings]),
            Section(
                "messages_sent",
                "Messages they sent through the portal's relay",
                [_message(m, sent=True) for m in self.messages_sent],
            ),
            Section(
                "messages_received",
                "Messages sent to them through the portal's relay",
                [_message(m, sent=False) for m in self.messages_received],
            ),
            Section("audit_trail", "Audit trail entries", [_audit(e) for e in self.audit_events]),
            Section(
                "moderation_notes",
                "Moderation notes that mention them",
                [_moderation(e) for e in self.moderation_events],
            ),
            Section("email_alerts", "E-mail alerts", [_alert(a) for a in self.alerts]),
            Section(
                "problem_reports", "Problems they reported with a page", [_report(r) for r in self.reports]
            ),
            Section(
                "sign_in_records",
                "Sign-ins to admin under this address",
                [_sign_in(record) for record in self.sign_ins],
            ),
            Section(
                "forms_in_progress",
                "Forms they started and have not sent",
                [_session(session) for session in self.sessions],
            ),
            Section(
                "emails_not_yet_sent",
                "E-mails to them or about them not yet sent",
                [_queued_email(e, to_them=normalise_email(e.to) == self.email) for e in self.emails],
            ),
        ]

    def as_json(self) -> str:
        exported = {
            "email_address": self.email,
            "exported_at": timezone.now().isoformat(),
            **{section.key: section.rows for section in self.sections()},
        }
        return json.dumps(exported, indent=2, ensure_ascii=False)

    def as_text(self) -> str:
        lines = [f"Personal data held for {self.email}", ""]
        for section in self.sections():
            lines.extend([f"{section.heading}: {len(section.rows)}", ""])
            for row in section.rows:
                lines.extend(f"  {name.replace('_', ' ')}: {value}" for name, value in row.items() if value)
                lines.append("")
        return "\n".join(lines)

    def erasure_plan(self) -> list[tuple[str, str]]:
        """What erasing does to each kind of record found: (what, what happens)."""
        published = [c for c in self.case_studies if c.status == Status.PUBLISHED]
        unpublished = [c for c in self.case_studies if c.status != Status.PUBLISHED]
        plan = [
            (
                _count(published, "published case study", "published case studies"),
                "The sender's name, job title, organisation, e-mail address and phone number are removed, "
                "so nobody can contact them through it. The case study stays published: withdraw it "
                "first if it should come down too.",
            ),
            (
                _count(unpublished, "unpublished case study", "unpublished case studies"),
                "The sender's details are removed. The example's text is removed too, unless staff "
                "recorded a reason to keep it.",
            ),
            (
                _count(self.listings, "directory listing", "directory listings"),
                "Deleted, with the messages other people sent to them.",
            ),
            (
                _count(
                    [m for m in self.messages_received if m.case_study_id],
                    "message sent to them about a case study",
                    "messages sent to them about a case study",
                ),
                "The message is removed. Who sent it, about which case study and when, stays.",
            ),
            (
                _count(self.messages_sent, "message they sent", "messages they sent"),
                "Their name, job title, organisation, e-mail address and the message are removed. "
                "That a message was sent, to whom and when, stays.",
            ),
            (
                _count(self.audit_events, "audit trail entry", "audit trail entries"),
                "The address is removed. The entries stay, as the record of what happened.",
            ),
            (
                _count(self.moderation_events, "moderation note", "moderation notes"),
                f"The note is replaced by “{REMOVED.lower()}”. The decisions stay.",
            ),
            (
                _count(self.alerts, "e-mail alert", "e-mail alerts"),
                "Deleted, with the record of which case studies were sent to them.",
            ),
            (
                _count(self.reports, "problem they reported", "problems they reported"),
                "Their e-mail address and what they wrote are removed. The kind of problem, "
                "and the page, stay.",
            ),
            (
                _count(self.sign_ins, "sign-in record", "sign-in records"),
                "The address is removed. The records of when and from where stay; "
                "counts of failed sign-ins for the lockout are deleted.",
            ),
            (
                _count(self.sessions, "form in progress", "forms in progress"),
                "Deleted: what they had typed into a form and not sent is lost.",
            ),
            (
                _count(self.emails, "e-mail not yet sent", "e-mails not yet sent"),
                "Deleted, waiting or failed, so they will never be sent: those to them, and those to "
                "others that hold their address (a message they sent through the directory, say).",
            ),
        ]
        return [(what, happens) for what, happens in plan if what]


def _count(records: list, one: str, many: str) -> str:
    """ "1 listing", "3 listings"; empty when there are none."""
    if not records:
        return ""
    return f"{len(records)} {one if len(records) == 1 else many}"


def _case_study(case_study: CaseStudy) -> dict:
    return {
        "reference": case_study.reference,
        "title": case_study.title,
        "status": case_study.get_status_display(),
        "submitted_at": _when(case_study.submitted_at),
        "published_at": _when(case_study.published_at),
        "name": case_study.submitter_name,
        "job_title": case_study.submitter_job_title,
        "organisation": case_study.submitter_organisation,
        "email_address": case_study.submitter_email,
        "phone": case_study.submitter_phone,
        "contact_details_published": case_study.show_contact,
    }


def _listing(listing: Listing) -> dict:
    return {
        "reference": listing.reference,
        "status": listing.get_status_display(),
        "name": listing.full_name,
        "job_title": listing.job_title,
        "organisation": listing.organisation,
        "areas": ", ".join(area.name for area in listing.areas.all()),
        "expertise": listing.expertise,
        "tags": listing.tags,
        "email_address": listing.email,
        "phone": listing.phone,
        "contact_details_shown": listing.show_contact,
        "consent_given_at": _when(listing.consent_given_at),
        "last_confirmed": _when(listing.last_confirmed),
    }


def _message(message: ContactRequest, *, sent: bool) -> dict:
    """A relayed message, as its sender (``sent``) or its recipient holds it."""
    prefix = "" if sent else "from_"
    details = {
        "sent_at": _when(message.created_at),
        **(
            {"to_case_study": message.case_study.reference}
            if message.case_study_id
            else {"to_listing": message.listing.reference}
        ),
        f"{prefix}name": message.sender_name,
    }
    if sent:
        details["job_title"] = message.sender_job_title
    details.update(
        {
            f"{prefix}organisation": message.sender_organisation,
            f"{prefix}email_address": message.sender_email,
            "reason": message.get_reason_display() if message.reason else "",
            "message": message.message,
        }
    )
    if not sent and message.reported_at:
        # The recipient's own report of the message.
        details["you_reported_it"] = {
            "at": _when(message.reported_at),
            "reason": message.get_report_reason_display(),
            "details": message.report_details,
        }
    return details


def _audit(event: AuditEvent) -> dict:
    return {
        "at": _when(event.created_at),
        "what": event.get_kind_display(),
        "username": event.username,
        "ip_address": event.ip_address,
        "detail": event.detail,
    }


def _alert(subscription: Subscription) -> dict:
    return {
        "topic": subscription.topic.description,
        "how_often": subscription.get_frequency_display(),
        "email_address": subscription.email,
        "signed_up_at": _when(subscription.created_at),
        "confirmed_at": _when(subscription.confirmed_at),
        "case_studies_sent": subscription.deliveries_sent,
    }


def _moderation(event: ModerationEvent) -> dict:
    return {
        "at": _when(event.created_at),
        "record": f"{event.content_type.name} {event.object_id}",
        "decision": str(event),
        "note": event.note,
    }


def _report(report: Feedback) -> dict:
    return {
        "sent_at": _when(report.created_at),
        "page": report.path,
        "what_is_wrong": report.get_problem_display(),
        "details": report.details,
        "email_address": report.email,
        "status": report.get_status_display(),
    }


def _queued_email(email: QueuedEmail, *, to_them: bool) -> dict:
    """An e-mail in the queue, without its text or headers: they hold signed
    links (to confirm, change or unsubscribe) that act for whoever has them,
    and an export travels further than the person's own inbox. What it is
    about, its subject and its state say what it holds; the records it was
    written from are exported in their own sections. Another person's
    address is left out."""
    job = email.job
    return {
        "queued_at": _when(email.created_at),
        "about": email.about,
        "subject": email.subject,
        "email_address": email.to if to_them else "",
        "state": "failed" if job is None or job.status not in {"todo", "doing"} else "waiting to be sent",
    }


SIGN_IN_KINDS = {
    AccessLog: "signed in",
    AccessFailureLog: "failed to sign in",
    AccessAttempt: "failed sign-ins counted for the lockout",
}


def _sign_in(record) -> dict:
    return {
        "at": _when(record.attempt_time),
        "what": SIGN_IN_KINDS[type(record)],
        "username": record.username,
        "ip_address": record.ip_address,
    }


def _session(session: Session) -> dict:
    data = session.get_decoded()
    return {
        "kept_until": _when(session.expire_date),
        "answers": json.dumps(
            {key: value for key, value in data.items() if not key.startswith("_")}, default=str
        ),
    }


# Anything in free text that looks like an e-mail address.
ADDRESS_LIKE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+", re.IGNORECASE)


def _sessions_holding(email: str) -> list[Session]:
    """Live sessions (a form being filled in keeps its answers there) holding
    ``email``. Session data is signed and encoded, so the database cannot
    search it: each is decoded here. Expired ones are the schedule's."""
    holding = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).order_by("pk").iterator():
        text = json.dumps(session.get_decoded(), default=str)
        if any(normalise_email(found.rstrip(".")) == email for found in ADDRESS_LIKE.findall(text)):
            holding.append(session)
    return holding


def personal_data_find(*, email: str) -> PersonalDataFound:
    """Every record that holds ``email`` (normalised), or mentions it.
    ``email`` must be a valid address (a fragment would match other people)."""
    typed = (email or "").strip()
    validate_email(typed)
    email = normalise_email(typed)
    listings = _holding(Listing.objects.all(), "email", email).prefetch_related("areas")
    case_studies = _holding(CaseStudy.objects.order_by("pk"), "submitter_email", email)
    # Messages reach them through their listings and the examples they shared.
    theirs = Q(listing__in=listings) | Q(case_study__in=case_studies)
    return PersonalDataFound(
        email=email,
        case_studies=list(case_studies),
        listings=list(listings.order_by("pk")),
        messages_sent=list(
            ContactRequest.objects.select_related("listing", "case_study")
            .filter(
                Q(pk__in=_holding(ContactRequest.objects.all(), "sender_email", email).values("pk"))
                | _mentioning("message", email)
            )
            .exclude(theirs)
            .order_by("pk")
        ),
        messages_received=list(
            ContactRequest.objects.select_related("listing", "case_study").filter(theirs).order_by("pk")
        ),
        audit_events=list(
            AuditEvent.objects.filter(
                Q(pk__in=_holding(AuditEvent.objects.all(), "username", email).values("pk"))
                | _mentioning("username", email)
            ).order_by("pk")
        ),
        moderation_events=list(
            ModerationEvent.objects.filter(_mentioning("note", email))
            .select_related("content_type")
            .order_by("pk")
        ),
        alerts=list(
            _holding(Subscription.objects.select_related("topic"), "email", email)
            .annotate(deliveries_sent=models.Count("deliveries"))
            .order_by("pk")
        ),
        reports=list(_holding(Feedback.objects.order_by("pk"), "email", email)),
        emails=list(
            QueuedEmail.objects.alias(_reply_to=Cast("reply_to", models.TextField()))
            .filter(
                Q(pk__in=_holding(QueuedEmail.objects.all(), "to", email).values("pk"))
                | _mentioning("_reply_to", email)
                | _mentioning("subject", email)
                | _mentioning("body", email)
            )
            .select_related("job")
            .order_by("pk")
        ),
        sign_ins=[
            record
            for model in SIGN_IN_KINDS
            for record in _holding(model.objects.exclude(username=None), "username", email).order_by("pk")
        ],
        sessions=_sessions_holding(email),
    )


@transaction.atomic
def personal_data_export(*, email: str, actor=None, actor_label: str = "") -> PersonalDataFound:
    """What ``personal_data_find`` finds, with the export recorded (without the address)."""
    found = personal_data_find(email=email)
    audit_record(
        kind=AuditEvent.Kind.PERSONAL_DATA_EXPORTED,
        user=actor,
        username=actor_label,
        detail=f"{found.total} records exported",
    )
    return found


@transaction.atomic
def personal_data_erase(*, email: str, actor=None, actor_label: str = "") -> int:
    """Remove or anonymise every record holding ``email``, as
    ``PersonalDataFound.erasure_plan`` describes; how many records there were.
    Recorded in the audit trail, without the address."""
    found = personal_data_find(email=email)
    now = timezone.now()
    case_studies_anonymise(ids=[c.pk for c in found.case_studies], now=now)
    if found.listings:
        listings_delete(ids=[listing.pk for listing in found.listings], now=now)
        searchword_refresh()  # the typo vocabulary holds the words of their name
    messages = ContactRequest.objects.filter(pk__in=[m.pk for m in found.messages_sent])
    # A message that only mentions the address keeps its sender's details.
    _holding(messages, "sender_email", found.email).update(
        sender_name=REMOVED, sender_job_title="", sender_organisation="", sender_email=""
    )
    messages.update(message=REMOVED)
    # A listing's messages go with it; those about a case study, which
    # stays, lose their text (it was written to this person).
    ContactRequest.objects.filter(pk__in=[m.pk for m in found.messages_received]).update(message=REMOVED)
    # The entries are the record of what happened; only the address goes
    # (the audit trail refuses changes through save(), on purpose).
    AuditEvent.objects.filter(pk__in=[e.pk for e in found.audit_events]).update(username="")
    moderation_notes_remove(
        events=ModerationEvent.objects.filter(pk__in=[e.pk for e in found.moderation_events])
    )
    Subscription.objects.filter(pk__in=[a.pk for a in found.alerts]).delete()
    reports = Feedback.objects.filter(pk__in=[r.pk for r in found.reports])
    reports.update(email="")
    reports.exclude(details="").update(details=REMOVED)
    for model in (AccessLog, AccessFailureLog):
        model.objects.filter(pk__in=[r.pk for r in found.sign_ins if isinstance(r, model)]).update(
            username=""
        )
    AccessAttempt.objects.filter(
        pk__in=[r.pk for r in found.sign_ins if isinstance(r, AccessAttempt)]
    ).delete()
    Session.objects.filter(pk__in=[s.pk for s in found.sessions]).delete()
    # A job whose e-mail is gone finds nothing to send.
    QueuedEmail.objects.filter(pk__in=[e.pk for e in found.emails]).delete()
    # Moderators' notes on these reports may quote what the reporter wrote.
    notes = ModerationNote.objects.for_objects(Feedback, [r.pk for r in found.reports])
    notes.exclude(text=REMOVED).update(text=REMOVED)
    audit_record(
        kind=AuditEvent.Kind.PERSONAL_DATA_ERASED,
        user=actor,
        username=actor_label,
        detail=f"{found.total} records erased or anonymised",
    )
    return found.total
