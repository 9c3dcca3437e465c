"""Sending alerts: the digests and "as soon as published", what each e-mail
holds, that nothing goes twice or unpublished, and the queries they make."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from alerts.digests import alert_email_send, alerts_send_digest
from alerts.models import Delivery, Frequency, Subscription
from alerts.topics import topic_read
from casestudies.models import CaseStudy
from linkup.models import ClientGroup, Region
from linkup.moderation import Status, submission_approve
from tests.alerts.factories import SubscriptionFactory, topic_for
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory
from tests.directory.factories import ListingFactory
from tests.hostile import HOSTILE

pytestmark = pytest.mark.django_db

TOPIC = "client_group=care-leavers&region=east-midlands"


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def places():
    return {
        "east_midlands": Region.objects.get(slug="east-midlands"),
        "london": Region.objects.get(slug="london"),
        "care": ClientGroup.objects.get(slug="care-leavers"),
        "ld": ClientGroup.objects.get(slug="adults-with-learning-disabilities"),
    }


def care_leavers_example(places, **kwargs):
    return CaseStudyFactory(region=places["east_midlands"], client_groups=[places["care"]], **kwargs)


def test_a_weekly_digest_lists_what_is_new_for_its_topic(places, run_jobs):
    subscription = SubscriptionFactory(topic=topic_for(TOPIC), frequency=Frequency.WEEKLY)
    new = care_leavers_example(places, title="Leaving care in Derby", published_at=hours_ago(30))
    care_leavers_example(places, title="Published before they signed up", published_at=hours_ago(24 * 40))
    CaseStudyFactory(title="Elsewhere", region=places["london"], published_at=hours_ago(3))
    UnpublishedCaseStudyFactory(
        title="Waiting for a moderator", region=places["east_midlands"], client_groups=[places["care"]]
    )
    SubscriptionFactory(topic=topic_for(TOPIC), frequency=Frequency.DAILY)

    assert alerts_send_digest(frequency=Frequency.WEEKLY) == 1
    assert not mail.outbox  # queued, not yet sent
    assert [job.status for job in run_jobs()] == ["succeeded"]
    [message] = mail.outbox
    assert message.to == [subscription.email]
    assert message.subject == "New case study: Case studies for care leavers in the East Midlands"
    assert "Leaving care in Derby" in message.body
    assert new.summary in message.body and "East Midlands" in message.body
    assert f"http://127.0.0.1:8000{new.get_absolute_url()}" in message.body
    for hidden in ("Published before", "Elsewhere", "Waiting for a moderator"):
        assert hidden not in message.body
    assert "/email-alerts/manage/" in message.body
    # RFC 8058 one-click unsubscribing.
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(
        "<http://127.0.0.1:8000/email-alerts/unsubscribe/"
    ) and unsubscribe.endswith(">")
    assert unsubscribe[1:-1] in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert list(Delivery.objects.values_list("subscription", "case_study")) == [(subscription.pk, new.pk)]


def test_nothing_is_sent_twice_and_nothing_when_nothing_is_new(places, run_jobs):
    SubscriptionFactory(topic=topic_for(TOPIC), frequency=Frequency.DAILY)
    first = care_leavers_example(places, published_at=hours_ago(5))
    assert alerts_send_digest(frequency=Frequency.DAILY) == 1
    assert alerts_send_digest(frequency=Frequency.DAILY) == 0
    second = care_leavers_example(places, published_at=hours_ago(1))
    assert alerts_send_digest(frequency=Frequency.DAILY) == 1
    run_jobs()
    assert second.title in mail.outbox[-1].body and first.title not in mail.outbox[-1].body
    assert len(mail.outbox) == 2


def test_nothing_goes_before_confirming_or_after_unpublishing(places, run_jobs):
    SubscriptionFactory(topic=topic_for(TOPIC), confirmed_at=None, token_version=0)
    withdrawn = care_leavers_example(places, published_at=hours_ago(2))
    assert alerts_send_digest(frequency=Frequency.WEEKLY) == 0
    SubscriptionFactory(topic=topic_for(TOPIC))
    CaseStudy.objects.filter(pk=withdrawn.pk).update(status=Status.WITHDRAWN)
    assert alerts_send_digest(frequency=Frequency.WEEKLY) == 0
    assert run_jobs() == []
    assert not mail.outbox


def test_immediate_alerts_go_when_a_moderator_publishes(places, moderator, run_jobs):
    immediate = SubscriptionFactory(topic=topic_for(TOPIC), frequency=Frequency.IMMEDIATE)
    SubscriptionFactory(topic=topic_for(TOPIC), frequency=Frequency.WEEKLY)
    SubscriptionFactory(topic=topic_for("region=london"), frequency=Frequency.IMMEDIATE)
    waiting = UnpublishedCaseStudyFactory(
        title="Just approved", region=places["east_midlands"], client_groups=[places["care"]]
    )
    submission_approve(submission=waiting, moderator=moderator)
    run_jobs()
    alerts = [message for message in mail.outbox if "List-Unsubscribe" in message.extra_headers]
    assert [message.to for message in alerts] == [[immediate.email]]
    assert "Just approved" in alerts[0].body
    # The catch-up run finds it already sent.
    assert alerts_send_digest(frequency=Frequency.IMMEDIATE) == 0


def test_failing_immediate_alerts_never_undo_the_decision(places, moderator, run_jobs, monkeypatch):
    # The alerts are queued inside the decision's transaction: a database
    # error in them must not leave that transaction unusable.
    def broken(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    monkeypatch.setattr("alerts.digests.alerts_send_published", broken)
    SubscriptionFactory(topic=topic_for(TOPIC), frequency=Frequency.IMMEDIATE)
    waiting = UnpublishedCaseStudyFactory(
        title="Approved all the same", region=places["east_midlands"], client_groups=[places["care"]]
    )
    submission_approve(submission=waiting, moderator=moderator)
    assert CaseStudy.objects.get(pk=waiting.pk).status == Status.PUBLISHED
    assert [job.status for job in run_jobs()] == ["succeeded"]
    [message] = mail.outbox  # the submitter hears of it; the alert waits for the catch-up run
    assert message.to == [waiting.submitter_email] and "List-Unsubscribe" not in message.extra_headers


def test_a_keyword_topic_is_searched_as_the_list_searches(places, run_jobs):
    subscription = SubscriptionFactory(topic=topic_for("q=tenancy"), frequency=Frequency.DAILY)
    CaseStudyFactory(title="Tenancy support for care leavers", published_at=hours_ago(2))
    CaseStudyFactory(title="Work placements", published_at=hours_ago(2))
    assert alerts_send_digest(frequency=Frequency.DAILY) == 1
    run_jobs()
    assert "Tenancy support" in mail.outbox[0].body and "Work placements" not in mail.outbox[0].body
    assert mail.outbox[0].to == [subscription.email]


def test_the_command_sends_one_frequency(places):
    SubscriptionFactory(topic=topic_for(TOPIC), frequency=Frequency.DAILY)
    care_leavers_example(places, published_at=hours_ago(2))
    out = io.StringIO()
    call_command("send_alerts", "--frequency", "weekly", stdout=out)
    assert "0 alert e-mails sent (weekly)" in out.getvalue()
    call_command("send_alerts", "--frequency", "daily", stdout=out)
    assert "1 alert e-mail sent (daily)" in out.getvalue()


def test_queries_do_not_grow_with_subscriptions_or_case_studies(places, count_queries, settings, run_jobs):
    settings.ALERTS_BATCH_SIZE = 1000

    def run_with(size):
        Subscription.objects.all().delete()
        CaseStudy.objects.all().delete()
        for n in range(size):
            care_leavers_example(places, published_at=hours_ago(1 + n % 20))
            CaseStudyFactory(region=places["london"], client_groups=[places["ld"]], published_at=hours_ago(2))
        for query in (TOPIC, "region=london", "q=housing"):
            SubscriptionFactory.create_batch(size, topic=topic_for(query), frequency=Frequency.DAILY)
        mail.outbox.clear()
        queries = count_queries(lambda: alerts_send_digest(frequency=Frequency.DAILY))
        run_jobs()
        assert len(mail.outbox) == 3 * size
        return queries

    assert run_with(5) == run_with(50)


def _params(keyword):
    params = QueryDict(mutable=True)
    params["q"] = keyword
    return params


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_keywords_and_text_make_safe_e_mails(name, run_jobs):
    hostile = HOSTILE[name].replace("\x00", "")
    topic = topic_for(_params(HOSTILE[name]).urlencode())
    keyword_alert = SubscriptionFactory(topic=topic, frequency=Frequency.DAILY)
    SubscriptionFactory(frequency=Frequency.DAILY)  # every new case study
    CaseStudyFactory(title=hostile[:200] or "x", summary=hostile[:600], published_at=hours_ago(1))
    assert alerts_send_digest(frequency=Frequency.DAILY) >= 1
    # The keyword's own alert, whether or not the search found the example.
    alert_email_send(subscription=keyword_alert, case_studies=[])
    run_jobs()
    for message in mail.outbox:
        serialised = message.message().as_string()
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "Bcc:" not in serialised
    assert topic.description in mail.outbox[-1].subject


def test_a_directory_search_is_never_an_alert_topic(client):
    ListingFactory(show_contact=True)
    choice = topic_read(QueryDict("area=derby&agency=probation&q=housing&open_to=anyone"))
    assert choice.query == "q=housing&agency=probation"
    assert choice.description.startswith("Case studies")
    # No directory page offers alerts.
    for url in (reverse("directory:home"), reverse("directory:search") + "?q=housing"):
        assert reverse("alerts:signup") not in client.get(url).content.decode()
