"""Directory benchmark: seeds listings into a throwaway database, times the
CSV import, then prints p50/p95 server time and the query plan for a
keyword, a typo and a filtered search.

    .venv/bin/python bench/directory.py            # 100,000 listings
    BENCH_LISTINGS=5000 .venv/bin/python bench/directory.py
"""

import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linkup.settings_test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

COUNT = int(os.environ.get("BENCH_LISTINGS", "100000"))
RUNS = 60


def write_csv(path):
    from directory.demo import EXPERTISE, FIRST, LAST, ROLES
    from directory.importing import HEADER
    from directory.models import open_authorities
    from linkup.models import Agency, ClientGroup

    rng = random.Random(1)
    areas = [a.slug for a in open_authorities()]
    agencies = [a.slug for a in Agency.objects.all()]
    groups = [g.slug for g in ClientGroup.objects.all()]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(COUNT):
            agency = rng.choice(agencies)
            role, team = ROLES.get(agency, ("Practitioner", "Community team"))
            writer.writerow(
                [
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    role,
                    f"{rng.choice(areas).title()} {team}",
                    agency,
                    ";".join(rng.sample(areas, rng.randint(1, 3))),
                    ";".join(rng.sample(groups, rng.randint(1, 2))),
                    "Can help with " + ", ".join(rng.sample(EXPERTISE, 3)),
                    ", ".join(rng.sample(EXPERTISE, 2)),
                    ";".join(rng.sample(["case", "boundaries", "advice"], rng.randint(1, 3))),
                    f"bench{n}@example.nhs.test",
                    "",
                    rng.choice(["yes", "no"]),
                ]
            )


def timed(label, make_queryset):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        qs = make_queryset()
        list(qs[:25])
        qs.count()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
    print(f"{label:<28} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    print("   plan:", make_queryset()[:25].explain().replace("\n", "\n         "))


def main():
    setup_test_environment()
    connection.settings_dict["TEST"] = {
        **connection.settings_dict.get("TEST", {}),
        "NAME": f"bench_directory_{os.getpid()}",
    }
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from directory.models import Listing
        from linkup.models import Agency, LocalAuthority

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "listings.csv"
            write_csv(path)
            start = time.perf_counter()
            call_command("import_directory", str(path), stdout=io.StringIO())
            print(f"Imported {COUNT:,} CSV rows in {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        nottingham = LocalAuthority.objects.get(slug="nottingham")
        probation = Agency.objects.get(slug="probation")
        public = Listing.objects.public
        timed("keyword 'supported housing'", lambda: public().search("supported housing"))
        timed("typo 'leaving cair'", lambda: public().search("leaving cair"))
        timed("typo 'Notingham'", lambda: public().search("Notingham"))
        timed(
            "filtered (area+agency+kw)",
            lambda: public().filter(areas=nottingham, agency=probation).search("resettlement"),
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
