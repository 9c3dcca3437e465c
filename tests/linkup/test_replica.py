"""Public reads go to DATABASE_REPLICA_URL; admin and forms use the primary.

Run by scripts/test against two real databases on the DATABASE_URL server
(``-m replica``), with TEST_DATABASE_URL naming that server.
"""

import os
import subprocess
import sys

import dj_database_url
import psycopg
import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.replica

PROBE = """
import django
django.setup()
from django.test import Client
from linkup.models import NationalIndicator
client = Client()
print("PUBLIC:", "FROM-REPLICA" in client.get("/").content.decode())
print("OUTSIDE-REQUEST:", NationalIndicator.objects.get(code="NI 147").plain_english)
"""
# The home page, as a visitor sees it (from the page cache when it is there).
SHOWN = """
import django
django.setup()
from django.test import Client
print("SHOWN:", "FROM-REPLICA-AGAIN" in Client().get("/").content.decode())
"""


def database_url(base, name):
    config = dj_database_url.parse(base)
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{auth}@{config['HOST']}:{config['PORT'] or 5432}/{name}"


def run(code_or_args, **env):
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    base = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    # The test settings: static files from their sources, no collectstatic needed.
    base["DJANGO_SETTINGS_MODULE"] = "linkup.settings_test"
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def set_indicator_text(url, text, *, recorded=False):
    """Change the text as SQL typed by hand would; ``recorded``: and record
    the change as the portal does (as replication brings it to a replica)."""
    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        dbname=config["NAME"],
        autocommit=True,
    ) as conn:
        conn.execute("UPDATE linkup_nationalindicator SET plain_english = %s WHERE code = 'NI 147'", [text])
        if recorded:
            conn.execute("INSERT INTO linkup_contentchange (weight) VALUES (1)")


def test_public_pages_read_from_the_replica():
    server = os.environ["TEST_DATABASE_URL"]
    primary, replica = database_url(server, "linkup_ci_primary"), database_url(server, "linkup_ci_replica")
    for url in (primary, replica):
        ready = run(["scripts/database_ready.py", url])
        assert ready.returncode == 0, ready.stderr
        for command in (["migrate", "--no-input"], ["createcachetable"]):
            done = run(["manage.py", *command], DATABASE_URL=url)
            assert done.returncode == 0, done.stderr
    set_indicator_text(primary, "FROM-PRIMARY")
    set_indicator_text(replica, "FROM-REPLICA")

    result = run(PROBE, DATABASE_URL=primary, DATABASE_REPLICA_URL=replica, ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    assert "PUBLIC: True" in result.stdout
    # Management commands and anything outside a public GET use the primary.
    assert "OUTSIDE-REQUEST: FROM-PRIMARY" in result.stdout

    without_replica = run(PROBE, DATABASE_URL=primary, ALLOWED_HOSTS="testserver")
    assert "PUBLIC: False" in without_replica.stdout

    # Pages from the replica are kept under the replica's own content version.
    both = {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica, "ALLOWED_HOSTS": "testserver"}
    set_indicator_text(replica, "FROM-REPLICA-AGAIN")
    assert "SHOWN: False" in run(SHOWN, **both).stdout  # the cached page: no change was recorded
    set_indicator_text(replica, "FROM-REPLICA-AGAIN", recorded=True)
    assert "SHOWN: True" in run(SHOWN, **both).stdout
