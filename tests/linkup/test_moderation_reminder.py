import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from linkup.moderation import Status
from tests.casestudies.factories import CaseStudyFactory
from tests.directory.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_nothing_is_sent_when_the_queue_is_empty():
    CaseStudyFactory()  # published
    call_command("moderation_reminder")
    assert mail.outbox == []


def test_the_taskforce_hears_how_many_wait_and_for_how_long(settings, run_jobs):
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    CaseStudyFactory(status=Status.SUBMITTED, published_at=None, submitted_at=ten_days_ago)
    CaseStudyFactory(status=Status.SUBMITTED, published_at=None, submitted_at=timezone.now())
    ListingFactory(status=Status.SUBMITTED, submitted_at=timezone.now())
    call_command("moderation_reminder")
    run_jobs()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [settings.TASKFORCE_EMAIL]
    assert "2 case studies (the oldest waiting 10 days)" in message.body
    assert "1 listing (the oldest waiting 0 days)" in message.body
    assert f"/{settings.ADMIN_PATH}/" in message.body


def test_a_queue_of_listings_alone_is_reminded(run_jobs):
    ListingFactory(status=Status.SUBMITTED, submitted_at=timezone.now() - datetime.timedelta(days=4))
    ListingFactory(status=Status.SUBMITTED, submitted_at=timezone.now())
    ListingFactory()  # published: not waiting
    call_command("moderation_reminder")
    run_jobs()
    (message,) = mail.outbox
    assert "2 listings (the oldest waiting 4 days)" in message.body
    assert "case stud" not in message.body


def test_one_day_and_one_record_read_in_the_singular(run_jobs):
    CaseStudyFactory(
        status=Status.SUBMITTED,
        published_at=None,
        submitted_at=timezone.now() - datetime.timedelta(days=1, hours=1),
    )
    call_command("moderation_reminder")
    run_jobs()
    (message,) = mail.outbox
    assert message.subject == "Submissions waiting for review"
    assert "- 1 case study (the oldest waiting 1 day)\n" in message.body


def test_the_reminder_is_queued_whatever_the_mail_server(monkeypatch, capsys, run_jobs):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    ListingFactory(status=Status.SUBMITTED, submitted_at=timezone.now())
    call_command("moderation_reminder")
    assert "Reminder queued: 1 listing" in capsys.readouterr().out
    (job,) = run_jobs()
    assert job.status == "todo" and job.attempts == 1  # to be tried again
