"""The retention schedule: each rule ages records past its period and
checks they are gone or anonymised, while younger ones are untouched."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription, Topic
from casestudies.models import CaseStudy, CaseStudyLink
from directory.models import ContactRequest, Listing
from feedback.models import Feedback, Problem
from linkup.audit import AuditEvent
from linkup.models import QueuedEmail, RateLimitCounter, SearchWord
from linkup.moderation import ModerationClaim, ModerationEvent, Status, moderation_record_submission
from linkup.notifications import email_send
from linkup.retention import REMOVED, SCHEDULE, months_ago, retention_apply
from tests.alerts.factories import SubscriptionFactory
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory
from tests.directory.factories import ContactRequestFactory, ListingFactory
from tests.linkup.test_jobs import CONTEXT, TEMPLATE

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def aged(obj, *, months, field="updated_at"):
    """Make ``obj`` look ``months`` months (and a day) older, bypassing auto_now."""
    moment = months_ago(NOW, months) - datetime.timedelta(days=1)
    type(obj).objects.filter(pk=obj.pk).update(**{field: moment})
    return moment


def test_months_ago_keeps_to_the_calendar():
    moment = datetime.datetime(2026, 3, 31, 9, 30, tzinfo=datetime.UTC)
    assert months_ago(moment, 1) == datetime.datetime(2026, 2, 28, 9, 30, tzinfo=datetime.UTC)
    assert months_ago(moment, 12) == datetime.datetime(2025, 3, 31, 9, 30, tzinfo=datetime.UTC)
    assert months_ago(moment, 26) == datetime.datetime(2024, 1, 31, 9, 30, tzinfo=datetime.UTC)


def test_unpublished_case_studies_lose_submitter_details_and_text_after_12_months():
    old = UnpublishedCaseStudyFactory(status=Status.REJECTED)
    CaseStudyLink.objects.create(case_study=old, title="Our report", url="https://example.test/report")
    moderation_record_submission(obj=old, note="Priya asked us to call her on 01632 960001")
    aged(old, months=12)
    young = UnpublishedCaseStudyFactory(status=Status.WITHDRAWN)
    aged(young, months=11)
    awaiting = UnpublishedCaseStudyFactory(status=Status.SUBMITTED)
    aged(awaiting, months=24)
    published = CaseStudyFactory()
    aged(published, months=24)

    counts = retention_apply(now=NOW)

    assert counts["unpublished case studies anonymised"] == 1
    old.refresh_from_db()
    assert (old.submitter_name, old.submitter_email, old.submitter_phone, old.submitter_organisation) == (
        "",
        "",
        "",
        "",
    )
    assert old.title == REMOVED and old.challenge == "" and old.summary == ""
    assert old.slug == f"removed-{old.reference.lower()}"
    assert old.personal_data_removed_at is not None
    assert not CaseStudyLink.objects.filter(case_study=old).exists()
    (event,) = ModerationEvent.objects.for_object(old)
    assert event.note == REMOVED and event.to_status == Status.REJECTED
    for untouched in (young, awaiting, published):
        untouched.refresh_from_db()
        assert untouched.submitter_email == "priya.submitter@example.test"
        assert untouched.title.startswith(("Unpublished", "Joint"))


def test_staff_can_keep_an_unpublished_examples_text_for_a_stated_reason():
    kept = UnpublishedCaseStudyFactory(
        status=Status.CHANGES_REQUESTED, retention_keep_reason="Evidence for the taskforce's 2027 review"
    )
    aged(kept, months=13)
    retention_apply(now=NOW)
    kept.refresh_from_db()
    assert kept.submitter_email == "" and kept.submitter_name == ""
    assert kept.title.startswith("Unpublished secret example")
    assert kept.challenge


def test_relayed_message_text_goes_after_6_months_keeping_who_to_whom_and_when():
    old = ContactRequestFactory(
        created_at=months_ago(NOW, 6) - datetime.timedelta(days=1),
        reported_at=NOW,
        report_reason="abuse",
        report_details="It said: you will regret this",
    )
    young = ContactRequestFactory(created_at=months_ago(NOW, 6) + datetime.timedelta(days=1))
    retention_apply(now=NOW)
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.message == REMOVED and old.report_details == REMOVED
    assert old.sender_email and old.listing_id and old.created_at
    assert old.reported_at and old.report_reason == "abuse"
    assert young.message == "Can we talk about joint working?"


def test_unconfirmed_requests_to_connect_are_deleted_once_their_link_has_expired(settings):
    settings.DIRECTORY_CONTACT_CONFIRM_LINK_MAX_AGE = 24 * 60 * 60
    day = datetime.timedelta(days=1)
    minute = datetime.timedelta(minutes=1)
    expired = ContactRequestFactory(created_at=NOW - day - minute, confirmed_at=None, emailed_at=None)
    waiting = ContactRequestFactory(created_at=NOW - day + minute, confirmed_at=None, emailed_at=None)
    # Confirmed, so relayed, its e-mail still waiting in the queue: kept.
    confirmed = ContactRequestFactory(created_at=NOW - 2 * day, confirmed_at=NOW - 2 * day, emailed_at=None)
    relayed = ContactRequestFactory(created_at=NOW - 2 * day)
    counts = retention_apply(now=NOW)
    assert counts["unconfirmed requests to connect deleted"] == 1
    assert set(ContactRequest.objects.values_list("pk", flat=True)) == {waiting.pk, confirmed.pk, relayed.pk}
    assert not ContactRequest.objects.filter(pk=expired.pk).exists()


def test_withdrawn_or_long_hidden_listings_are_deleted_after_12_months(django_user_model):
    # Published once, so its words are in the typo vocabulary.
    withdrawn = ListingFactory(full_name="Withdrawnperson Smith")
    Listing.objects.filter(pk=withdrawn.pk).update(status=Status.WITHDRAWN)
    recently_withdrawn = ListingFactory(status=Status.WITHDRAWN)
    moderator = django_user_model.objects.create_user("mod", "mod@linkup.test", "x" * 16, is_staff=True)
    LogEntry.objects.log_actions(moderator.pk, [withdrawn, recently_withdrawn], CHANGE)
    assert SearchWord.objects.filter(word="withdrawnperson").exists()
    moderation_record_submission(obj=withdrawn, note="Sent by Test Person on 0115 496 0000")
    aged(withdrawn, months=12)
    ContactRequestFactory(listing=withdrawn)
    hidden = ListingFactory()
    aged(hidden, months=12, field="stale_hidden_at")
    recently_hidden = ListingFactory()
    aged(recently_hidden, months=11, field="stale_hidden_at")
    aged(recently_withdrawn, months=11)
    published = ListingFactory()
    aged(published, months=30)

    counts = retention_apply(now=NOW)

    assert counts["closed directory listings deleted"] == 2
    assert not SearchWord.objects.filter(word="withdrawnperson").exists()
    remaining = set(Listing.objects.values_list("pk", flat=True))
    assert remaining == {recently_hidden.pk, recently_withdrawn.pk, published.pk}
    assert not ContactRequest.objects.filter(listing_id=withdrawn.pk).exists()
    # The decision stays in the history, without the note about the person.
    (event,) = ModerationEvent.objects.filter(object_id=withdrawn.pk, content_type__model="listing")
    assert event.note == REMOVED
    # So does admin's change history, without the person's name.
    names = dict(LogEntry.objects.values_list("object_id", "object_repr"))
    assert names[str(withdrawn.pk)] == REMOVED
    assert names[str(recently_withdrawn.pk)] == str(recently_withdrawn)


def test_notes_of_records_removed_by_other_means_are_removed_too():
    listing = ListingFactory()
    moderation_record_submission(obj=listing, note="Call Test Person on 0115 496 0999")
    other = ListingFactory()
    kept_event = moderation_record_submission(obj=other, note="Listed by their manager")
    Listing.objects.filter(pk=listing.pk).delete()

    retention_apply(now=NOW)

    (event,) = ModerationEvent.objects.filter(object_id=listing.pk, content_type__model="listing")
    assert event.note == REMOVED
    assert ModerationEvent.objects.get(pk=kept_event.pk).note == "Listed by their manager"


def test_emails_that_could_not_be_sent_are_deleted_after_1_month(settings, run_jobs):
    settings.EMAIL_BACKEND = "tests.linkup.test_jobs.FailingBackend"
    settings.EMAIL_SEND_ATTEMPTS = 1

    def email(about):
        email_send(template=TEMPLATE, to="jo@example.gov.test", context=CONTEXT, log_as=about)
        return QueuedEmail.objects.get(about=about)

    old_failed, young_failed = email("old failed"), email("young failed")
    assert {job.status for job in run_jobs()} == {"failed"}
    # Waiting for as long (the worker was down, say): it is still to be sent.
    old_waiting = email("old waiting")
    aged(old_failed, months=1, field="created_at")
    aged(old_waiting, months=1, field="created_at")
    QueuedEmail.objects.filter(pk=young_failed.pk).update(
        created_at=months_ago(NOW, 1) + datetime.timedelta(days=1)
    )

    counts = retention_apply(now=NOW)

    assert counts["e-mails that could not be sent deleted"] == 1
    assert set(QueuedEmail.objects.values_list("about", flat=True)) == {"young failed", "old waiting"}
    assert QueuedEmail.objects.get(about="old waiting").to == "jo@example.gov.test"


def test_lapsed_moderation_claims_are_deleted(settings, moderator):
    settings.MODERATION_CLAIM_HOURS = 2
    lapsed, current = ListingFactory(status=Status.SUBMITTED), ListingFactory(status=Status.SUBMITTED)
    for listing, hours in ((lapsed, 2.1), (current, 1.9)):
        ModerationClaim.objects.create(
            content_type=ContentType.objects.get_for_model(Listing),
            object_id=listing.pk,
            user=moderator,
            claimed_at=NOW - datetime.timedelta(hours=hours),
        )
    counts = retention_apply(now=NOW)
    assert counts["lapsed moderation claims deleted"] == 1
    assert list(ModerationClaim.objects.values_list("object_id", flat=True)) == [current.pk]


def test_expired_rate_limit_counters_and_sessions_are_deleted():
    RateLimitCounter.objects.create(
        key="old", window_start=1, hits=3, expires_at=NOW - datetime.timedelta(seconds=1)
    )
    live = RateLimitCounter.objects.create(
        key="live", window_start=2, hits=1, expires_at=NOW + datetime.timedelta(minutes=1)
    )
    Session.objects.create(
        session_key="a" * 32, session_data="x", expire_date=NOW - datetime.timedelta(hours=1)
    )
    Session.objects.create(
        session_key="b" * 32, session_data="x", expire_date=NOW + datetime.timedelta(hours=1)
    )

    retention_apply(now=NOW)

    assert list(RateLimitCounter.objects.values_list("pk", flat=True)) == [live.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_the_audit_trail_is_kept_2_years():
    old = AuditEvent.objects.create(kind="signed_in", username="moderator", created_at=months_ago(NOW, 25))
    young = AuditEvent.objects.create(kind="signed_in", username="moderator", created_at=months_ago(NOW, 23))
    retention_apply(now=NOW)
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=young.pk).exists()


def test_sign_in_records_are_kept_2_years_and_lockout_counts_until_they_expire():
    old_log = AccessLog.objects.create(username="moderator", ip_address="192.0.2.1")
    young_log = AccessLog.objects.create(username="moderator", ip_address="192.0.2.1")
    old_failure = AccessFailureLog.objects.create(username="ghost", ip_address="192.0.2.1")
    AccessLog.objects.filter(pk=old_log.pk).update(attempt_time=months_ago(NOW, 25))
    AccessFailureLog.objects.filter(pk=old_failure.pk).update(attempt_time=months_ago(NOW, 25))
    expired = AccessAttempt.objects.create(username="ghost", ip_address="192.0.2.1", failures_since_start=2)
    AccessAttempt.objects.filter(pk=expired.pk).update(attempt_time=NOW - datetime.timedelta(hours=1))
    current = AccessAttempt.objects.create(username="other", ip_address="192.0.2.2", failures_since_start=1)

    retention_apply(now=NOW)

    assert list(AccessLog.objects.values_list("pk", flat=True)) == [young_log.pk]
    assert not AccessFailureLog.objects.exists()
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [current.pk]


def test_every_rule_of_the_schedule_acts_on_a_row_past_its_period(moderator):
    """One row past its period for every rule: a rule added to the schedule
    without one here (and its own test above) fails this."""
    long_ago = months_ago(NOW, 30)
    aged(UnpublishedCaseStudyFactory(status=Status.REJECTED), months=13)
    ContactRequestFactory(created_at=long_ago)
    ContactRequestFactory(created_at=long_ago, confirmed_at=None, emailed_at=None)
    Feedback.objects.create(path="/toolkit/", problem=Problem.WRONG, email="reporter@example.test")
    Feedback.objects.update(created_at=long_ago)
    aged(ListingFactory(status=Status.WITHDRAWN), months=13)
    gone = ListingFactory()
    moderation_record_submission(obj=gone, note="Rang Test Person")
    Listing.objects.filter(pk=gone.pk).delete()
    ModerationClaim.objects.create(
        content_type=ContentType.objects.get_for_model(Listing),
        object_id=ListingFactory(status=Status.SUBMITTED).pk,
        user=moderator,
        claimed_at=long_ago,
    )
    QueuedEmail.objects.create(kind=TEMPLATE, about="lost", to="jo@example.test", subject="s", body="b")
    QueuedEmail.objects.update(created_at=long_ago)
    unconfirmed = SubscriptionFactory(confirmed_at=None)
    Subscription.objects.filter(pk=unconfirmed.pk).update(created_at=long_ago)
    Topic.objects.create(query="q=nobody", description="Nobody's topic", created_at=long_ago)
    RateLimitCounter.objects.create(key="k", window_start=1, hits=1, expires_at=long_ago)
    Session.objects.create(session_key="c" * 32, session_data="x", expire_date=long_ago)
    AccessAttempt.objects.create(username="u", ip_address="192.0.2.1", failures_since_start=1)
    AccessLog.objects.create(username="u", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="u", ip_address="192.0.2.1")
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.update(attempt_time=long_ago)
    AuditEvent.objects.create(kind="signed_in", username="moderator", created_at=long_ago)

    counts = retention_apply(now=NOW)

    assert [rule.name for rule in SCHEDULE if not counts[rule.name]] == []


def test_a_run_records_counts_only_and_a_second_run_does_nothing():
    old = UnpublishedCaseStudyFactory(status=Status.REJECTED)
    aged(old, months=13)
    ContactRequestFactory(created_at=months_ago(NOW, 7), message="Please ring Sam Sender")

    first = retention_apply(now=NOW)
    entries = AuditEvent.objects.filter(kind=AuditEvent.Kind.RETENTION_APPLIED)
    details = sorted(entries.values_list("detail", flat=True))
    assert details == ["relayed message texts removed: 1", "unpublished case studies anonymised: 1"]
    recorded = " ".join(f"{e.username} {e.detail}" for e in entries)
    for personal in ("priya", "Priya", "Sam Sender", "example.gov.test", "01632"):
        assert personal not in recorded

    second = retention_apply(now=NOW)
    assert sum(first.values()) >= 2
    assert set(second.values()) == {0}
    assert (
        AuditEvent.objects.filter(kind=AuditEvent.Kind.RETENTION_APPLIED, detail="nothing was due").count()
        == 1
    )


def test_more_rows_than_one_batch_are_all_handled(django_assert_max_num_queries):
    listing = ListingFactory()
    old = months_ago(NOW, 7)
    ContactRequest.objects.bulk_create(
        ContactRequestFactory.build(listing=listing, created_at=old, sender_email=f"s{n}@example.test")
        for n in range(25)
    )
    counts = retention_apply(now=NOW, batch_size=10)
    assert counts["relayed message texts removed"] == 25
    assert set(ContactRequest.objects.values_list("message", flat=True)) == {REMOVED}


def test_each_batch_is_its_own_transaction(monkeypatch):
    """A failure in a later batch leaves the earlier batches done."""
    from linkup import retention

    listing = ListingFactory()
    ContactRequest.objects.bulk_create(
        ContactRequestFactory.build(listing=listing, created_at=months_ago(NOW, 7)) for _ in range(5)
    )
    calls = []
    real = retention.contact_messages_remove

    def failing_second_batch(*, ids, now):
        calls.append(ids)
        if len(calls) == 2:
            raise RuntimeError("mail server gone")
        return real(ids=ids, now=now)

    rules = [
        retention.RetentionRule(rule.name, rule.expired, failing_second_batch)
        for rule in retention.SCHEDULE
        if rule.action is real
    ]
    monkeypatch.setattr(retention, "SCHEDULE", rules)
    with pytest.raises(RuntimeError):
        retention_apply(now=NOW, batch_size=2)
    assert ContactRequest.objects.filter(message=REMOVED).count() == 2


def test_periods_come_from_settings_and_the_privacy_notice_states_them(settings, client, no_page_cache):
    settings.RETENTION = {
        **settings.RETENTION,
        "CONTACT_MESSAGE_MONTHS": 3,
        "AUDIT_TRAIL_MONTHS": 36,
        "FAILED_EMAIL_MONTHS": 2,
    }
    message = ContactRequestFactory(created_at=months_ago(NOW, 4))
    retention_apply(now=NOW)
    message.refresh_from_db()
    assert message.message == REMOVED

    html = client.get(reverse("privacy")).content.decode()
    assert "the text for 3 months" in html
    assert "3 years, then deleted" in html
    assert "12 months after it last changed" in html
    assert "2 months after we first tried, then deleted" in html


def test_the_command_applies_the_schedule(capsys):
    old = UnpublishedCaseStudyFactory(status=Status.WITHDRAWN)
    aged(old, months=13)
    call_command("apply_retention")
    assert "unpublished case studies anonymised: 1" in capsys.readouterr().out
    assert CaseStudy.objects.get(pk=old.pk).submitter_email == ""
