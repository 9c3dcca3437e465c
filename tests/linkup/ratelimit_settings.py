"""Settings for the servers started by test_ratelimit.py: the test settings,
on the test run's own database, serving ratelimit_urls."""

import os

from linkup.settings_test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["RATELIMIT_TEST_DB"]  # noqa: F405
ROOT_URLCONF = "tests.linkup.ratelimit_urls"
