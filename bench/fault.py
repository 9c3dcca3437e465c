"""Fault test: stop the mail server and PostgreSQL in the middle of a load
and start them again.

While the database is down, pages must answer with the GOV.UK-styled 503
page (never a stack trace or another 5xx); once it is back the portal must
recover by itself, without a restart; and every submission that was
confirmed to its sender must be in the database afterwards.

Beside the load, a burst of actions that send e-mail: submissions, moderators'
decisions (publishing what was submitted) and requests to connect. The job
queue's workers (``manage.py worker``) deliver them to a local
SMTP server the script runs itself (aiosmtpd), which it stops for a while
during the burst, and PostgreSQL stops under the workers too. Once both are
back, every e-mail of every action in the database must have arrived, none
lost and none twice (counted per recipient), and the workers must still be
the ones started at the beginning.

    .venv/bin/python bench/fault.py [--clients 20] [--submitters 4] [--outage 8]
        [--mail-outage 10] [--workers 2]

It runs on an embedded server of its own (``var/postgres-fault``), which it
stops and starts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller
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


# Publishes what the burst submits, as a moderator would, until the deadline;
# a decision that fails (the database is down) is simply tried again.
DECIDER = r"""
import sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from django.db import close_old_connections
from django.db import connection
from casestudies.models import CaseStudy
from linkup.moderation import Status, submission_approve
# Connected before the outage: a first connection would start the embedded server.
connection.ensure_connection()
print("ready", flush=True)
deadline = time.monotonic() + float(sys.argv[1])
moderator = None
while time.monotonic() < deadline:
    try:
        if moderator is None:
            moderator, _ = get_user_model().objects.get_or_create(
                username="fault-moderator", defaults={"is_staff": True, "is_superuser": True}
            )
        waiting = CaseStudy.objects.filter(
            status=Status.SUBMITTED, submitter_email__startswith="fault.test."
        ).order_by("pk")[:5]
        for case_study in waiting:
            submission_approve(submission=case_study, moderator=moderator)
    except Exception:
        close_old_connections()
    time.sleep(0.3)
"""

# What should have been e-mailed, worked out from what the database holds
# (every action that committed queued its e-mails with it), and what waits.
EXPECTED = r"""
import json, django
django.setup()
from collections import Counter
from django.conf import settings
from casestudies.models import CaseStudy
from directory.models import ContactRequest
from linkup.models import QueuedEmail
from linkup.moderation import Status
expected = Counter()
for email, status in CaseStudy.objects.filter(submitter_email__startswith="fault.test.").values_list(
    "submitter_email", "status"
):
    expected[email.lower()] += 2 if status == Status.PUBLISHED else 1  # received, then published
    expected[settings.TASKFORCE_EMAIL.lower()] += 1
for listing_email, sender_email in ContactRequest.objects.values_list("listing__email", "sender_email"):
    expected[listing_email.lower()] += 1
    expected[sender_email.lower()] += 1
print(json.dumps({
    "expected": expected,
    "waiting": QueuedEmail.objects.count(),
    "submissions": CaseStudy.objects.filter(submitter_email__startswith="fault.test.").count(),
    "decisions": CaseStudy.objects.filter(
        submitter_email__startswith="fault.test.", status=Status.PUBLISHED
    ).count(),
    "requests": ContactRequest.objects.count(),
}))
"""

# Each run starts from an empty queue and none of an earlier run's actions.
RESET = r"""
import django
django.setup()
from procrastinate.contrib.django.models import ProcrastinateJob
from casestudies.models import CaseStudy
from directory.models import ContactRequest
from linkup.models import QueuedEmail
from django.db import connection
QueuedEmail.objects.all().delete()
CaseStudy.objects.filter(submitter_email__startswith="fault.test.").delete()
ContactRequest.objects.all().delete()
with connection.cursor() as cursor:  # procrastinate's models are read-only
    cursor.execute("DELETE FROM procrastinate_jobs")
