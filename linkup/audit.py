"""The staff audit trail: who signed in, who failed, who was locked out, who
enrolled or reset a second factor, every moderation decision and every
directory import.

Each entry has a time, the account (or the username that was tried) and the
client address. Entries never hold passwords, one-time codes or anything a
submitter wrote: ``detail`` is a short phrase made here, not user input.
Superusers read the trail in admin; nobody can change or delete it there.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.utils import timezone

from linkup.ratelimit import client_ip_address
from linkup.records import AppendOnly


class AuditEvent(AppendOnly):
    record_name = "The audit trail"

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed (password)"
        SECOND_FACTOR_FAILED = "second_factor_failed", "Sign-in failed (second factor)"
        BACKUP_CODE_USED = "backup_code_used", "Backup code used"
        LOCKED_OUT = "locked_out", "Locked out"
        SESSION_EXPIRED = "session_expired", "Session expired"
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", "Second factor enrolled"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
        SESSIONS_ENDED = "sessions_ended", "Sessions ended (account deactivated)"
        MODERATION_DECISION = "moderation_decision", "Moderation decision"
        DIRECTORY_IMPORT = "directory_import", "Directory import"
        RETENTION_APPLIED = "retention_applied", "Retention schedule applied"
        PERSONAL_DATA_EXPORTED = "personal_data_exported", "Personal data exported (request from a person)"
        PERSONAL_DATA_ERASED = "personal_data_erased", "Personal data erased (request from a person)"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The account name as given: kept when a failed attempt names no account.
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        app_label = "linkup"
        ordering = ["-created_at", "-pk"]
        verbose_name = "audit event"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username or 'unknown'}"


def _address(request) -> str | None:
    if request is None:
        return None
    return client_ip_address(request)


def audit_record(*, kind: str, request=None, user=None, username: str = "", detail: str = "") -> AuditEvent:
    """Append one entry. ``detail`` must be a phrase of ours, never user input."""
    if user is not None and not username:
        username = user.get_username()
    return AuditEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or "")[:150],
        ip_address=_address(request),
        detail=detail[:200],
    )


# --- Signal receivers (connected in LinkupConfig.ready) ---------------------------


def on_signed_in(sender, request, user, **kwargs):
    audit_record(kind=AuditEvent.Kind.SIGNED_IN, request=request, user=user)


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; only the username is kept.
    username = str(credentials.get("username", ""))
    user = None
    if username:
        from django.contrib.auth import get_user_model

        user = get_user_model()._default_manager.filter(username=username).first()
    audit_record(kind=AuditEvent.Kind.SIGN_IN_FAILED, request=request, user=user, username=username)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    from django.contrib.auth import get_user_model

    user = get_user_model()._default_manager.filter(username=username or "").first()
    audit_record(kind=AuditEvent.Kind.LOCKED_OUT, request=request, user=user, username=username or "")


def on_moderation_decided(sender, instance, event, **kwargs):
    # The reference and the statuses only: the moderator's note is free text
    # that goes to the submitter, so it stays in the record's own history.
    audit_record(
        kind=AuditEvent.Kind.MODERATION_DECISION,
        user=event.actor,
        username=event.actor_label,
        detail=(
            f"{sender._meta.verbose_name} {instance.reference}: "
            f"{event.get_from_status_display() or 'new'} → {event.get_to_status_display()}"
        ),
    )


def connect_signals():
    from axes.signals import user_locked_out

    from linkup.moderation import moderation_decided

    user_logged_in.connect(on_signed_in, dispatch_uid="linkup.audit.signed_in")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="linkup.audit.sign_in_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="linkup.audit.locked_out")
    moderation_decided.connect(on_moderation_decided, dispatch_uid="linkup.audit.moderation")
