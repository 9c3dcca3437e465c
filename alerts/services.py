"""Signing up to, confirming, changing and leaving e-mail alerts.

Every e-mail goes through ``linkup.notifications.email_send``. A sign-up
sends only a confirm link: nothing else is sent to an address until the
person follows it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription, Topic
from alerts.topics import TopicChoice
from linkup.notifications import absolute, email_send
from linkup.tokens import make_token, read_token

CONFIRM_PURPOSE = "alert-confirm"
MANAGE_PURPOSE = "alert-manage"
UNSUBSCRIBE_PURPOSE = "alert-unsubscribe"
DAY = 24 * 60 * 60


def confirm_url(subscription: Subscription) -> str:
    return absolute(reverse("alerts:confirm", args=[make_token(subscription, CONFIRM_PURPOSE)]))


def manage_url(subscription: Subscription) -> str:
    return absolute(reverse("alerts:manage", args=[make_token(subscription, MANAGE_PURPOSE)]))


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[make_token(subscription, UNSUBSCRIBE_PURPOSE)]))


def subscription_from_token(token: str, purpose: str) -> Subscription | None:
    """The subscription a link names, or None if the link is forged, expired,
    used (a confirm link) or its subscription is gone."""
    days = settings.ALERTS_CONFIRM_LINK_DAYS if purpose == CONFIRM_PURPOSE else settings.ALERTS_LINK_DAYS
    max_age = days * DAY
    subscription = read_token(Subscription, token, purpose, max_age=max_age)
    if subscription is not None and purpose != CONFIRM_PURPOSE and subscription.confirmed_at is None:
        return None
    return subscription


def unsubscribe_headers(subscription: Subscription) -> dict[str, str]:
    """RFC 8058 one-click unsubscribing: mail programs POST to the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@transaction.atomic
def subscription_request(*, email: str, topic: TopicChoice, frequency: str) -> None:
    """Sign ``email`` up to ``topic``, unconfirmed, and send the confirm link.
    An address already following the topic is sent its manage link instead,
    so the page never says whether an address is signed up."""
    email = email.strip()
    topic_row, _ = Topic.objects.get_or_create(query=topic.query, defaults={"description": topic.description})
    subscription = Subscription.objects.select_for_update().for_address(email).filter(topic=topic_row).first()
    if subscription is not None and subscription.confirmed_at is not None:
        context = {"topic": topic_row, "manage_url": manage_url(subscription)}
        template = "alerts/email/already_subscribed.txt"
    else:
        if subscription is None:
            subscription = Subscription.objects.create(topic=topic_row, email=email, frequency=frequency)
        else:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
        context = {
            "topic": topic_row,
            "frequency": subscription.get_frequency_display().lower(),
            "confirm_url": confirm_url(subscription),
            "days": settings.ALERTS_CONFIRM_LINK_DAYS,
        }
        template = "alerts/email/confirm.txt"
    email_send(template=template, to=email, context=context, log_as=f"alert sign-up {subscription.pk}")


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """Start the alert. The confirm link stops working."""
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.token_version += 1
    subscription.save(update_fields=["confirmed_at", "token_version"])
    return subscription


def subscription_change(*, subscription: Subscription, frequency: str) -> None:
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])


def subscription_end(*, subscription: Subscription) -> None:
    """Stop this alert: the subscription and its record of what was sent go."""
    Subscription.objects.filter(pk=subscription.pk).delete()


def subscriptions_end_all(*, subscription: Subscription) -> int:
    """Stop every alert to this subscription's address; how many there were."""
    _, deleted = Subscription.objects.for_address(subscription.email).delete()
    return deleted.get(Subscription._meta.label, 0)
