"""Writes that carry a directory rule. Views, admin, the import command and
the freshness command all call these, so each rule exists once.

E-mails are queued through ``linkup.notifications`` in the same transaction
as the record that causes them, so a failing mail server means a retry and
never undoes a saved record. The relay goes only once its sender has
confirmed their address, and once only; the one relay serves requests to
connect with a listed professional and questions about a case study alike
(``RelayTarget``). ``ListingEmails`` is the directory's part of the one
mechanism for e-mails about moderated records.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from linkup.moderation import (
    ModerationRevision,
    Status,
    moderation_record_revision,
    moderation_record_submission,
    submission_resubmit,
    submission_withdraw,
)
from linkup.notifications import ModerationEmails, absolute, email_send
from linkup.pagecache import content_changed
from linkup.tokens import make_token

from .models import ContactRequest, Listing

MANAGE_PURPOSE = "manage"
CONFIRM_PURPOSE = "confirm"
OWNER_LABEL = "Listed person"


def manage_url(listing: Listing) -> str:
    """The signed link that opens a listing for its person to confirm, change or remove."""
    return absolute(reverse("directory:manage", args=[make_token(listing, MANAGE_PURPOSE)]))


class ListingEmails(ModerationEmails):
    """What the listed person and the taskforce hear about a listing."""

    model = Listing
    template_folder = "directory/email"

    def recipient(self, obj) -> str:
        return obj.email

    def edit_url(self, obj) -> str:
        return manage_url(obj)

    def context(self, obj) -> dict:
        return {
            "listing": obj,
            "hours": settings.DIRECTORY_MANAGE_LINK_MAX_AGE // 3600,
            "manage_request_url": absolute(reverse("directory:manage_request")),
        }


listing_emails = ListingEmails()
listing_emails.connect()


def listing_refresh_places(*, listing_ids: Iterable[int]) -> None:
    """Copy the names of each listing's areas into ``places``, in the
    authorities' order, so that its generated search vector sees them."""
    names = (
        Listing.areas.through.objects.filter(listing_id=OuterRef("pk"))
        .values("listing_id")
        .annotate(
            names=StringAgg(
                "localauthority__name", ", ", order_by=("localauthority__position", "localauthority__name")
            )
        )
        .values("names")
    )
    Listing.objects.filter(pk__in=list(listing_ids)).update(places=Coalesce(Subquery(names), Value("")))
    content_changed()


@transaction.atomic
def listing_submit(*, data: dict) -> Listing:
    """Save a self-listing (status submitted) for moderation."""
    areas, client_groups = data.pop("areas"), data.pop("client_groups")
    data.pop("consent", None)
    now = timezone.now()
    listing = Listing.objects.create(**data, status=Status.SUBMITTED, submitted_at=now, consent_given_at=now)
    listing.areas.set(areas)
    listing.client_groups.set(client_groups)
    moderation_record_submission(obj=listing, actor_label=OWNER_LABEL)
    listing_emails.received(listing)
    return listing


@transaction.atomic
def listing_update_by_owner(*, listing: Listing, data: dict) -> Listing:
    """The listed person's edits: saved, then back through moderation."""
    areas, client_groups = data.pop("areas"), data.pop("client_groups")
    data.pop("consent", None)
    for field, value in data.items():
        setattr(listing, field, value)
    listing.token_version = F("token_version") + 1
    # Editing is confirming: a listing hidden as stale comes back once approved.
    listing.last_confirmed = timezone.now()
    listing.stale_hidden_at = None
    listing.reminder_sent_at = None
    listing.save()
    listing.refresh_from_db()
    listing.areas.set(areas)
    listing.client_groups.set(client_groups)
    if listing.status in (Status.PUBLISHED, Status.CHANGES_REQUESTED):
        submission_resubmit(submission=listing, actor_label=OWNER_LABEL, note="Edited by the listed person.")
    else:
        # Still waiting for review: no new decision, but the new version is kept.
        moderation_record_revision(
            obj=listing, reason=ModerationRevision.Reason.RESUBMITTED, actor_label=OWNER_LABEL
        )
    return listing


