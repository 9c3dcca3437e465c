"""Settings come from the environment, and production refuses unsafe defaults."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.smoke

PRODUCTION_ENV = {
    "LINKUP_ENV": "production",
    "SECRET_KEY": "x" * 30 + "-production-secret-for-tests-" + "y" * 30,
    "ALLOWED_HOSTS": "linkup.example.org",
    "DATABASE_URL": "postgres://linkup@db.example.org:5432/linkup",
}


def run_python(code, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LINKUP_ENV", "SECRET_KEY"}}
    base["DJANGO_SETTINGS_MODULE"] = "linkup.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW_DATABASE = (
    "import json; from django.conf import settings; "
    "d = settings.DATABASES['default']; "
    "keys = ('ENGINE', 'HOST', 'PORT', 'NAME', 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS'); "
    "print(json.dumps({k: d.get(k) for k in keys}))"
)


def test_database_url_selects_that_server():
    result = run_python(SHOW_DATABASE, DATABASE_URL="postgres://someone@db.example.org:6543/portal")
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["HOST"] == "db.example.org"
    assert database["PORT"] == 6543
    assert database["NAME"] == "portal"
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] > 0


def test_no_database_url_uses_the_embedded_server():
    result = run_python(SHOW_DATABASE)
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "linkup.embedded_backend"
    assert database["NAME"] == "linkup"
    assert database["CONN_HEALTH_CHECKS"] is True
    # The first connection starts (or finds) the server, on a Unix socket only.
    result = run_python(
        "from django.db import connection; connection.ensure_connection(); "
        "print(connection.settings_dict['HOST']); print(connection.cursor().connection.info.dbname)"
    )
    assert result.returncode == 0, result.stderr
    host, dbname = result.stdout.split()
    assert host.startswith("/")
    assert dbname == "linkup"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_python("import django; django.setup()", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when LINKUP_ENV=production" in result.stderr


def test_production_refuses_debug():
    result = run_python("import django; django.setup()", **PRODUCTION_ENV, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG cannot be switched on" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **PRODUCTION_ENV,
            "DJANGO_SETTINGS_MODULE": "linkup.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_secures_cookies_and_transport():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_SSL_REDIRECT, s.DEBUG]))"
    )
    result = run_python(code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    session_secure, csrf_secure, hsts, redirect, debug = json.loads(result.stdout)
    assert session_secure and csrf_secure and redirect
    assert hsts >= 31536000
    assert debug is False


def test_local_instance_keeps_its_generated_secret_key():
    first = run_python("from django.conf import settings; print(settings.SECRET_KEY)")
    second = run_python("from django.conf import settings; print(settings.SECRET_KEY)")
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.strip()) >= 50
    assert first.stdout == second.stdout
    assert (PROJECT_DIR / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_redis_url_selects_the_redis_cache():
    result = run_python(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        REDIS_URL="redis://127.0.0.1:6379/1",
        DATABASE_URL="postgres://someone@db.example.org/portal",
    )
    assert result.stdout.strip() == "django_redis.cache.RedisCache"


def test_gunicorn_reads_a_5000_character_search():
    """A very long keyword reaches the portal (which says it is too long)
    rather than getting gunicorn's bare "Bad Request" page."""
    import runpy

    from gunicorn.config import Config
    from gunicorn.http.parser import RequestParser

    conf = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("limit_request_line", conf["limit_request_line"])
    keyword = "housing%20" * 500  # 5,000 characters, as a browser sends them
    raw = f"GET /case-studies/browse/?q={keyword} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()
    request = next(iter(RequestParser(cfg, iter([raw]), ("127.0.0.1", 50000))))
    assert request.query == f"q={keyword}"


def show_settings(names) -> str:
    """Code that prints these settings as JSON."""
    values = ", ".join(f"{name!r}: s.{name}" for name in names)
    return f"import json; from django.conf import settings as s; print(json.dumps({{{values}}}))"


def test_limits_periods_and_regions_come_from_the_environment():
    env = {
        "PAGE_CACHE_SECONDS": "30",
        "DIRECTORY_REGIONS": "east-midlands, west-midlands",
        "DIRECTORY_RATE_LIMIT_PER_MINUTE": "7",
        "DIRECTORY_CONTACT_LIMIT_PER_HOUR": "8",
        "DIRECTORY_ADD_LIMIT_PER_HOUR": "9",
        "DIRECTORY_MANAGE_LIMIT_PER_HOUR": "11",
        "DIRECTORY_MANAGE_EMAIL_LIMIT_PER_HOUR": "12",
        "CASE_STUDY_SUBMIT_LIMIT_PER_HOUR": "13",
        "CASE_STUDY_STATUS_LIMIT_PER_15_MINUTES": "14",
        "CASE_STUDY_EDIT_LINK_DAYS": "15",
        "DIRECTORY_REMIND_AFTER_DAYS": "100",
        "DIRECTORY_HIDE_AFTER_DAYS": "200",
        "DIRECTORY_MANAGE_LINK_MAX_AGE": "3600",
    }
    expected = {
        "PAGE_CACHE_SECONDS": 30,
        "DIRECTORY_REGIONS": ["east-midlands", "west-midlands"],
        "DIRECTORY_RATE_LIMIT_PER_MINUTE": 7,
        "DIRECTORY_CONTACT_LIMIT_PER_HOUR": 8,
        "DIRECTORY_ADD_LIMIT_PER_HOUR": 9,
        "DIRECTORY_MANAGE_LIMIT_PER_HOUR": 11,
        "DIRECTORY_MANAGE_EMAIL_LIMIT_PER_HOUR": 12,
        "CASE_STUDY_SUBMIT_LIMIT_PER_HOUR": 13,
        "CASE_STUDY_STATUS_LIMIT_PER_15_MINUTES": 14,
        "CASE_STUDY_EDIT_LINK_DAYS": 15,
        "DIRECTORY_REMIND_AFTER_DAYS": 100,
        "DIRECTORY_HIDE_AFTER_DAYS": 200,
        "DIRECTORY_MANAGE_LINK_MAX_AGE": 3600,
        # Until 90 days after a reminded listing would be hidden.
        "DIRECTORY_CONFIRM_LINK_MAX_AGE": (200 - 100 + 90) * 24 * 60 * 60,
    }
    result = run_python(show_settings(expected), **env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_a_limit_that_is_not_a_number_is_refused():
    result = run_python("import django; django.setup()", DIRECTORY_ADD_LIMIT_PER_HOUR="ten")
    assert result.returncode != 0
    assert "DIRECTORY_ADD_LIMIT_PER_HOUR must be a whole number" in result.stderr


def test_settings_are_read_without_fallback_defaults():
    # Every default lives in linkup/settings.py, so no other module may supply its own.
    offenders = [
        str(path.relative_to(PROJECT_DIR))
        for folder in ("linkup", "casestudies", "directory", "toolkit")
        for path in (PROJECT_DIR / folder).rglob("*.py")
        if "getattr(settings" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
