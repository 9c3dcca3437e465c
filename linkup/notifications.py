"""E-mails the portal sends, and the ones about moderated records.

Every e-mail goes through ``email_send``, which renders it and queues it as
a job (``email_deliver``), in the caller's transaction: a change that rolls
back queues nothing, and one that commits is delivered by a worker, retried
with a growing wait while the mail server fails, and after the last try left
as a failed job that staff retry in admin (*E-mails waiting to be sent*).
``email_deliver`` is the only code that hands a message to the mail server
(a test enforces it). A template's first line is the subject, the rest the
body. Failures are logged by kind and record number only, never with an
address or message text.

``ModerationEmails`` is the one mechanism for what people hear about a
moderated record: an acknowledgement and a notice to the taskforce when it
arrives, and an e-mail to the person on every moderator's decision, with
the moderator's note. Each app subclasses it for its model (the templates'
folder, who the person is, where they edit), and ``connect()`` ties it to
``moderation_decided`` for that model only.
"""

from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from procrastinate import RetryDecision
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.manager import JobManager
from procrastinate.retry import BaseRetryStrategy
from procrastinate.tasks import configure_task

from linkup.forms import CONTROL_CHARACTERS, validate_email_address
from linkup.models import QueuedEmail
from linkup.moderation import MODERATOR_ONLY, Moderated, Status, moderation_decided

logger = logging.getLogger(__name__)

EMAIL_QUEUE = "email"

# Jobs are written on Django's own connection, so each is part of the
# transaction that causes it, in the worker too (whose app reads the queue
# through a connection pool of its own).
in_transaction = JobManager(DjangoConnector())


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


class UnsafeHeaderError(ValueError):
    """A value bound for an e-mail header that could add a header line or
    break an address. Forms refuse these; reaching here is a bug."""


def _check_headers(*, subject: str, addresses: list[str], log_as: str) -> None:
    if "\x00" in subject or CONTROL_CHARACTERS.search(subject):
        raise UnsafeHeaderError(f"The subject of the {log_as} e-mail has control characters.")
    for address in addresses:
        try:
            validate_email_address(address)
        except ValidationError:
            raise UnsafeHeaderError(
                f"An address of the {log_as} e-mail is not a plain e-mail address."
            ) from None


def email_send(**message) -> bool:
    """Render one e-mail (``email_prepare``'s arguments) and queue it in the
    caller's transaction. Returns whether it was queued (there is an
    address). ``headers`` are extra headers of the portal's own making (an
    alert's List-Unsubscribe), never text a user typed. ``mark_emailed`` is a
    record whose ``emailed_at`` is set once the message has gone. Raises
    ``UnsafeHeaderError``, queueing nothing, when the subject or an address
    could change the headers."""
    email = email_prepare(**message)
    if email is None:
        return False
    emails_queue([email])
    return True


def email_prepare(
    *,
    template: str,
    to: str,
    context: dict,
    log_as: str,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    mark_emailed: models.Model | None = None,
) -> QueuedEmail | None:
    """``email_send``'s rendering and checks, without queueing: for a sender of
    many e-mails at once (an alert digest), which queues them together with
    ``emails_queue`` in a fixed number of queries. None when there is no
    address."""
    if not to:
        return None
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    _check_headers(subject=subject.strip(), addresses=[to, *(reply_to or [])], log_as=log_as)
    return QueuedEmail(
        kind=template,
        about=log_as,
        to=to,
        reply_to=reply_to or [],
        headers=headers or {},
        subject=subject.strip(),
        body=body.strip() + "\n",
        emailed_record_type=ContentType.objects.get_for_model(mark_emailed) if mark_emailed else None,
        emailed_record_id=mark_emailed.pk if mark_emailed else None,
    )


def emails_queue(emails: list[QueuedEmail]) -> None:
    """Store e-mails from ``email_prepare`` and queue a job for each, in the
    caller's transaction."""
    if not emails:
        return
    with transaction.atomic():
        emails = QueuedEmail.objects.bulk_create(emails)
        deferrer = configure_task(name=email_deliver.name, job_manager=in_transaction, queue=EMAIL_QUEUE)
        job_ids = deferrer.batch_defer(*({"email_id": email.pk} for email in emails))
        for email, job_id in zip(emails, job_ids, strict=True):
            email.job_id = job_id
        QueuedEmail.objects.bulk_update(emails, ["job"])


