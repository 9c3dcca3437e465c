"""Two-factor sign-in for Django admin.

Signing in takes two steps, and only the second signs anyone in:

1. ``login/``: username and password (django-axes counts failures). A right
   password only remembers, for a few minutes, who is half-way through.
2. ``login/verify/``: a code from the authenticator app, or a single-use
   backup code. Someone with no authenticator yet (first sign-in, or after
   ``manage.py reset_staff_device``) goes to ``login/enrol/`` instead, scans
   a QR code drawn on the page, confirms a code and is shown backup codes.

``StaffAdminSite`` is django-otp's ``OTPAdminSite``: no admin page opens for
a session that has not passed the second step.
"""

from __future__ import annotations

import base64
import math
import time

import segno
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from linkup.audit import AuditEvent, audit_record

PENDING_USER = "staff_pending_user"
PENDING_BACKEND = "staff_pending_backend"
PENDING_AT = "staff_pending_at"
# How long the second step waits after a right password.
PENDING_SECONDS = 5 * 60
BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"


def _sign_in_view(view):
    for decorator in (never_cache, csrf_protect, sensitive_post_parameters()):
        view = method_decorator(decorator)(view)
    return view


class StaffAdminSite(OTPAdminSite):
    """Django admin, for staff who have passed both steps of sign-in."""

    def __init__(self, name="admin"):
        super().__init__(name)

    # The admin home in the taskforce's words: what moderators use first,
    # under plain names; sign-in security last, for superusers only. Each
    # section lists "app_label.ModelName" (or "app_label.*") with the name
    # shown; a model in no section goes under "Other".
    SECTIONS = [
        (
            "Moderation",
            [
                ("casestudies.CaseStudy", "Case studies"),
                ("directory.Listing", "Directory listings"),
                ("reports.*", None),
                ("directory.ContactRequest", "Messages relayed through the portal"),
                ("linkup.ModerationEvent", "Decisions made (all records)"),
            ],
        ),
        (
            "Guidance",
            [
                ("toolkit.Section", "Toolkit sections"),
                ("toolkit.Page", "Toolkit pages"),
                ("toolkit.Need", "What people need (toolkit finder)"),
                ("toolkit.AgencySuggestion", "Agency suggestions (toolkit finder)"),
            ],
        ),
        (
            "Reference lists",
            [
                ("linkup.Region", "Regions"),
                ("linkup.ClientGroup", "Client groups"),
                ("linkup.Outcome", "Outcomes"),
                ("linkup.Agency", "Agencies"),
                ("linkup.LocalAuthority", "Local authorities"),
            ],
        ),
        ("Data protection", [("linkup.PersonalDataRequest", None)]),
        (
            "Sign-in security",
            [
                ("auth.User", "Staff accounts"),
                ("auth.Group", "Staff roles"),
                ("otp_totp.*", "Authenticator apps"),
                ("otp_static.*", "Backup codes"),
                ("axes.AccessAttempt", "Lockouts"),
                ("axes.AccessLog", "Sign-ins"),
                ("axes.AccessFailureLog", "Failed sign-ins"),
                ("linkup.AuditEvent", "Audit trail"),
            ],
        ),
    ]
    SUPERUSER_SECTIONS = {"Sign-in security"}

    def get_app_list(self, request, app_label=None):
        """Regroup the home page's list into ``SECTIONS`` (one app's own page
        keeps Django's list)."""
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        models = {
            f"{app['app_label']}.{model['object_name']}": (app, model)
            for app in apps
            for model in app["models"]
        }
        placed, sections = set(), []
        for title, entries in self.SECTIONS:
            if title in self.SUPERUSER_SECTIONS and not request.user.is_superuser:
                placed.update(key for pattern, _ in entries for key in self._matching(models, pattern))
                continue
            keys = [key for pattern, _ in entries for key in self._matching(models, pattern)]
            names = {
                key: name for pattern, name in entries for key in self._matching(models, pattern) if name
            }
            placed.update(keys)
            if keys:
                rows = [{**models[key][1], "name": names.get(key, models[key][1]["name"])} for key in keys]
                sections.append(self._section(title, models[keys[0]][0], rows))
        rest = [key for key in models if key not in placed]
        if rest:
            sections.append(self._section("Other", models[rest[0]][0], [models[key][1] for key in rest]))
        return sections

    @staticmethod
    def _matching(models: dict, pattern: str) -> list[str]:
        if pattern.endswith(".*"):
            prefix = pattern[:-1]
            return sorted(key for key in models if key.startswith(prefix))
        return [pattern] if pattern in models else []

    @staticmethod
    def _section(title: str, first_app: dict, rows: list[dict]) -> dict:
        return {
            "name": title,
            "app_label": slugify(title),
            "app_url": first_app["app_url"],
            "has_module_perms": True,
            "models": rows,
        }

    def get_urls(self):
        return [
            path("login/verify/", self.verify, name="login_verify"),
            path("login/enrol/", self.enrol, name="login_enrol"),
            *super().get_urls(),
        ]

    @_sign_in_view
    def login(self, request, extra_context=None):
        redirect_to = _next_url(request, default=reverse("admin:index", current_app=self.name))
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(redirect_to)
        form = PasswordForm(request, data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = form.get_user()
            _pending_begin(request, user)
            step = "admin:login_enrol" if not _has_authenticator(user) else "admin:login_verify"
            return _redirect_with_next(reverse(step, current_app=self.name), redirect_to)
        return render(request, "staff/sign_in.html", self._context(request, form, redirect_to))

    def _second_step(self, request, *, enrolled: bool):
        """For the step after the password: the user who gave it and where
        to go after signing in, or a redirect to the step they belong on (the
        password, the code for an ``enrolled`` user, else enrolment)."""
        user = _pending_user(request)
        redirect_to = _next_url(request, default=reverse("admin:index", current_app=self.name))
        if user is None:
            step = "admin:login"
        elif _has_authenticator(user) != enrolled:
            step = "admin:login_enrol" if enrolled else "admin:login_verify"
        else:
            return user, redirect_to, None
        return user, redirect_to, _redirect_with_next(reverse(step, current_app=self.name), redirect_to)

    @_sign_in_view
    def verify(self, request):
        user, redirect_to, elsewhere = self._second_step(request, enrolled=True)
        if elsewhere:
            return elsewhere
        form = CodeForm(data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            device, wait = _verify_code(user, form.cleaned_data["code"])
            if device is not None:
                if isinstance(device, StaticDevice):
                    remaining = device.token_set.count()
                    audit_record(
                        kind=AuditEvent.Kind.BACKUP_CODE_USED,
                        request=request,
                        user=user,
                        detail=f"{remaining} backup code(s) left",
                    )
                _sign_in(request, user, device)
                return HttpResponseRedirect(redirect_to)
            audit_record(
                kind=AuditEvent.Kind.SECOND_FACTOR_FAILED,
                request=request,
                user=user,
                detail="too many attempts" if wait else "",
            )
            form.add_error(
                "code",
                too_many_attempts(wait)
                if wait
                else "The code is not right, or has been used. Enter a new code",
            )
        return render(request, "staff/verify.html", self._context(request, form, redirect_to))

    @_sign_in_view
    def enrol(self, request):
        user, redirect_to, elsewhere = self._second_step(request, enrolled=False)
        if elsewhere:
            return elsewhere
        device = _unconfirmed_authenticator(user)
        form = CodeForm(data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            codes, wait = _enrol_confirm(request, user, device, form.cleaned_data["code"])
            if codes is not None:
                _sign_in(request, user, device)
                context = {"backup_codes": codes, "continue_url": redirect_to}
                return render(request, "staff/backup_codes.html", context)
            form.add_error(
                "code",
                too_many_attempts(wait)
                if wait
                else "The code is not right. Enter the code your authenticator app shows now",
            )
        context = self._context(request, form, redirect_to)
        context.update(
            qr_data_uri=_qr_data_uri(device.config_url),
            secret=_grouped(base64.b32encode(device.bin_key).decode()),
        )
        return render(request, "staff/enrol.html", context)

    def _context(self, request, form, redirect_to):
        return {
            **self.each_context(request),
            "form": form,
            "next": redirect_to,
            "REDIRECT_FIELD_NAME": REDIRECT_FIELD_NAME,
            "sign_in_url": reverse("admin:login", current_app=self.name),
        }


class PasswordForm(AdminAuthenticationForm):
    """Admin's own form: staff only, active only, and counted by django-axes."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive",
        "inactive": "This account cannot sign in",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def _next_url(request, *, default: str) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _redirect_with_next(url: str, redirect_to: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: redirect_to})}")


def _pending_begin(request, user) -> None:
    # A fresh key: whatever the session held before the password is gone.
    request.session.cycle_key()
    request.session[PENDING_USER] = str(user.pk)
    request.session[PENDING_BACKEND] = user.backend
    request.session[PENDING_AT] = time.time()


def _pending_user(request):
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    if not user_id or time.time() - started > PENDING_SECONDS:
        return None
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True, is_staff=True).first()
    if user is not None:
        user.backend = request.session.get(PENDING_BACKEND)
    return user


def _has_authenticator(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def _unconfirmed_authenticator(user) -> TOTPDevice:
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def throttle_wait(device) -> int:
    """Whole seconds until ``device`` takes a code again: after a wrong code
    django-otp refuses every code, the right one too, for a time that
    doubles with each failure. 0 when it takes codes now."""
    allowed, data = device.verify_is_allowed()
    locked_until = (data or {}).get("locked_until")
    if allowed or locked_until is None:
        return 0
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def too_many_attempts(wait: int) -> str:
    """The message for a code refused while the devices wait after failures,
    so nobody is told a right code is wrong."""
    if wait < 60:
        amount = f"{wait} second{pluralize(wait)}"
    else:
        minutes = math.ceil(wait / 60)
        amount = f"{minutes} minute{pluralize(minutes)}"
    return f"There have been too many attempts to enter a code. Wait {amount}, then enter a new code"


@transaction.atomic
def _verify_code(user, code: str):
    """The confirmed device that accepts ``code`` (used up if a backup code),
    or None and, if devices were refusing codes after earlier failures, the
    seconds until one takes them again."""
    waits = []
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        wait = throttle_wait(device)
        if wait:
            waits.append(wait)
        elif device.verify_token(code):
            return device, 0
    return None, min(waits, default=0)


@transaction.atomic
def _enrol_confirm(request, user, device: TOTPDevice, code: str) -> tuple[list[str] | None, int]:
    """Confirm the authenticator and make new backup codes; None if the code
    is wrong or refused, with the seconds to wait if refused after failures."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    wait = throttle_wait(device)
    if wait or not device.verify_token(code):
        audit_record(
            kind=AuditEvent.Kind.SECOND_FACTOR_FAILED,
            request=request,
            user=user,
            detail="enrolment, too many attempts" if wait else "enrolment",
        )
        return None, wait
    device.confirmed = True
    device.save()
    codes = staff_backup_codes_issue(user=user)
    audit_record(kind=AuditEvent.Kind.SECOND_FACTOR_ENROLLED, request=request, user=user)
    return codes, 0


def staff_backup_codes_issue(*, user) -> list[str]:
    """Replace ``user``'s backup codes with a new set and return them."""
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


@transaction.atomic
def staff_device_reset(*, user, request=None, actor_label: str = "") -> None:
    """Remove ``user``'s authenticator and backup codes and end their sessions;
    they enrol again at their next sign-in."""
    from linkup.staff_sessions import user_sessions_end

    for device in devices_for_user(user, confirmed=None):
        device.delete()
    user_sessions_end(user=user)
    audit_record(
        kind=AuditEvent.Kind.SECOND_FACTOR_RESET,
        request=request,
        user=user,
        detail=f"by {actor_label}"[:200] if actor_label else "",
    )


def _sign_in(request, user, device) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_AT):
        request.session.pop(key, None)
    # django-otp stores the verifying device in the session on user_logged_in.
    user.otp_device = device
    auth_login(request, user, backend=user.backend)


def _qr_data_uri(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=5, border=4, dark="#0b0c0c", light="#ffffff")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