print("reset")
"""

LISTINGS = r"""
import json, django
django.setup()
from django.urls import reverse
from directory.models import Listing
print(json.dumps([
    reverse("directory:connect", args=[listing.reference]) for listing in Listing.objects.public()[:20]
]))
"""


class Sink:
    """A local SMTP server that keeps the recipients of what it receives."""

    def __init__(self, port: int):
        self.port = port
        self.received: Counter = Counter()
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        with self.lock:
            for address in envelope.rcpt_tos:
                self.received[address.lower()] += 1
        return "250 OK"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


def run_script(env, script, *args, stdin=None) -> str:
    return (
        subprocess.run(
            [PYTHON, "-c", script, *args],
            cwd=PROJECT_DIR,
            env=env,
            input=stdin,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def connector(port, paths, deadline, counter, accepted, lock):
    """Send requests to connect, each from a sender address of its own."""
    while time.monotonic() < deadline:
        n = next(counter)
        path = paths[n % len(paths)]
        session = Session(port, address=f"203.0.113.{n % 250 + 1}")
        try:
            status, body, _ = session.get(path)
            if status == 200:
                status, _, _ = session.post(
                    path,
                    {
                        "csrfmiddlewaretoken": csrf_token(body),
                        "sender_name": f"Fault Sender {n}",
                        "sender_job_title": "Work coach",
                        "sender_organisation": "Jobcentre Plus",
                        "sender_email": f"fault.sender.{n}@example.test",
                        "reason": "case",
                        "message": "Could we talk about joint working on housing?",
                    },
                )
                if status == 302:
                    with lock:
                        accepted.append(n)
        except OSError:
            pass
        time.sleep(0.2)


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
    parser.add_argument("--mail-outage", type=float, default=10.0, help="seconds the mail server stays down")
    parser.add_argument("--smtp-port", type=int, default=8825)
    parser.add_argument("--workers", type=int, default=2, help="job queue workers")
    parser.add_argument("--drain", type=float, default=120.0, help="seconds to wait for every e-mail")
    args = parser.parse_args()

    # A server of its own, so stopping it disturbs nobody else.
    data_dir = str(PROJECT_DIR / "var" / "postgres-fault")
    os.environ["LINKUP_EMBEDDED_DB_DIR"] = data_dir
    env = bench_env(
        "linkup_fault",
        TRUSTED_PROXY_COUNT="1",
        LINKUP_EMBEDDED_DB_DIR=data_dir,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(args.smtp_port),
        EMAIL_TIMEOUT="5",
        # Short waits between tries, so the bench ends soon after the outage.
        EMAIL_RETRY_SECONDS="1",
        EMAIL_SEND_ATTEMPTS="30",
        TASKFORCE_EMAIL="taskforce@fault.test",
        DIRECTORY_CONTACT_LIMIT_PER_HOUR="100000",
        CASE_STUDY_SUBMIT_LIMIT_PER_HOUR="100000",
    )
    prepare_database(env)
    run_script(env, RESET)
    paths = discover(env)
    ids = json.loads(run_script(env, ANSWER_IDS))
    connect_paths = json.loads(run_script(env, LISTINGS))
    mix = build_mix(paths)
    total = args.before + args.outage + args.after

    from linkup import embedded_db

    sink = Sink(args.smtp_port)
    sink.start()
    # Each worker's log, to see what it did through the outages.
    worker_logs = [
        (PROJECT_DIR / "var" / f"fault-worker-{n}.log").open("w") for n in range(1, args.workers + 1)
    ]
    workers = [
        subprocess.Popen(
            [PYTHON, "manage.py", "worker"],
            cwd=PROJECT_DIR,
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for log in worker_logs
    ]
    worker_pids = [worker.pid for worker in workers]

    with Gunicorn(env, args.port):
        run_load(args.port, mix, clients=4, seconds=2)
        decider = subprocess.Popen(
            # A little past the load, to decide what was sent at its end.
            [PYTHON, "-c", DECIDER, str(total + 10)],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        decider.stdout.readline()  # "ready": connected
        started = time.monotonic()
        deadline = started + total
        confirmed, lock, counter, timeline = [], threading.Lock(), itertools.count(1), []
        requests_accepted = []
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
                target=connector,
                args=(args.port, connect_paths, deadline, itertools.count(1), requests_accepted, lock),
                daemon=True,
            )
        )
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
        # The mail server goes first, and comes back while the database is down.
        mail_down_for = min(args.mail_outage, args.before + args.outage / 2)
        time.sleep(args.before + args.outage / 2 - mail_down_for)
        sink.stop()
        mail_down_at = time.monotonic()
        print(f"Mail server stopped at {mail_down_at - started:.1f} s")
        time.sleep(max(0.0, started + args.before - time.monotonic()))
        embedded_db.stop()
        down_at = time.monotonic()
        print(f"Database stopped at {down_at - started:.1f} s")
        time.sleep(max(0.0, mail_down_at + mail_down_for - time.monotonic()))
        sink.start()
        print(f"Mail server started again at {time.monotonic() - started:.1f} s")
        time.sleep(max(0.0, down_at + args.outage - time.monotonic()))
        restart_at = time.monotonic()
        embedded_db._connection_settings.clear()
        embedded_db.ensure_running("linkup_fault")
        up_at = time.monotonic()
        print(f"Database started again at {up_at - started:.1f} s")
        for thread in threads:
            thread.join()
        decider.wait()
        elapsed = time.monotonic() - started

        # Wait for the queue to empty and the mailbox to match.
        drain_deadline = time.monotonic() + args.drain
        while True:
            state = json.loads(run_script(env, EXPECTED))
            with sink.lock:
                received = dict(sink.received)
            if (state["waiting"] == 0 and received == state["expected"]) or time.monotonic() > drain_deadline:
                break
            time.sleep(2)
        drained_after = time.monotonic() - started - total
        workers_alive = sum(worker.poll() is None for worker in workers)
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)
    sink.stop()

    print_table(results, elapsed)
    during = [(t, s, b) for t, s, b in timeline if down_at + 0.5 < t < restart_at]
    statuses_during = sorted({s for _, s, _ in during})
    styled = all(
        b"Sorry, the service is unavailable" in b and b"Traceback" not in b for _, s, b in during if s == 503
    )
    first_ok_after = next((t for t, s, _ in timeline if t > restart_at and s == 200), None)
    other_5xx = sum(n for c in results.statuses.values() for s, n in c.items() if s >= 500 and s != 503)
    missing = json.loads(run_script(env, CHECK_REFERENCES, stdin=json.dumps(confirmed)))
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
    expected = Counter(state["expected"])
    got = Counter(received)
    lost = sum((expected - got).values())
    twice = sum((got - expected).values())
    print(
        f"\nE-mailing actions in the database: {state['submissions']} submissions, "
        f"{state['decisions']} decisions, {state['requests']} requests to connect "
        f"({len(requests_accepted)} requests confirmed to their senders)"
    )
    print(
        f"E-mails expected: {sum(expected.values())}; received: {sum(got.values())}; "
        f"lost: {lost}; sent twice or unexpected: {twice}; still queued: {state['waiting']}"
    )
    print(f"Queue drained {drained_after:.1f} s after the load ended")
    print(f"Workers still running, never restarted: {workers_alive} of {len(worker_pids)}")
    mail_ok = lost == 0 and twice == 0 and state["waiting"] == 0 and workers_alive == len(workers)
    ok = statuses_during == [503] and styled and other_5xx == 0 and first_ok_after and not missing and mail_ok
    print("RESULT:", "PASS" if ok else "FAIL")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