class EmailRetry(BaseRetryStrategy):
    """Try again after EMAIL_RETRY_SECONDS, doubling each time, until
    EMAIL_SEND_ATTEMPTS tries have failed. Read at each failure, so a change
    of setting applies to e-mails already waiting."""

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        if job.attempts + 1 >= settings.EMAIL_SEND_ATTEMPTS:
            return None
        return RetryDecision(retry_in={"seconds": settings.EMAIL_RETRY_SECONDS * 2**job.attempts})


def email_deliver_now(email_id: int) -> None:
    """Hand one queued e-mail to the mail server, then delete it. An e-mail
    already delivered (its row gone) is not sent again."""
    email = QueuedEmail.objects.select_related("emailed_record_type").filter(pk=email_id).first()
    if email is None:
        return
    message = EmailMessage(
        subject=email.subject, body=email.body, to=[email.to], reply_to=email.reply_to, headers=email.headers
    )
    try:
        message.send()
    except Exception as error:
        logger.error("Could not send the %s e-mail (%s)", email.about, type(error).__name__)
        QueuedEmail.objects.filter(pk=email.pk).update(last_error=type(error).__name__)
        raise
    with transaction.atomic():
        if email.emailed_record_type:
            email.emailed_record_type.model_class()._default_manager.filter(
                pk=email.emailed_record_id
            ).update(emailed_at=timezone.now())
        email.delete()


@app.task(name="email_deliver", queue=EMAIL_QUEUE, retry=EmailRetry())
async def email_deliver(email_id: int) -> None:
    # The database work runs in Django's thread-sensitive executor, as Django's
    # own async views do, so it shares one connection with the worker's other
    # Django work.
    await sync_to_async(email_deliver_now, thread_sensitive=True)(email_id)


class ModerationEmails:
    """The e-mails about one kind of moderated record.

    A subclass sets ``model`` and ``template_folder`` (holding received.txt,
    taskforce_new.txt and one template per moderator's decision, named by
    the status: published.txt, changes_requested.txt, rejected.txt) and
    says who the person is, and where they edit and see their record.
    """

    model: type[Moderated]
    template_folder: str

    def recipient(self, obj) -> str:
        raise NotImplementedError

    def edit_url(self, obj) -> str:
        raise NotImplementedError

    def public_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())

    def context(self, obj) -> dict:
        """What every template of this kind may use besides ``obj``."""
        return {}

    def admin_url(self, obj) -> str:
        opts = obj._meta
        return absolute(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def send(self, name: str, obj, *, to: str, **context) -> bool:
        return email_send(
            template=f"{self.template_folder}/{name}.txt",
            to=to,
            context={
                "taskforce_email": settings.TASKFORCE_EMAIL,
                **self.context(obj),
                **context,
            },
            log_as=f"{name} ({obj._meta.model_name} {obj.pk})",
        )

    def received(self, obj) -> None:
        """A new record: acknowledge it to the person, tell the taskforce."""
        self.send("received", obj, to=self.recipient(obj))
        self.tell_taskforce(obj, resubmitted=False)

    def tell_taskforce(self, obj, *, resubmitted: bool) -> None:
        self.send(
            "taskforce_new",
            obj,
            to=settings.TASKFORCE_EMAIL,
            admin_url=self.admin_url(obj),
            resubmitted=resubmitted,
        )

    def decided(self, sender, instance, event, **kwargs) -> None:
        """With a decision: the person hears every moderator's
        decision, with the note; the taskforce hears of a record sent again."""
        if event.to_status in MODERATOR_ONLY:
            links = {}
            if event.to_status == Status.PUBLISHED:
                links["public_url"] = self.public_url(instance)
            elif event.to_status == Status.CHANGES_REQUESTED:
                links["edit_url"] = self.edit_url(instance)
            self.send(event.to_status, instance, to=self.recipient(instance), note=event.note, **links)
        elif event.to_status == Status.SUBMITTED and event.from_status:
            self.tell_taskforce(instance, resubmitted=True)

    def connect(self) -> None:
        opts = self.model._meta
        moderation_decided.connect(
            self.decided, sender=self.model, dispatch_uid=f"{opts.label_lower}.moderation_emails"
        )
