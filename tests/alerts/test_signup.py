"""Signing up to an alert, confirming it, managing it and leaving it: the
pages, the e-mails, the honeypot and the limits."""

import datetime
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from alerts.models import Frequency, Subscription, Topic
from alerts.services import (
    CONFIRM_PURPOSE,
    MANAGE_PURPOSE,
    UNSUBSCRIBE_PURPOSE,
    manage_url,
    unsubscribe_url,
)
from linkup.retention import retention_apply
from linkup.tokens import make_token
from tests.alerts.factories import SubscriptionFactory, topic_for

pytestmark = pytest.mark.django_db

ADDRESS = "sam.social-worker@derby.gov.test"
TOPIC = "client_group=care-leavers&region=east-midlands"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks, run_jobs):
    """A POST whose e-mails (queued after its transaction commits) are sent."""

    def send(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(*args, **kwargs)
        run_jobs()
        return response

    return send


def signup_url(query=TOPIC):
    return f"{reverse('alerts:signup')}?{query}"


def link_in(message, name):
    return re.search(rf"http://[^\s]+/email-alerts/{name}/[^\s]+/", message.body).group(0)


def path_of(url):
    return url.removeprefix("http://127.0.0.1:8000")


def test_the_form_describes_the_topic_in_words(client):
    response = client.get(signup_url(TOPIC + "&q=tenancy&sort=title"))
    assert response.status_code == 200
    assert "Case studies for care leavers in the East Midlands about ‘tenancy’" in response.content.decode()


def test_sign_up_sends_only_a_confirm_link(client, post):
    response = post(signup_url(), {"email": ADDRESS, "frequency": "weekly"})
    assert response.status_code == 302 and response.url == reverse("alerts:check_email")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.topic.query == "region=east-midlands&client_group=care-leavers"
    assert subscription.frequency == Frequency.WEEKLY
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert "Case studies for care leavers in the East Midlands" in message.body
    assert "/email-alerts/confirm/" in message.body
    assert client.get(reverse("alerts:check_email")).status_code == 200


def test_errors_are_shown_and_the_other_answer_kept(post):
    response = post(signup_url(), {"email": "not an address", "frequency": "daily"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Enter an e-mail address in the correct format" in body
    assert 'value="daily" checked' in body
    response = post(signup_url(), {"email": ADDRESS, "frequency": "hourly"})
    assert "Select how often you want to get e-mails" in response.content.decode()
    assert not Subscription.objects.exists() and not mail.outbox


def test_confirming_opens_a_page_and_the_button_starts_the_alert(client, post):
    post(signup_url(), {"email": ADDRESS, "frequency": "daily"})
    confirm = path_of(link_in(mail.outbox[0], "confirm"))
    # A mail scanner following the link changes nothing.
    assert client.get(confirm).status_code == 200
    assert Subscription.objects.get().confirmed_at is None
    response = client.post(confirm)
    assert response.status_code == 200
    assert "You have signed up" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is not None
    # The link works once.
    assert client.get(confirm).status_code == 404
    assert client.post(confirm).status_code == 404


def test_an_expired_or_forged_confirm_link_does_nothing(client):
    subscription = SubscriptionFactory(confirmed_at=None, token_version=0)
    token = make_token(subscription, CONFIRM_PURPOSE)
    assert client.post(reverse("alerts:confirm", args=["forged"])).status_code == 404
    # A link for another purpose is no confirm link.
    other = make_token(subscription, MANAGE_PURPOSE)
    assert client.post(reverse("alerts:confirm", args=[other])).status_code == 404
    with override_settings(ALERTS_CONFIRM_LINK_DAYS=0):
        assert client.post(reverse("alerts:confirm", args=[token])).status_code == 404
    assert Subscription.objects.get().confirmed_at is None


def test_signing_up_again_to_a_confirmed_alert_sends_its_manage_link(post):
    SubscriptionFactory(email=ADDRESS, topic=topic_for(TOPIC))
    response = post(signup_url(), {"email": ADDRESS.upper(), "frequency": "daily"})
    assert response.url == reverse("alerts:check_email")  # the page says the same either way
    assert Subscription.objects.count() == 1
    [message] = mail.outbox
    assert "/email-alerts/manage/" in message.body and "/confirm/" not in message.body


def test_an_unconfirmed_link_cannot_manage_or_unsubscribe(client):
    subscription = SubscriptionFactory(confirmed_at=None, token_version=0)
    for name, purpose in (("alerts:manage", MANAGE_PURPOSE), ("alerts:unsubscribe", UNSUBSCRIBE_PURPOSE)):
        assert client.get(reverse(name, args=[make_token(subscription, purpose)])).status_code == 404


def test_the_honeypot_saves_nothing_and_says_the_same(post):
    response = post(signup_url(), {"email": ADDRESS, "frequency": "weekly", "website": "spam.example"})
    assert response.url == reverse("alerts:check_email")
    assert not Subscription.objects.exists() and not mail.outbox


def test_sign_ups_are_limited_per_client_and_per_address(client):
    with override_settings(ALERTS_SIGNUP_LIMIT_PER_HOUR=3, ALERTS_SIGNUP_EMAIL_LIMIT_PER_HOUR=2):
        for region in ("london", "north-east"):
            assert (
                client.post(
                    signup_url(f"region={region}"), {"email": ADDRESS, "frequency": "daily"}
                ).status_code
                == 302
            )
        # A third sign-up for this address, from another client.
        response = client.post(
            signup_url("region=south-west"), {"email": ADDRESS, "frequency": "daily"}, REMOTE_ADDR="10.0.0.9"
        )
        assert response.status_code == 429
        # Another address from the first client: its fourth attempt.
        assert (
            client.post(signup_url(), {"email": "other@example.gov.test", "frequency": "daily"}).status_code
            == 302
        )
        assert (
            client.post(signup_url(), {"email": "third@example.gov.test", "frequency": "daily"}).status_code
            == 429
        )
    assert Subscription.objects.count() == 3


def test_manage_changes_the_frequency(client):
    subscription = SubscriptionFactory(frequency=Frequency.WEEKLY)
    url = path_of(manage_url(subscription))
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert subscription.topic.description in body and subscription.email not in body
    response = client.post(url, {"action": "frequency", "frequency": "immediate"})
    assert "You will now get these e-mails as soon as a case study is published" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.IMMEDIATE
    response = client.post(url, {"action": "frequency", "frequency": ""})
    assert "Select how often you want to get e-mails" in response.content.decode()


def test_manage_leaves_every_alert_of_that_address_only(client):
    subscription = SubscriptionFactory(email=ADDRESS)
    SubscriptionFactory(email=ADDRESS.upper(), topic=topic_for("region=london"))
    someone_else = SubscriptionFactory(topic=topic_for("region=london"))
    response = client.post(path_of(manage_url(subscription)), {"action": "end-all"})
    assert "You have unsubscribed" in response.content.decode()
    assert list(Subscription.objects.all()) == [someone_else]


def test_unsubscribe_asks_on_get_and_ends_on_a_one_click_post_without_csrf(client):
    from django.test import Client

    subscription = SubscriptionFactory()
    url = path_of(unsubscribe_url(subscription))
    assert client.get(url).status_code == 200
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    # RFC 8058: the mail program's POST, with no CSRF token and no page.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    # Once gone, the link says so.
    assert client.get(url).status_code == 404


def test_no_page_shows_an_address(client):
    subscription = SubscriptionFactory(email=ADDRESS)
    for url in (manage_url(subscription), unsubscribe_url(subscription)):
        assert ADDRESS not in client.get(path_of(url)).content.decode()


def test_unconfirmed_sign_ups_expire_and_unfollowed_topics_go():
    now = timezone.now()
    old = SubscriptionFactory(confirmed_at=None, topic=topic_for("region=london"))
    Subscription.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=8))
    Topic.objects.filter(pk=old.topic_id).update(created_at=now - datetime.timedelta(days=8))
    fresh = SubscriptionFactory(confirmed_at=None)
    confirmed = SubscriptionFactory(topic=topic_for("region=north-east"))
    Subscription.objects.filter(pk=confirmed.pk).update(created_at=now - datetime.timedelta(days=400))
    counts = retention_apply(now=now)
    assert counts["unconfirmed alert sign-ups deleted"] == 1
    assert counts["alert topics nobody follows deleted"] == 1
    assert set(Subscription.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}
    assert not Topic.objects.filter(query="region=london").exists()


def test_staff_see_how_many_follow_each_topic_never_who(staff_client):
    topic = topic_for(TOPIC)
    SubscriptionFactory(topic=topic, email=ADDRESS)
    SubscriptionFactory(topic=topic)
    SubscriptionFactory(topic=topic, confirmed_at=None)
    response = staff_client.get(reverse("admin:alerts_topic_changelist"))
    body = response.content.decode()
    assert response.status_code == 200
    assert topic.description in body
    assert re.search(r'class="field-followers">2<', body)
    assert ADDRESS not in body and "@example.gov.test" not in body
    assert staff_client.get(reverse("admin:alerts_topic_change", args=[topic.pk])).status_code == 200
    assert staff_client.post(reverse("admin:alerts_topic_delete", args=[topic.pk])).status_code == 403
