import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.django_db


def test_ensure_local_admin_creates_one_superuser_once(settings, tmp_path, monkeypatch, capsys):
    from linkup.management.commands import ensure_local_admin

    monkeypatch.setattr(ensure_local_admin, "PASSWORD_FILE", tmp_path / "local-admin-password")
    call_command("ensure_local_admin")
    first = capsys.readouterr().out
    password = (tmp_path / "local-admin-password").read_text().strip()
    assert len(password) >= 20
    assert password in first
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)

    call_command("ensure_local_admin")
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert (tmp_path / "local-admin-password").read_text().strip() == password


def test_ensure_local_admin_refuses_in_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("ensure_local_admin")


def test_seed_demo_runs_twice_without_duplicates():
    call_command("seed_demo")
    call_command("seed_demo")


def test_embedded_server_starts_once_and_stops(tmp_path):
    """A separate embedded server in a temporary folder: started by several
    processes at once, then stopped with the management command."""
    data_dir = tmp_path / "pg"
    env = {**os.environ, "LINKUP_EMBEDDED_DB_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "linkup.settings"}
    env.pop("DATABASE_URL", None)
    code = "from linkup import embedded_db; print(embedded_db.ensure_running()['HOST'])"
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    hosts = {starter.communicate(timeout=120)[0].strip() for starter in starters}
    assert all(starter.returncode == 0 for starter in starters)
    assert len(hosts) == 1
    stop = [sys.executable, "manage.py", "stop_embedded_db"]
    result = subprocess.run(stop, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert "Stopped the embedded PostgreSQL server" in result.stdout, result.stderr
    result = subprocess.run(stop, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert "was not running" in result.stdout, result.stderr