@transaction.atomic
def listing_withdraw_by_owner(*, listing: Listing) -> None:
    """Immediate removal from public view, recorded in the history."""
    Listing.objects.filter(pk=listing.pk).update(token_version=F("token_version") + 1)
    listing.refresh_from_db()
    submission_withdraw(submission=listing, actor_label=OWNER_LABEL, note="Withdrawn by the listed person.")


@transaction.atomic
def listing_confirm(*, listing: Listing) -> None:
    """The listed person says the details are still right."""
    Listing.objects.filter(pk=listing.pk).update(
        last_confirmed=timezone.now(),
        reminder_sent_at=None,
        stale_hidden_at=None,
        token_version=F("token_version") + 1,
    )
    content_changed()  # a hidden listing may be public again
    listing.refresh_from_db()


def listing_send_manage_link(*, email: str) -> int:
    """E-mail a link to every live listing with this address. Returns how many
    were sent; the caller must not tell the user (it would reveal who is listed)."""
    listings = list(
        Listing.objects.filter(email__iexact=email.strip()).exclude(
            status__in=[Status.WITHDRAWN, Status.REJECTED]
        )
    )
    for listing in listings:
        hours = settings.DIRECTORY_MANAGE_LINK_MAX_AGE // 3600
        context = {"listing": listing, "link": manage_url(listing), "hours": hours}
        email_send(
            template="directory/email/manage_link.txt",
            to=listing.email,
            context=context,
            log_as=f"manage-link {listing.pk}",
        )
    return len(listings)


CONTACT_CONFIRM_PURPOSE = "contact-confirm"
CONTACT_REPORT_PURPOSE = "contact-report"


