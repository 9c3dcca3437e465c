"""Case-study pages with 20,000 published case studies: p50/p95 server time
for the coverage grid, the list with two filters and a keyword search, and
the search's query plan (it should use the GIN indexes).

    .venv/bin/python bench/casestudies.py [--rows 20000] [--requests 200]

It runs on its own database (``linkup_bench_casestudies``) of the embedded
server, emptied of case studies and filled again on each run; the portal's
own database is never touched. Target: p95 ≤ 25 ms for each page.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
os.environ.pop("DATABASE_URL", None)
os.environ["EMBEDDED_DB_NAME"] = "linkup_bench_casestudies"
os.environ["DJANGO_SETTINGS_MODULE"] = "linkup.settings"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from casestudies.models import CaseStudy  # noqa: E402
from linkup.models import Agency, ClientGroup, Outcome, Region  # noqa: E402
from linkup.moderation import Status  # noqa: E402

WORDS = [
    "housing",
    "tenancy",
    "probation",
    "mentoring",
    "employment",
    "apprenticeship",
    "college",
    "discharge",
    "hospital",
    "supported",
    "lodgings",
    "advice",
    "joint",
    "plan",
    "referral",
    "protocol",
    "volunteers",
    "council",
    "trust",
    "nurse",
    "recovery",
    "training",
    "benefits",
    "landlord",
    "deposit",
    "resettlement",
    "family",
    "carers",
    "outreach",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def seed(rows: int) -> None:
    assert settings.DATABASES["default"]["NAME"] == "linkup_bench_casestudies"
    rng = random.Random(16)
    regions = list(Region.objects.all())
    groups = list(ClientGroup.objects.all())
    agencies = list(Agency.objects.all())
    outcomes = list(Outcome.objects.all())
    now = timezone.now()
    with transaction.atomic():
        CaseStudy.objects.all().delete()
        batch = [
            CaseStudy(
                title=f"{sentence(rng, 5)[:-1]} {i}",
                slug=f"bench-{i}",
                reference=f"B{i:08d}",
                summary=sentence(rng, 30),
                region=rng.choice(regions),
                organisations=sentence(rng, 6),
                challenge=sentence(rng, 80),
                approach=sentence(rng, 120),
                results=sentence(rng, 60),
                lessons=sentence(rng, 40),
                status=Status.PUBLISHED,
                published_at=now - datetime.timedelta(hours=i),
            )
            for i in range(rows)
        ]
        created = CaseStudy.objects.bulk_create(batch, batch_size=1000)
        for relation, choices, most in (
            ("client_groups", groups, 2),
            ("agencies", agencies, 4),
            ("outcomes", outcomes, 2),
        ):
            through = getattr(CaseStudy, relation).through
            target = through._meta.get_field(choices[0]._meta.model_name).attname
            links = [
                through(**{"casestudy_id": case_study.pk, target: choice.pk})
                for case_study in created
                for choice in rng.sample(choices, rng.randint(1, most))
            ]
            through.objects.bulk_create(links, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE casestudies_casestudy")
        cursor.execute("ANALYZE casestudies_casestudy_client_groups")
        cursor.execute("ANALYZE casestudies_casestudy_outcomes")


def time_page(client: Client, url: str, requests: int) -> tuple[float, float]:
    for _ in range(5):  # warm up
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"Seeding {args.rows} published case studies into {settings.DATABASES['default']['NAME']} …")
    seed(args.rows)
    setup_test_environment()
    client = Client()
    pages = {
        "coverage grid": "/case-studies/",
        "list, two filters": "/case-studies/browse/?region=london&client_group=care-leavers",
        "keyword search": "/case-studies/browse/?q=mentoring+apprenticeship",
    }
    print(f"\n{'page':<20} {'p50 ms':>8} {'p95 ms':>8}")
    for name, url in pages.items():
        p50, p95 = time_page(client, url, args.requests)
        flag = "" if p95 <= 25 else "  (over the 25 ms target)"
        print(f"{name:<20} {p50:>8.1f} {p95:>8.1f}{flag}")

    queryset = CaseStudy.objects.published().search("mentoring apprenticeship")[:20]
    print("\nEXPLAIN ANALYZE for the keyword search:\n")
    print(queryset.explain(analyze=True))


if __name__ == "__main__":
    main()
