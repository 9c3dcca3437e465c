"""A daily alert digest for 10,000 confirmed subscriptions over 200 case
studies published in the last day: e-mails per second, queries, and peak
memory.

    .venv/bin/python bench/alerts.py [--subscriptions 10000] [--new 200] [--older 2000]

The subscriptions follow a mix of topics as people would choose them: a
region and a client group, a region or a client group alone, a keyword,
or every new case study. Each e-mail is rendered and serialised as MIME
(what the mail server would be sent) by a backend that then drops it. The
digest runs twice: once timed, once under tracemalloc for the peak memory
it allocates (tracemalloc slows it down, so that run is not timed); the
record of what was sent is emptied between the runs, so both send the same.
It runs on its own database (``linkup_bench_alerts``) of the embedded
server, filled again on each run; the portal's own database is never touched.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# The project first: this file's own name is also the alerts app's.
sys.path.insert(0, str(PROJECT_DIR))
os.environ.pop("DATABASE_URL", None)
os.environ["EMBEDDED_DB_NAME"] = "linkup_bench_alerts"
os.environ["DJANGO_SETTINGS_MODULE"] = "linkup.settings"
os.environ["EMAIL_BACKEND"] = "__main__.SerialisingBackend"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.mail.backends.base import BaseEmailBackend  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from alerts.digests import alerts_send_digest  # noqa: E402
from alerts.models import Delivery, Frequency, Subscription, Topic  # noqa: E402
from alerts.topics import topic_read  # noqa: E402
from casestudies.models import CaseStudy  # noqa: E402
from linkup.models import ClientGroup, Region  # noqa: E402
from linkup.moderation import Status  # noqa: E402

WORDS = [
    "tenancy",
    "landlord",
    "deposit",
    "hostel",
    "apprenticeship",
    "employer",
    "placement",
    "mentoring",
    "probation",
    "licence",
    "resettlement",
    "wellbeing",
    "counselling",
    "advocacy",
    "autism",
    "respite",
    "leaving",
    "care",
    "housing",
    "training",
    "college",
    "benefits",
    "budgeting",
    "volunteering",
    "peer",
    "support",
    "family",
]
KEYWORDS = ["tenancy", "apprenticeship", "mentoring", "hostel", "advocacy", "budgeting", "college", "respite"]


class SerialisingBackend(BaseEmailBackend):
    """Builds each message as the mail server would receive it, then drops it."""

    sent = 0
    size = 0

    def send_messages(self, messages):
        for message in messages:
            SerialisingBackend.size += len(message.message().as_bytes())
        SerialisingBackend.sent += len(messages)
        return len(messages)


def seed(*, subscriptions: int, new: int, older: int) -> None:
    assert settings.DATABASES["default"]["NAME"] == "linkup_bench_alerts"
    rng = random.Random(15)
    regions = list(Region.objects.all())
    groups = list(ClientGroup.objects.all())
    now = timezone.now()
    with transaction.atomic():
        Subscription.objects.all().delete()
        Topic.objects.all().delete()
        CaseStudy.objects.all().delete()
        rows = []
        for i in range(new + older):
            words = rng.sample(WORDS, 12)
            rows.append(
                CaseStudy(
                    title=" ".join(words[:5]).capitalize(),
                    slug=f"bench-{i}",
                    reference=f"A{i:08d}",
                    summary=" ".join(words).capitalize() + ".",
                    region=rng.choice(regions),
                    organisations="Brackenford Council; Brackenford Housing Trust",
                    challenge=" ".join(rng.sample(WORDS, 20)),
                    approach=" ".join(rng.sample(WORDS, 20)),
                    results=" ".join(rng.sample(WORDS, 20)),
                    lessons=" ".join(rng.sample(WORDS, 20)),
                    status=Status.PUBLISHED,
                    # The first ``new`` within the last day, the rest before the digest looks.
                    published_at=now - datetime.timedelta(minutes=rng.randint(1, 23 * 60))
                    if i < new
                    else now - datetime.timedelta(days=3 + i // 10),
                )
            )
        created = CaseStudy.objects.bulk_create(rows, batch_size=1000)
        through = CaseStudy.client_groups.through
        through.objects.bulk_create(
            [
                through(casestudy_id=case_study.pk, clientgroup_id=group.pk)
                for case_study in created
                for group in rng.sample(groups, rng.randint(1, 2))
            ],
            batch_size=5000,
        )

        queries = (
            [f"region={r.slug}&client_group={g.slug}" for r in regions for g in groups]
            + [f"region={r.slug}" for r in regions]
            + [f"client_group={g.slug}" for g in groups]
            + [f"q={word}" for word in KEYWORDS]
            + [f"q={word}&region={r.slug}" for word in KEYWORDS[:3] for r in regions[:3]]
            + [""]
        )
        topics = []
        for query in queries:
            choice = topic_read(QueryDict(query))
            topics.append(Topic.objects.create(query=choice.query, description=choice.description))
        # Most people follow a narrow topic; a few follow everything.
        weights = [1.0] * (len(topics) - 1) + [len(topics) * 0.1]
        confirmed = now - datetime.timedelta(days=30)
        Subscription.objects.bulk_create(
            [
                Subscription(
                    topic=rng.choices(topics, weights)[0],
                    email=f"reader{i}@example.gov.test",
                    frequency=Frequency.DAILY,
                    confirmed_at=confirmed,
                    token_version=1,
                )
                for i in range(subscriptions)
            ],
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument("--older", type=int, default=2_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(
        f"Seeding {args.subscriptions} daily subscriptions, {args.new} new and {args.older} older "
        f"case studies into {settings.DATABASES['default']['NAME']} …"
    )
    seed(subscriptions=args.subscriptions, new=args.new, older=args.older)
    topics = Topic.objects.count()

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        sent = alerts_send_digest(frequency=Frequency.DAILY)
        elapsed = time.perf_counter() - started
    deliveries = Delivery.objects.count()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mean_kb = SerialisingBackend.size / max(SerialisingBackend.sent, 1) / 1024
    print(f"\n{args.subscriptions} subscriptions on {topics} topics; {args.new} case studies new today")
    print(f"e-mails sent:            {sent} ({deliveries} case studies listed in all)")
    print(f"time:                    {elapsed:.1f} s")
    print(f"e-mails per second:      {sent / elapsed:.0f}")
    print(f"queries:                 {len(captured)}")
    print(f"mean e-mail size:        {mean_kb:.1f} kB")
    print(f"peak process memory:     {rss_mb:.0f} MB (maximum resident set, with Django loaded)", flush=True)

    Delivery.objects.all().delete()
    tracemalloc.start()
    again = alerts_send_digest(frequency=Frequency.DAILY)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert again == sent, (again, sent)
    print(f"peak memory of the run:  {peak / 1024 / 1024:.1f} MB (tracemalloc, a second run)")


if __name__ == "__main__":
    main()