class RelayOutcome(enum.StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already-sent"


@dataclass(frozen=True)
class RelayTarget:
    """Whoever a relayed message goes to, as the relay's pages and e-mails
    need them: a listed professional, or the person who shared a case study.
    ``recipient`` is their address, never shown to the sender; ``name`` is
    how the sender sees them (a case study's sender stays unnamed)."""

    kind: str  # "listing" or "case_study": the ContactRequest field that holds it
    record: Listing | CaseStudy
    key: str  # in its addresses: the listing's reference, the case study's slug
    name: str
    caption: str
    recipient: str
    url_names: tuple[str, str, str]  # the form, "check your e-mail", the confirm link

    @property
    def page_url(self) -> str:
        return self.record.get_absolute_url()

    @property
    def form_url(self) -> str:
        return reverse(self.url_names[0], args=[self.key])

    @property
    def sent_url(self) -> str:
        return reverse(self.url_names[1], args=[self.key])

    def confirm_url(self, token: str) -> str:
        return reverse(self.url_names[2], args=[self.key, token])


def relay_target(record: Listing | CaseStudy) -> RelayTarget:
    if isinstance(record, CaseStudy):
        return RelayTarget(
            kind="case_study",
            record=record,
            key=record.slug,
            name="the person who shared this example",
            caption=record.title,
            recipient=record.submitter_email,
            url_names=("casestudies:ask", "casestudies:ask_sent", "casestudies:ask_confirm"),
        )
    return RelayTarget(
        kind="listing",
        record=record,
        key=record.reference,
        name=record.full_name,
        caption=f"{record.job_title}, {record.organisation}",
        recipient=record.email,
        url_names=("directory:connect", "directory:connect_sent", "directory:connect_confirm"),
    )


def contact_confirm_url(contact_request: ContactRequest) -> str:
    target = relay_target(contact_request.target)
    return absolute(target.confirm_url(make_token(contact_request, CONTACT_CONFIRM_PURPOSE)))


def contact_report_url(contact_request: ContactRequest) -> str:
    return absolute(reverse("directory:report", args=[make_token(contact_request, CONTACT_REPORT_PURPOSE)]))


@transaction.atomic
def contact_request_send(*, target: Listing | CaseStudy, data: dict) -> ContactRequest:
    """Store the message and e-mail the sender a link to confirm their
    address. Nothing goes to the recipient until they do, so the portal
    never sends text of someone's choosing to an address they do not
    hold; the e-mail to the sender holds none of what they typed."""
    relay = relay_target(target)
    contact_request = ContactRequest.objects.create(**{relay.kind: target}, **data)
    email_send(
        template="directory/email/contact_confirm.txt",
        to=contact_request.sender_email,
        context={
            "target": relay,
            "link": contact_confirm_url(contact_request),
            "hours": settings.DIRECTORY_CONTACT_CONFIRM_LINK_MAX_AGE // 3600,
            "connect_url": absolute(relay.form_url),
        },
        log_as=f"contact-confirm {contact_request.pk}",
    )
    return contact_request


@transaction.atomic
def contact_request_relay(*, contact_request: ContactRequest) -> RelayOutcome:
    """The sender confirmed: relay the message to its recipient (Reply-To
    the sender, with a link to report it) and send the sender a copy. Once
    only: the row is locked, so a second click, even at the same moment,
    finds it confirmed. Both e-mails are queued, so a failing mail server
    means a retry, not a lost message."""
    locked = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
    if locked.confirmed_at:
        return RelayOutcome.ALREADY_SENT
    target = relay_target(contact_request.target)
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["confirmed_at"])
    context = {
        "request": locked,
        "target": target,
        "site_url": settings.SITE_URL,
        "report_url": contact_report_url(locked),
        "report_days": settings.DIRECTORY_CONTACT_REPORT_LINK_DAYS,
    }
    email_send(
        template="directory/email/contact_request.txt",
        to=target.recipient,
        reply_to=[locked.sender_email],
        context=context,
        log_as=f"contact-request {locked.pk}",
        mark_emailed=locked,
    )
    email_send(
        template="directory/email/contact_confirmation.txt",
        to=locked.sender_email,
        context=context,
        log_as=f"contact-confirmation {locked.pk}",
    )
    return RelayOutcome.SENT


@transaction.atomic
def contact_request_report(*, contact_request: ContactRequest, reason: str, details: str) -> bool:
    """The recipient reports a relayed message as misuse: it is marked
    reported and the moderators are told, once. False if it already was."""
    reported = ContactRequest.objects.filter(pk=contact_request.pk, reported_at__isnull=True).update(
        reported_at=timezone.now(), report_reason=reason, report_details=details
    )
    if not reported:
        return False
    contact_request.refresh_from_db()
    email_send(
        template="directory/email/contact_reported.txt",
        to=settings.TASKFORCE_EMAIL,
        context={
            "request": contact_request,
            "target": relay_target(contact_request.target),
            "admin_url": absolute(
                reverse("admin:directory_contactrequest_change", args=[contact_request.pk])
            ),
            "reported_url": absolute(reverse("admin:directory_contactrequest_changelist") + "?reported=yes"),
        },
        log_as=f"contact-reported {contact_request.pk}",
    )
    return True


def listing_send_reminder(*, listing: Listing, hide_after_days: int) -> None:
    """Ask the listed person to confirm; says when an unconfirmed listing
    stops appearing (``hide_after_days`` after it was last confirmed)."""
    link = absolute(reverse("directory:confirm", args=[make_token(listing, CONFIRM_PURPOSE)]))
    manage = absolute(reverse("directory:manage_request"))
    hide_on = listing.last_confirmed + datetime.timedelta(days=hide_after_days)
    email_send(
        template="directory/email/reminder.txt",
        to=listing.email,
        context={"listing": listing, "link": link, "manage_link": manage, "hide_on": hide_on},
        log_as=f"reminder {listing.pk}",
    )
