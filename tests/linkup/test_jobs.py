"""The job queue: every e-mail is a job queued in the transaction that causes
it, delivered by a worker with retries, and left failed (never lost) for
staff to retry; the scheduled jobs are periodic jobs, once per period."""

import ast
import datetime
import json
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from procrastinate import periodic
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob, ProcrastinatePeriodicDefer

from linkup import jobs
from linkup.models import QueuedEmail
from linkup.moderation import Status
from linkup.notifications import EmailRetry, email_send
from tests.directory.factories import ListingFactory
from tests.linkup.test_logmask import configured_formatter

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]
TEMPLATE = "admin/moderation/reminder_email.txt"
CONTEXT = {"waiting": [{"line": "1 case study (the oldest waiting 3 days)"}], "admin_url": "/admin/"}


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down for jo@example.gov.test")


class FlakyBackend(LocmemBackend):
    """A mail server that refuses the first ``failures`` messages, then works."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise TimeoutError
        return super().send_messages(messages)


def queue(**overrides):
    return email_send(
        **{"template": TEMPLATE, "to": "jo@example.gov.test", "context": CONTEXT, "log_as": "reminder 7"}
        | overrides
    )


def test_an_email_is_a_job_delivered_by_the_worker(run_jobs):
    assert queue() is True
    assert mail.outbox == []
    (job,) = run_jobs()
    assert job.status == "succeeded" and job.task_name == "email_deliver"
    (message,) = mail.outbox
    assert message.to == ["jo@example.gov.test"]
    assert message.subject == "Submissions waiting for review"
    assert "1 case study (the oldest waiting 3 days)" in message.body
    # Delivered means gone: no address or text is kept once it has been sent.
    assert not QueuedEmail.objects.exists()
    assert run_jobs() == [] and len(mail.outbox) == 1


def job_args(job) -> dict:
    return json.loads(job.args) if isinstance(job.args, str) else job.args


def test_an_email_job_holds_only_the_id_of_its_email(settings, run_jobs, caplog):
    """The job queue's own records (jobs and their events) and the log of a
    failure carry no address or text: those stay in the e-mail's row, which
    delivery deletes."""
    settings.EMAIL_BACKEND = "tests.linkup.test_jobs.FailingBackend"
    settings.EMAIL_SEND_ATTEMPTS = 1
    queue(reply_to=["sam@example.gov.test"])
    (job,) = ProcrastinateJob.objects.all()
    assert job_args(job) == {"email_id": QueuedEmail.objects.get().pk}
    (failed,) = run_jobs()
    assert failed.status == "failed"
    # The worker's log, as the portal's handler writes it; the mail server's
    # error named the address.
    log = "\n".join(configured_formatter().format(record) for record in caplog.records)
    assert "Could not send the reminder 7 e-mail (ConnectionRefusedError)" in log
    assert "mail server down for [e-mail address]" in log
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(j)::text FROM procrastinate_jobs j")
        jobs = " ".join(row for (row,) in cursor.fetchall())
        cursor.execute("SELECT row_to_json(e)::text FROM procrastinate_events e")
        events = " ".join(row for (row,) in cursor.fetchall())
    assert "email_id" in jobs and "failed" in events  # the check reads the rows
    for private in ["jo@example", "sam@example", "oldest waiting", "Submissions waiting"]:
        assert private not in jobs and private not in events and private not in log


def test_no_address_queues_nothing():
    assert queue(to="") is False
    assert not ProcrastinateJob.objects.exists()


def test_a_change_rolled_back_queues_nothing(run_jobs):
    def change_that_fails():
        with transaction.atomic():
            ListingFactory(status=Status.SUBMITTED)
            queue()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not ProcrastinateJob.objects.exists() and not QueuedEmail.objects.exists()
    assert run_jobs() == [] and mail.outbox == []


# A retry is due at a time the database compares with now(), which stands
# still inside a test's transaction: tests of retries commit as they go.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_mail_server_retries_then_delivers_exactly_once(settings, run_jobs, caplog):
    settings.EMAIL_BACKEND = "tests.linkup.test_jobs.FlakyBackend"
    settings.EMAIL_RETRY_SECONDS = 0
    FlakyBackend.failures = 2
    queue()
    (job,) = run_jobs()
    assert job.status == "succeeded" and job.attempts == 3
    assert len(mail.outbox) == 1
    assert "Could not send the reminder 7 e-mail (TimeoutError)" in caplog.text
    assert "jo@example" not in caplog.text


def test_a_retry_waits_longer_each_time(settings, run_jobs):
    settings.EMAIL_BACKEND = "tests.linkup.test_jobs.FailingBackend"
    settings.EMAIL_RETRY_SECONDS = 30
    queue()
    before = timezone.now()
    (job,) = run_jobs()
    assert job.status == "todo" and job.attempts == 1
    assert job.scheduled_at >= before + datetime.timedelta(seconds=30)
    assert QueuedEmail.objects.get().last_error == "ConnectionRefusedError"
    # Not due yet: a worker leaves it alone.
    assert run_jobs()[0].attempts == 1
    waits = [
        EmailRetry().get_retry_decision(exception=OSError(), job=type("Job", (), {"attempts": n})).retry_at
        for n in range(3)
    ]
    gaps = [(wait - timezone.now()).total_seconds() for wait in waits]
    assert 25 < gaps[0] < 35 and 55 < gaps[1] < 65 and 115 < gaps[2] < 125


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_the_last_try_the_job_is_failed_and_staff_retry_it(
    settings, run_jobs, otp_client, django_user_model
):
    settings.EMAIL_BACKEND = "tests.linkup.test_jobs.FailingBackend"
    settings.EMAIL_RETRY_SECONDS = 0
    settings.EMAIL_SEND_ATTEMPTS = 3
    queue(log_as="contact-request 12", reply_to=["sam@example.gov.test"])
    (job,) = run_jobs()
    assert job.status == "failed" and job.attempts == 3
    assert mail.outbox == []
    email = QueuedEmail.objects.get()  # kept, never lost

    superuser = django_user_model.objects.create_superuser("chief", "chief@linkup.test", "pw-chief-9")
    client = otp_client(superuser)
    changelist = reverse("admin:linkup_queuedemail_changelist")
    page = client.get(changelist, {"state": "failed"}).content.decode()
    assert "contact-request 12" in page and TEMPLATE in page
    assert "ConnectionRefusedError" in page and "Failed: needs retrying" in page
    detail = client.get(reverse("admin:linkup_queuedemail_change", args=[email.pk])).content.decode()
    for private in ["jo@example.gov.test", "sam@example.gov.test", "oldest waiting 3 days"]:
        assert private not in page and private not in detail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(changelist, {"action": "retry", "_selected_action": [email.pk]}, follow=True)
    assert "1 e-mail sent back to the queue." in response.content.decode()
    (job,) = run_jobs()
    assert job.status == "succeeded"
    (message,) = mail.outbox
    assert message.to == ["jo@example.gov.test"] and message.reply_to == ["sam@example.gov.test"]
    assert not QueuedEmail.objects.exists()


def test_moderators_do_not_see_queued_emails(staff_client):
    queue()
    assert staff_client.get(reverse("admin:linkup_queuedemail_changelist")).status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_record_is_marked_emailed_when_its_email_goes(run_jobs):
    from directory.models import ContactRequest
    from directory.services import contact_request_relay, contact_request_send

    listing = ListingFactory(email="pat@example.nhs.test")
    data = {
        "sender_name": "Sam",
        "sender_job_title": "Adviser",
        "sender_organisation": "Jobcentre Plus",
        "sender_email": "sam@example.gov.test",
        "reason": "case",
        "message": "Could we talk?",
    }
    contact_request = contact_request_send(target=listing, data=data)
    assert [job.status for job in run_jobs()] == ["succeeded"]  # the link to confirm
    mail.outbox.clear()
    contact_request_relay(contact_request=contact_request)
    relayed = ContactRequest.objects.get()
    assert relayed.confirmed_at is not None and relayed.emailed_at is None  # queued, not yet gone
    assert [job.status for job in run_jobs()] == ["succeeded", "succeeded"]
    assert ContactRequest.objects.get().emailed_at is not None
    assert [m.to for m in mail.outbox] == [["pat@example.nhs.test"], ["sam@example.gov.test"]]


# --- scheduled jobs -----------------------------------------------------------


def test_each_scheduled_job_is_a_periodic_job_running_its_command():
    registered = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert registered == {job.name: job.cron for job in jobs.SCHEDULE}
    assert all(bool(job.command) != bool(job.function) for job in jobs.SCHEDULE)
    assert {job.command for job in jobs.SCHEDULE} >= {
        "directory_freshness",
        "moderation_reminder",
        "backup_db",
        "apply_retention",
    }


def test_a_periodic_job_is_queued_once_per_period_whatever_the_workers(run_jobs):
    at = datetime.datetime(2026, 12, 7, 8, 30, tzinfo=datetime.UTC).timestamp()  # a Monday
    reminder = next(
        t for t in app.periodic_registry.periodic_tasks.values() if t.periodic_id == "moderation_reminder"
    )
    for _ in range(3):  # three workers' deferrers, the same minute
        deferrer = periodic.PeriodicDeferrer(registry=app.periodic_registry)
        async_to_sync(deferrer.defer_jobs)([(reminder, int(at))])
    assert ProcrastinatePeriodicDefer.objects.filter(periodic_id="moderation_reminder").count() == 1
    assert ProcrastinateJob.objects.filter(task_name="moderation_reminder").count() == 1


def test_a_scheduled_job_may_run_a_function(monkeypatch):
    ran = []
    monkeypatch.setattr("linkup.retention.retention_apply", lambda: ran.append("retention"))
    jobs.ScheduledJob("example", "0 1 * * *", "An example", function="linkup.retention.retention_apply").run()
    assert ran == ["retention"]


def test_the_scheduled_freshness_job_queues_reminders(run_jobs):
    listing = ListingFactory(
        email="old@example.nhs.test", last_confirmed=timezone.now() - datetime.timedelta(days=400)
    )
    jobs.TASKS["directory_freshness"].defer(timestamp=0)
    (job,) = run_jobs(queues=[jobs.SCHEDULED_QUEUE])
    assert job.status == "succeeded"
    listing.refresh_from_db()
    assert listing.reminder_sent_at is not None
    assert mail.outbox == []  # queued, not yet sent
    run_jobs()
    (message,) = mail.outbox
    assert message.to == ["old@example.nhs.test"]


# --- the one place that sends -------------------------------------------------

DIRECT = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers"}
MAKERS = {"EmailMessage", "EmailMultiAlternatives", "get_connection"}
SKIPPED = {".venv", "node_modules", "tests", "var", "static", "staticfiles"}


def python_files():
    for path in PROJECT.rglob("*.py"):
        if not SKIPPED & set(path.relative_to(PROJECT).parts):
            yield path


def called(call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def mail_calls(tree):
    """Calls of Django's mail functions, and ``.send()`` or ``.send_messages()``
    on a message or mail connection (made in place or kept in a name)."""
    made = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and called(node.value) in MAKERS
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if called(node) in DIRECT:
            yield node
        elif called(node) in {"send", "send_messages"} and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if (isinstance(receiver, ast.Call) and called(receiver) in MAKERS) or (
                isinstance(receiver, ast.Name) and receiver.id in made
            ):
                yield node


def enclosing_function(tree, call):
    innermost = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and call in ast.walk(node):
            innermost = node
    return innermost.name if innermost else None


def test_only_the_email_job_hands_mail_to_the_server():
    found = []
    for path in python_files():
        tree = ast.parse(path.read_text())
        for call in mail_calls(tree):
            where = f"{path.relative_to(PROJECT)}:{enclosing_function(tree, call)}"
            if where != "linkup/notifications.py:email_deliver_now":
                found.append(f"{where} (line {call.lineno})")
    assert found == []


def test_the_scan_finds_a_direct_send():
    sample = ast.parse(
        "from django.core.mail import send_mail, EmailMessage\n"
        "def view(request):\n    send_mail('s', 'b', None, ['a@b.test'])\n"
        "def other():\n    EmailMessage('s', 'b', to=['a@b.test']).send()\n"
        "def admins():\n    from django.core import mail\n    mail.mail_admins('s', 'b')\n"
        "def kept():\n    message = EmailMessage('s', 'b')\n    message.send()\n"
        "def bulk():\n    get_connection().send_messages([])\n"
        "def signal():\n    decided.send(sender=None)\n"
    )
    found = [enclosing_function(sample, call) for call in mail_calls(sample)]
    assert sorted(found) == ["admins", "bulk", "kept", "other", "view"]


def test_the_default_sender_is_one_address_an_smtp_server_accepts(settings):
    from django.core.mail.message import sanitize_address

    assert sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8").endswith("<no-reply@linkup.localhost>")
