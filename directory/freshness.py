"""Keeping the directory fresh: remind at 12 months, hide at 18 (both
settings, both overridable by the command's options)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from linkup.pagecache import content_changed

from .models import Listing
from .services import listing_send_reminder


def listings_remind(*, days: int, now=None, hide_days: int | None = None) -> int:
    """E-mail each public listing unconfirmed for ``days`` once (until it is
    confirmed again), saying when it will be hidden (``hide_days`` after its
    last confirmation). Each reminder is marked sent and queued in one
    transaction, so it is never lost or sent twice."""
    now = now or timezone.now()
    hide_days = settings.DIRECTORY_HIDE_AFTER_DAYS if hide_days is None else hide_days
    cutoff = now - datetime.timedelta(days=days)
    due = (
        Listing.objects.public()
        .filter(last_confirmed__lt=cutoff)
        .filter(Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=F("last_confirmed")))
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Listing.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ) or (
                Listing.objects.filter(pk=pk, reminder_sent_at__lt=F("last_confirmed")).update(
                    reminder_sent_at=now
                )
            )
            if claimed:
                listing_send_reminder(listing=Listing.objects.get(pk=pk), hide_after_days=hide_days)
                sent += 1
    return sent


def listings_hide_stale(*, days: int, now=None) -> int:
    now = now or timezone.now()
    hidden = Listing.objects.public().stale(days=days, now=now).update(stale_hidden_at=now)
    content_changed()
    return hidden
