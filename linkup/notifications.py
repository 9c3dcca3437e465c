"""E-mails the portal sends, and the ones about moderated records.

Every e-mail goes through ``email_send``, so there is one place that sends
(and one place to move to a job queue). A template's first line is the
subject, the rest the body. A failing mail server is logged by kind and
record number only, never with an address or message text, and never undoes
what was saved.

``ModerationEmails`` is the one mechanism for what people hear about a
moderated record: an acknowledgement and a notice to the taskforce when it
arrives, and an e-mail to the person on every moderator's decision, with
the moderator's note. Each app subclasses it for its model (the templates'
folder, who the person is, where they edit), and ``connect()`` ties it to
``moderation_decided`` for that model only.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from linkup.forms import CONTROL_CHARACTERS, validate_email_address
from linkup.moderation import MODERATOR_ONLY, Moderated, Status, moderation_decided

logger = logging.getLogger(__name__)


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


def email_send(
    *,
    template: str,
    to: str,
    context: dict,
    log_as: str,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> bool:
    """Render and send one e-mail. Returns whether it went. ``headers`` are
    extra headers of the portal's own making (an alert's List-Unsubscribe),
    never text a user typed. Raises ``UnsafeHeaderError``, sending nothing,
    when the subject or an address could change the message's headers."""
    if not to:
        return False
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    _check_headers(subject=subject.strip(), addresses=[to, *(reply_to or [])], log_as=log_as)
    message = EmailMessage(
        subject=subject.strip(), body=body.strip() + "\n", to=[to], reply_to=reply_to, headers=headers
    )
    try:
        message.send()
    except Exception as error:
        logger.error("Could not send the %s e-mail (%s)", log_as, type(error).__name__)
        return False
    return True


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
        """After a decision commits: the person hears every moderator's
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
