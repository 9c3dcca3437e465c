"""What the load and fault scripts share: a portal under gunicorn on loopback,
on its own database of the embedded server, and a pool of HTTP clients."""

from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"


def bench_env(database: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "EMBEDDED_DB_NAME": database,
            "DJANGO_SETTINGS_MODULE": "linkup.settings",
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=PROJECT_DIR, env=env, check=True)


def prepare_database(env: dict) -> None:
    """Migrate, add the demo content and collect static files."""
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "createcachetable")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")


class Gunicorn:
    """The portal under gunicorn with the project's configuration."""

    def __init__(
        self,
        env: dict,
        port: int,
        *,
        app: str = "linkup.wsgi",
        workers: int | None = None,
        pythonpath: str = "",
    ):
        self.env = {**env, "BIND": f"{HOST}:{port}"}
        self.pythonpath = ["--pythonpath", pythonpath] if pythonpath else []
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.port = port
        self.app = app
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "--config",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "--log-level",
                "warning",
                *self.pythonpath,
                self.app,
            ],
            cwd=PROJECT_DIR,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request("GET", self.port, "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def request(method, port, path, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), response
    finally:
        conn.close()


class Session:
    """A browser-like client: keeps cookies and sends the CSRF token."""

    def __init__(self, port, *, address: str = ""):
        self.port = port
        self.cookies: dict[str, str] = {}
        # Each simulated person has an address of their own, as seen through
        # a trusted proxy (run the app with TRUSTED_PROXY_COUNT=1).
        self.address = address

    def _headers(self, extra=None):
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _remember(self, response):
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]

    def get(self, path):
        status, body, response = request("GET", self.port, path, headers=self._headers())
        self._remember(response)
        return status, body, response

    def post(self, path, data):
        form = dict(data)
        form.setdefault("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))
        headers = self._headers(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}{path}",
                "Origin": f"http://{HOST}:{self.port}",
            }
        )
        status, body, response = request(
            "POST", self.port, path, body=urlencode(form, doseq=True), headers=headers
        )
        self._remember(response)
        return status, body, response


def csrf_token(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1).decode() if match else ""


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name, status, seconds):
        with self.lock:
            self.latencies.setdefault(name, []).append(seconds)
            counts = self.statuses.setdefault(name, {})
            counts[status] = counts.get(status, 0) + 1

    def error(self, message):
        with self.lock:
            self.errors.append(message)


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def print_table(results: Results, elapsed: float) -> None:
    total = sum(len(v) for v in results.latencies.values())
    bad = sum(n for counts in results.statuses.values() for status, n in counts.items() if status >= 500)
    print(f"\n{'request':<34}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for name in sorted(results.latencies):
        values = results.latencies[name]
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(results.statuses[name].items()))
        print(
            f"{name:<34}{len(values):>8}{percentile(values, 50) * 1000:>9.1f}"
            f"{percentile(values, 95) * 1000:>9.1f}{percentile(values, 99) * 1000:>9.1f}  {statuses}"
        )
    every = [v for values in results.latencies.values() for v in values]
    print(
        f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s; "
        f"p50 {percentile(every, 50) * 1000:.1f} ms, p95 {percentile(every, 95) * 1000:.1f} ms, "
        f"p99 {percentile(every, 99) * 1000:.1f} ms; server errors (5xx): {bad}; client errors: "
        f"{len(results.errors)}"
    )
    if every:
        print(f"mean {statistics.mean(every) * 1000:.1f} ms")
    for message in results.errors[:10]:
        print("  error:", message)
