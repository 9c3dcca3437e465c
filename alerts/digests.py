"""Sending alerts: as soon as a case study is published, and the daily and
weekly digests.

The queries are bounded, however many people subscribe: the new case
studies are read once; each distinct topic is evaluated once, through the
list's own FilterSet, against just those; then subscriptions are read a
batch at a time, with what each batch was already sent. A subscription is
sent only case studies published after it was confirmed and never sent to
it before, and a digest with nothing new is not sent at all.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from alerts.models import Delivery, Frequency, Subscription, Topic
from alerts.services import manage_url, unsubscribe_headers, unsubscribe_url
from casestudies.filters import browse
from casestudies.models import CaseStudy
from linkup.moderation import Status
from linkup.notifications import absolute, email_prepare, emails_queue

logger = logging.getLogger(__name__)

# How far back a run looks for case studies not yet sent: twice a digest's
# period, so one that ran late still finds everything (what was sent is
# recorded, so nothing goes twice). For "as soon as published", a run of
# the command catches up on any the publish hook could not send.
LOOKBACK = {
    Frequency.IMMEDIATE: datetime.timedelta(days=1),
    Frequency.DAILY: datetime.timedelta(days=2),
    Frequency.WEEKLY: datetime.timedelta(days=14),
}


@dataclass(frozen=True)
class NewCaseStudy:
    """What an alert says about a case study."""

    pk: int
    title: str
    summary: str
    region: str
    url: str
    published_at: datetime.datetime


def _new_case_studies(case_studies) -> dict[int, NewCaseStudy]:
    rows = (
        case_studies.published()
        .order_by("-published_at", "-pk")
        .values_list("pk", "title", "slug", "summary", "region__name", "published_at")
    )
    return {
        pk: NewCaseStudy(pk, title, summary, region, absolute(reverse("casestudies:detail", args=[slug])), at)
        for pk, title, slug, summary, region, at in rows
    }


def _matches(topics, new: dict[int, NewCaseStudy]) -> dict[int, list[NewCaseStudy]]:
    """Topic id → the new case studies its filters find, newest first."""
    among = CaseStudy.objects.published().filter(pk__in=list(new))
    matches = {}
    for topic in topics:
        found = set(browse(QueryDict(topic.query), among).queryset.values_list("pk", flat=True))
        if found:
            matches[topic.pk] = [case_study for pk, case_study in new.items() if pk in found]
    return matches


def alerts_send(*, frequency: str, case_studies, now: datetime.datetime | None = None) -> int:
    """E-mail every confirmed subscription of ``frequency`` the published
    case studies among ``case_studies`` that its topic finds and it has not
    been sent. Returns how many e-mails were sent."""
    now = now or timezone.now()
    new = _new_case_studies(case_studies)
    if not new:
        return 0
    due = Subscription.objects.confirmed().filter(frequency=frequency)
    matches = _matches(Topic.objects.filter(pk__in=due.values("topic_id")).order_by("pk"), new)
    if not matches:
        return 0
    ids = list(due.filter(topic_id__in=list(matches)).order_by("pk").values_list("pk", flat=True))
    size = settings.ALERTS_BATCH_SIZE
    batches = (ids[start : start + size] for start in range(0, len(ids), size))
    return sum(_send_batch(batch, matches, new, now) for batch in batches)


@transaction.atomic
def _send_batch(ids: list[int], matches, new: dict[int, NewCaseStudy], now) -> int:
    # Locked, so two runs at once never both send; a run skips what another holds.
    subscriptions = list(
        Subscription.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=ids, confirmed_at__isnull=False)
        .select_related("topic")
        .order_by("pk")
    )
    sent_before = set(
        Delivery.objects.filter(subscription__in=subscriptions, case_study_id__in=list(new)).values_list(
            "subscription_id", "case_study_id"
        )
    )
    deliveries, emails = [], []
    for subscription in subscriptions:
        unsent = [
            case_study
            for case_study in matches[subscription.topic_id]
            if case_study.published_at >= subscription.confirmed_at
            and (subscription.pk, case_study.pk) not in sent_before
        ]
        email = alert_email_prepare(subscription=subscription, case_studies=unsent) if unsent else None
        if email is not None:
            emails.append(email)
            deliveries += [
                Delivery(subscription=subscription, case_study_id=c.pk, sent_at=now) for c in unsent
            ]
    # The batch's e-mails are queued together, so a run's queries do not grow
    # with the number of subscriptions.
    emails_queue(emails)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(emails)


def alert_email_prepare(*, subscription: Subscription, case_studies: list[NewCaseStudy]):
    """The alert e-mail, rendered and checked, for ``emails_queue``."""
    return email_prepare(
        template="alerts/email/alert.txt",
        to=subscription.email,
        context={
            "topic": subscription.topic,
            "case_studies": case_studies,
            "frequency": subscription.frequency,
            "manage_url": manage_url(subscription),
            "unsubscribe_url": unsubscribe_url(subscription),
        },
        log_as=f"alert {subscription.pk}",
        headers=unsubscribe_headers(subscription),
    )


def alert_email_send(*, subscription: Subscription, case_studies: list[NewCaseStudy]) -> bool:
    """Queue one alert e-mail; returns whether it was queued."""
    email = alert_email_prepare(subscription=subscription, case_studies=case_studies)
    if email is None:
        return False
    emails_queue([email])
    return True


def alerts_send_digest(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """A run for one frequency (the daily or weekly digest): what was
    published in its look-back period."""
    now = now or timezone.now()
    recent = CaseStudy.objects.filter(published_at__gt=now - LOOKBACK[frequency], published_at__lte=now)
    return alerts_send(frequency=frequency, case_studies=recent, now=now)


def alerts_send_published(*, case_study: CaseStudy) -> int:
    """The "as soon as published" alerts about one case study."""
    return alerts_send(frequency=Frequency.IMMEDIATE, case_studies=CaseStudy.objects.filter(pk=case_study.pk))


def case_study_decided(sender, instance, event, **kwargs) -> None:
    """In the decision's transaction: a case study just published is queued
    for those who asked to hear at once. A failure here is logged and never
    undoes the decision, nor stops the other e-mails about it: its own
    savepoint rolls back only what it did, so the transaction goes on."""
    if event.to_status != Status.PUBLISHED:
        return
    try:
        with transaction.atomic():
            alerts_send_published(case_study=instance)
    except Exception as error:
        logger.error("Could not send the alerts for case study %s (%s)", instance.pk, type(error).__name__)
