"""Limits on staff sessions.

A member of staff's session ends after ``STAFF_SESSION_IDLE_SECONDS`` without
a request (30 minutes) and ``STAFF_SESSION_MAX_SECONDS`` after sign-in
(12 hours), whatever happens in between. Both times are kept in the session
itself (sessions are in the database), so every server agrees.

Deactivating an account deletes that account's sessions at once.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.utils import timezone

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"
# Write the last-seen time at most this often, not on every request.
LAST_SEEN_RESOLUTION = 60


def session_start(request) -> None:
    """Mark the start of a session (on sign-in)."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def session_expired(session, *, now: float) -> bool:
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return False
    return (
        now - last_seen_at > settings.STAFF_SESSION_IDLE_SECONDS
        or now - signed_in_at > settings.STAFF_SESSION_MAX_SECONDS
    )


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            self._check(request, user)
        return self.get_response(request)

    def _check(self, request, user):
        from linkup.audit import AuditEvent, audit_record

        now = time.time()
        session = request.session
        if SIGNED_IN_AT not in session:
            # A session from before these limits: it starts now.
            session_start(request)
        elif session_expired(session, now=now):
            idle = now - session[LAST_SEEN_AT] > settings.STAFF_SESSION_IDLE_SECONDS
            audit_record(
                kind=AuditEvent.Kind.SESSION_EXPIRED,
                request=request,
                user=user,
                detail="30 minutes idle" if idle else "12 hours since sign-in",
            )
            logout(request)
            anonymous = AnonymousUser()
            anonymous.is_verified = lambda: False
            request.user = anonymous
        elif now - session[LAST_SEEN_AT] > LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_AT] = now


def on_signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_start(request)


def user_sessions_end(*, user) -> int:
    """Delete every session signed in as ``user``; return how many."""
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def on_user_saved(sender, instance, created, **kwargs):
    if created or instance.is_active:
        return
    ended = user_sessions_end(user=instance)
    if ended:
        from linkup.audit import AuditEvent, audit_record

        audit_record(kind=AuditEvent.Kind.SESSIONS_ENDED, user=instance, detail=f"{ended} session(s) ended")


def connect_signals():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in
    from django.db.models.signals import post_save

    user_logged_in.connect(on_signed_in, dispatch_uid="linkup.staff_sessions.signed_in")
    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="linkup.staff_sessions.user_saved")
