"""Back up and restore the database with pg_dump and pg_restore.

The programs come from the embedded PostgreSQL package (version 18, which
can also dump older servers) unless PG_BIN_DIR names another folder. The
connection is whatever Django uses: the embedded server or DATABASE_URL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.core.cache import cache
from django.db import connection


def _program(name: str) -> str:
    folder = os.environ.get("PG_BIN_DIR")
    if folder:
        return str(Path(folder) / name)
    try:
        from linkup import embedded_db

        path = embedded_db.binary(name)
        if path.exists():
            return str(path)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} was not found; set PG_BIN_DIR to the folder that holds it.")
    return found


def _connection_args() -> tuple[list[str], dict]:
    connection.ensure_connection()  # starts the embedded server if needed
    params = connection.get_connection_params()
    args = []
    if params.get("host"):
        args += ["--host", str(params["host"])]
    if params.get("port"):
        args += ["--port", str(params["port"])]
    if params.get("user"):
        args += ["--username", str(params["user"])]
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return [*args, "--dbname", params["dbname"]], env


def backup(path: Path) -> None:
    args, env = _connection_args()
    subprocess.run(
        [_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(path), *args],
        check=True,
        env=env,
        capture_output=True,
    )


def restore(path: Path) -> None:
    args, env = _connection_args()
    connection.close()  # nothing of ours holds a lock while tables are replaced
    subprocess.run(
        [
            _program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(path),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    # Cached pages and counts describe the database as it was before.
    cache.clear()
