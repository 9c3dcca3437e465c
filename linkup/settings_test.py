"""Settings for the test suite: the real settings, made fast and quiet."""

import os

from linkup.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests serve static files from their sources; no collectstatic step needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Several test runs may share one server: each names its own test database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME") or None}  # noqa: F405
