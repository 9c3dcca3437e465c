"""factory_boy factories for e-mail alerts."""

import datetime

import factory
from django.http import QueryDict
from django.utils import timezone

from alerts.models import Frequency, Subscription, Topic
from alerts.topics import topic_read


def topic_for(query: str = "") -> Topic:
    """The topic a list's query string makes, as a sign-up makes it."""
    choice = topic_read(QueryDict(query))
    topic, _ = Topic.objects.get_or_create(query=choice.query, defaults={"description": choice.description})
    return topic


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    topic = factory.LazyFunction(topic_for)
    email = factory.Sequence(lambda n: f"follower{n}@example.gov.test")
    frequency = Frequency.WEEKLY
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    token_version = 1
