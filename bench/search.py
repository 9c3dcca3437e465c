"""Site-wide search with 20,000 case studies (a tenth unpublished) and 500
extra toolkit pages: p50/p95 server time and the number of queries for a
word in 1% of the case studies, a word in nearly all of them, two common
words, a typo that finds nothing (so "did you mean" runs) and one content
type alone. A word in nearly every record is the worst case: every match
is ranked.

    .venv/bin/python bench/search.py [--rows 20000] [--pages 500] [--requests 200]

It runs on its own database (``linkup_bench_search``) of the embedded
server, emptied and filled again on each run; the portal's own database is
never touched. Target: p95 ≤ 50 ms for each query.
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
from urllib.parse import urlencode

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
os.environ.pop("DATABASE_URL", None)
os.environ["EMBEDDED_DB_NAME"] = "linkup_bench_search"
os.environ["DJANGO_SETTINGS_MODULE"] = "linkup.settings"
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Searches as built for each request: the whole-page cache (linkup/pagecache.py)
# would answer every repeat of the same address (bench/run_all.py measures both).
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from casestudies.models import CaseStudy  # noqa: E402
from linkup.models import Region  # noqa: E402
from linkup.moderation import Status  # noqa: E402
from toolkit.models import Page, Section  # noqa: E402

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

QUERIES = {
    "a word in 1% of rows": {"q": "kestrel"},
    "one common word": {"q": "housing"},
    "two words": {"q": "mentoring apprenticeship"},
    "typo, nothing found": {"q": "resetlemnt zzq"},
    "case studies alone": {"q": "tenancy", "type": "casestudies"},
}


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def seed(rows: int, pages: int) -> None:
    assert settings.DATABASES["default"]["NAME"] == "linkup_bench_search"
    rng = random.Random(16)
    regions = list(Region.objects.all())
    now = timezone.now()
    with transaction.atomic():
        CaseStudy.objects.all().delete()
        Page.objects.filter(section__slug="bench").delete()
        Section.objects.filter(slug="bench").delete()
        CaseStudy.objects.bulk_create(
            [
                CaseStudy(
                    title=f"{sentence(rng, 5)[:-1]} {'kestrel ' if i % 100 == 1 else ''}{i}",
                    slug=f"bench-{i}",
                    reference=f"B{i:08d}",
                    summary=sentence(rng, 30),
                    region=rng.choice(regions),
                    organisations=sentence(rng, 6),
                    challenge=sentence(rng, 80),
                    approach=sentence(rng, 120),
                    results=sentence(rng, 60),
                    lessons=sentence(rng, 40),
                    status=Status.SUBMITTED if i % 10 == 0 else Status.PUBLISHED,
                    published_at=now - datetime.timedelta(hours=i),
                )
                for i in range(rows)
            ],
            batch_size=1000,
        )
        section = Section.objects.create(title="Bench", slug="bench", position=99)
        Page.objects.bulk_create(
            [
                Page(
                    section=section,
                    title=f"{sentence(rng, 4)[:-1]} {i}",
                    slug=f"bench-{i}",
                    summary=sentence(rng, 20),
                    body="\n\n".join(sentence(rng, 60) for _ in range(5)),
                    position=i,
                    published=i % 10 != 0,
                )
                for i in range(pages)
            ],
            batch_size=500,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE casestudies_casestudy")
        cursor.execute("VACUUM ANALYZE toolkit_page")


def time_search(client: Client, url: str, requests: int) -> tuple[float, float, int]:
    for _ in range(5):  # warm up
        assert client.get(url).status_code == 200
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        client.get(url)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    name = settings.DATABASES["default"]["NAME"]
    print(f"Seeding {args.rows} case studies and {args.pages} toolkit pages into {name} …")
    seed(args.rows, args.pages)
    # A client of the real request handler: no test-environment
    # instrumentation (it copies every template's context as it renders).
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"\n{'search':<22} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, params in QUERIES.items():
        p50, p95, queries = time_search(client, f"/search/?{urlencode(params)}", args.requests)
        flag = "" if p95 <= 50 else "  (over the 50 ms target)"
        print(f"{label:<22} {p50:>8.1f} {p95:>8.1f} {queries:>8}{flag}")


if __name__ == "__main__":
    main()
