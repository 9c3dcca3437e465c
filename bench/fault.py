"""Fault test: stop PostgreSQL in the middle of a load and start it again.

While the database is down, pages must answer with the GOV.UK-styled 503
page (never a stack trace or another 5xx); once it is back the portal must
recover by itself, without a restart; and every submission that was
confirmed to its sender must be in the database afterwards.

    .venv/bin/python bench/fault.py [--clients 20] [--submitters 4] [--outage 8]

It runs on an embedded server of its own (``var/postgres-fault``), which it
stops and starts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time

from common import PROJECT_DIR, PYTHON, Gunicorn, Results, Session, bench_env, prepare_database, print_table
from load import build_mix, discover, run_load

sys.path.insert(0, str(PROJECT_DIR))

ANSWER_IDS = r"""
import json, django
django.setup()
from linkup.models import Agency, ClientGroup, Outcome, Region
print(json.dumps({
    "region": Region.objects.get(slug="east-midlands").pk,
    "client_group": ClientGroup.objects.ordered().first().pk,
    "agency": Agency.objects.ordered().first().pk,
    "outcome": Outcome.objects.ordered().first().pk,
}))
"""

CHECK_REFERENCES = r"""
import json, sys, django
django.setup()
from casestudies.models import CaseStudy
wanted = json.load(sys.stdin)
found = set(CaseStudy.objects.filter(reference__in=wanted).values_list("reference", flat=True))
print(json.dumps(sorted(set(wanted) - found)))
"""


def answers(ids: dict, n: int) -> dict[str, dict]:
    return {
        "about-you": {
            "submitter_name": f"Fault Test {n}",
            "submitter_job_title": "Housing officer",
            "submitter_organisation": "Brackenford Council",
            "submitter_email": f"fault.test.{n}@example.test",
            "submitter_phone": "",
            "show_contact": "no",
            "website": "",
        },
        "where-and-who": {
            "region": ids["region"],
            "client_groups": [ids["client_group"]],
            "agencies": [ids["agency"]],
            "organisations": "Brackenford housing and leaving care teams",
        },
        "what-you-did": {
            "example_title": f"Shared housing panel number {n}",
            "summary": "A shared panel planned each move.",
            "challenge": "Young people left care with nowhere settled to live.",
            "approach": "Staff met monthly to plan each move together.",
            "period_start_day": "1",
            "period_start_month": "4",
            "period_start_year": "2009",
        },
        "results-and-lessons": {
            "results": "Most young people were in settled homes a year later.",
            "outcomes": [ids["outcome"]],
            "lessons": "Agree one plan and one named lead.",
            "costs": "",
        },
        "permission": {"consent_to_publish": "on"},
    }


def submit_once(port, ids, n, address) -> str | None:
    """Fill in and send the form; the reference if the sender saw it confirmed."""
    session = Session(port, address=address)
    base = "/case-studies/share/"
    for step, data in answers(ids, n).items():
        status, _, _ = session.get(f"{base}{step}/")
        if status != 200:
            return None
        status, _, _ = session.post(f"{base}{step}/", data)
        if status != 302:
            return None
    status, body, _ = session.get(f"{base}check-your-answers/")
    match = re.search(rb'name="submission_key" value="([^"]+)"', body)
    if status != 200 or not match:
        return None
    status, _, response = session.post(
        f"{base}check-your-answers/", {"submission_key": match.group(1).decode()}
    )
    if status != 302:
        return None
    status, body, _ = session.get(response.getheader("Location"))
    found = re.search(rb"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", body)
    return found.group(0).decode() if status == 200 and found else None


def submitter(port, ids, deadline, counter, confirmed, lock):
    while time.monotonic() < deadline:
        n = next(counter)
        try:
            reference = submit_once(port, ids, n, f"198.51.100.{n % 250 + 1}")
        except OSError:
            reference = None
        if reference:
            with lock:
                confirmed.append(reference)


def probe(port, deadline, timeline):
    """Poll a page that needs the database; record (time, status)."""
    session = Session(port)
    while time.monotonic() < deadline:
        try:
            status, body, _ = session.get("/case-studies/")
        except OSError:
            status, body = 0, b""
        timeline.append((time.monotonic(), status, body))
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--submitters", type=int, default=4)
    parser.add_argument("--outage", type=float, default=8.0, help="seconds the database stays down")
    parser.add_argument("--before", type=float, default=10.0)
    parser.add_argument("--after", type=float, default=15.0)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    # A server of its own, so stopping it disturbs nobody else.
    data_dir = str(PROJECT_DIR / "var" / "postgres-fault")
    os.environ["LINKUP_EMBEDDED_DB_DIR"] = data_dir
    env = bench_env("linkup_fault", TRUSTED_PROXY_COUNT="1", LINKUP_EMBEDDED_DB_DIR=data_dir)
    prepare_database(env)
    paths = discover(env)
    ids = json.loads(
        subprocess.run(
            [PYTHON, "-c", ANSWER_IDS], cwd=PROJECT_DIR, env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    mix = build_mix(paths)
    total = args.before + args.outage + args.after

    from linkup import embedded_db

    with Gunicorn(env, args.port):
        run_load(args.port, mix, clients=4, seconds=2)
        started = time.monotonic()
        deadline = started + total
        confirmed, lock, counter, timeline = [], threading.Lock(), itertools.count(1), []
        results = Results()
        threads = [threading.Thread(target=probe, args=(args.port, deadline, timeline), daemon=True)]
        threads += [
            threading.Thread(
                target=submitter, args=(args.port, ids, deadline, counter, confirmed, lock), daemon=True
            )
            for _ in range(args.submitters)
        ]
        threads.append(
            threading.Thread(
                target=run_load,
                args=(args.port, mix),
                kwargs={"clients": args.clients, "seconds": total, "results": results},
                daemon=True,
            )
        )
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        embedded_db.stop()
        down_at = time.monotonic()
        print(f"Database stopped at {down_at - started:.1f} s")
        time.sleep(args.outage)
        restart_at = time.monotonic()
        embedded_db._connection_settings.clear()
        embedded_db.ensure_running("linkup_fault")
        up_at = time.monotonic()
        print(f"Database started again at {up_at - started:.1f} s")
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

    print_table(results, elapsed)
    during = [(t, s, b) for t, s, b in timeline if down_at + 0.5 < t < restart_at]
    statuses_during = sorted({s for _, s, _ in during})
    styled = all(
        b"Sorry, the service is unavailable" in b and b"Traceback" not in b for _, s, b in during if s == 503
    )
    first_ok_after = next((t for t, s, _ in timeline if t > restart_at and s == 200), None)
    other_5xx = sum(n for c in results.statuses.values() for s, n in c.items() if s >= 500 and s != 503)
    missing = json.loads(
        subprocess.run(
            [PYTHON, "-c", CHECK_REFERENCES],
            cwd=PROJECT_DIR,
            env=env,
            input=json.dumps(confirmed),
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    recovery = f"{max(0.0, first_ok_after - up_at):.2f} s" if first_ok_after else "never"
    print("\nProbe page, second by second (d = database down):")
    for second in range(int(total) + 1):
        window = [s for t, s, _ in timeline if second <= t - started < second + 1]
        down = "d" if down_at - started <= second < restart_at - started else " "
        print(f"  {second:>3}s {down} " + " ".join(str(s) for s in window))
    print(f"Statuses of the probe page while the database was down: {statuses_during}")
    print(f"Every 503 during the outage was the GOV.UK-styled page: {styled}")
    print(f"5xx other than 503 in the whole run: {other_5xx}")
    print(f"Recovered (first 200 after the database came back): {recovery}")
    print(
        f"Submissions confirmed to their senders: {len(confirmed)}; missing from the database: {len(missing)}"
    )
    ok = statuses_during == [503] and styled and other_5xx == 0 and first_ok_after and not missing
    print("RESULT:", "PASS" if ok else "FAIL")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
