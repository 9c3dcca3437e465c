"""Load test: the portal under gunicorn on loopback, many concurrent clients,
a realistic mix of pages and form posts. Prints throughput, p50/p95/p99 and
the error count (target: zero errors).

    .venv/bin/python bench/load.py [--clients 50] [--seconds 60]

It runs on its own database (``linkup_load``) of the embedded server, with
the demo content.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import threading
import time
from urllib.parse import quote_plus

from common import (
    PROJECT_DIR,
    PYTHON,
    Gunicorn,
    Results,
    Session,
    bench_env,
    csrf_token,
    prepare_database,
    print_table,
)

DISCOVER = r"""
import json, django
django.setup()
from django.urls import reverse, NoReverseMatch
from casestudies.models import CaseStudy
def url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
slugs = list(CaseStudy.objects.published().values_list("slug", flat=True)[:50])
listing_urls = []
try:
    from directory.models import Listing
    listing_urls = [l.get_absolute_url() for l in Listing.objects.published()[:50]]
except Exception:
    pass
print(json.dumps({
    "grid": url("casestudies:home"),
    "list": url("casestudies:list"),
    "details": [reverse("casestudies:detail", args=[s]) for s in slugs],
    "submit": url("casestudies:submit"),
    "directory": url("directory:search") or url("directory:home"),
    "profiles": listing_urls,
    "search": url("search:results"),
}))
"""

KEYWORDS = ["housing", "employment", "care leavers", "probation", "mental health", "training", "tenancy"]


def keyword() -> str:
    return quote_plus(random.choice(KEYWORDS))


def discover(env) -> dict:
    out = subprocess.run(
        [PYTHON, "-c", DISCOVER], cwd=PROJECT_DIR, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def build_mix(paths: dict):
    """(name, weight, action) where action(session) -> (status, body)."""
    mix = [("home", 5, lambda s: s.get("/"))]
    if paths["grid"]:
        mix.append(("case studies grid", 10, lambda s: s.get(paths["grid"])))
    if paths["list"]:
        mix.append(
            (
                "case studies, two filters",
                15,
                lambda s: s.get(f"{paths['list']}?region=east-midlands&client_group=care-leavers"),
            )
        )
        mix.append(("case studies, keyword", 10, lambda s: s.get(f"{paths['list']}?q={keyword()}")))
    if paths["details"]:
        mix.append(("case study detail", 20, lambda s: s.get(random.choice(paths["details"]))))
    if paths["directory"]:
        mix.append(("directory search", 15, lambda s: s.get(f"{paths['directory']}?q={keyword()}")))
    if paths["profiles"]:
        mix.append(("directory profile", 5, lambda s: s.get(random.choice(paths["profiles"]))))
    if paths["search"]:
        mix.append(("site search", 10, lambda s: s.get(f"{paths['search']}?q={keyword()}")))
    if paths["submit"]:
        mix.append(("submission form GET", 5, lambda s: s.get(paths["submit"])))
        mix.append(("submission form POST", 5, lambda s: post_first_step(s, paths["submit"])))
    return mix


def post_first_step(session: Session, start: str):
    """Open the first question page and send it with answers missing, as
    people do: the page comes back with the error summary."""
    path = f"{start}about-you/"
    _, body, _ = session.get(path)
    return session.post(path, {"csrfmiddlewaretoken": csrf_token(body), "submitter_name": "Load Test"})


def client_loop(mix, port, deadline, results: Results):
    session = Session(port, address=f"198.51.100.{random.randint(1, 254)}")
    names, weights, actions = zip(*mix, strict=True)
    while time.monotonic() < deadline:
        index = random.choices(range(len(mix)), weights=weights)[0]
        started = time.perf_counter()
        try:
            status, _, _ = actions[index](session)
        except Exception as error:  # every failure is counted and shown
            results.error(f"{names[index]}: {error!r}")
            continue
        results.record(names[index], status, time.perf_counter() - started)


def run_load(port, mix, *, clients, seconds, results=None) -> tuple[Results, float]:
    results = results or Results()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(mix, port, deadline, results), daemon=True)
        for _ in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    env = bench_env("linkup_load", TRUSTED_PROXY_COUNT="1")
    prepare_database(env)
    paths = discover(env)
    mix = build_mix(paths)
    print("Mix:", ", ".join(f"{name} ({weight})" for name, weight, _ in mix))
    with Gunicorn(env, args.port):
        run_load(args.port, mix, clients=5, seconds=3)  # warm up every worker
        print(f"Running {args.clients} clients for {args.seconds} s …")
        results, elapsed = run_load(args.port, mix, clients=args.clients, seconds=args.seconds)
    print_table(results, elapsed)
    server_errors = sum(n for c in results.statuses.values() for s, n in c.items() if s >= 500)
    raise SystemExit(1 if server_errors or results.errors else 0)


if __name__ == "__main__":
    main()
