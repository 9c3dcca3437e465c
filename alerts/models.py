"""E-mail alerts about newly published case studies.

A ``Topic`` is what a list of case studies was filtered by, as a normalised
query string that ``casestudies.filters.browse`` reads, so a topic is
evaluated by the same FilterSet as the page it came from. Each person's
``Subscription`` to a topic holds their address (it has to: we send to it),
how often they want e-mail, and when they confirmed it; a ``Delivery`` is the
record that a case study went to a subscription, so none goes twice.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as a case study is published"
    DAILY = "daily", "Once a day"
    WEEKLY = "weekly", "Once a week"


class TopicQuerySet(models.QuerySet):
    def with_followers(self):
        """Each topic with how many confirmed subscriptions follow it."""
        confirmed = models.Q(subscriptions__confirmed_at__isnull=False)
        return self.annotate(followers=models.Count("subscriptions", filter=confirmed))


class Topic(models.Model):
    query = models.CharField(
        max_length=1000, unique=True, help_text="The case-study filters, as the list's query string."
    )
    description = models.CharField(max_length=600)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["description", "pk"]
        verbose_name = "alert topic"

    def __str__(self):
        return self.description

    def list_url(self) -> str:
        base = reverse("casestudies:list")
        return f"{base}?{self.query}" if self.query else base


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def for_address(self, email: str):
        return self.filter(email__iexact=email.strip())


class Subscription(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="subscriptions")
    email = models.EmailField()
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(default=timezone.now)
    # Nothing is sent before this is set; unconfirmed sign-ups expire
    # (linkup/retention.py).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Bumped when the confirm link is used, so it works once (linkup/tokens.py).
    token_version = models.PositiveIntegerField(default=0)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "topic", name="alerts_subscription_one_per_address"),
        ]
        indexes = [models.Index(fields=["frequency", "topic"], name="alerts_subscription_due")]

    def __str__(self):
        # Never the address: it is shown nowhere.
        return f"Alert {self.pk}"


class Delivery(models.Model):
    """A case study e-mailed to a subscription: never sent to it again."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "case_study"], name="alerts_delivery_once"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"Case study {self.case_study_id} to alert {self.subscription_id}"
