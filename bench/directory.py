"""Directory benchmark: writes a CSV of realistic, varied listings, times
the import into a throwaway database, then prints, for keyword, typo and
filtered searches, p50/p95 time of what the search page asks the database
for (through its own paginator: the typo check, the page of 25 with its
count) with the analysed plan of each statement, and p50/p95 server time of
the whole results page (the real request handler: middleware, the
anti-scraping counter, the form, the queries and the templates; the
whole-page cache off, as for a first visit to that address). Target: p95
≤ 25 ms for each page.

    .venv/bin/python bench/directory.py            # 100,000 listings
    BENCH_LISTINGS=5000 BENCH_RUNS=20 .venv/bin/python bench/directory.py
    BENCH_KEEP=1 .venv/bin/python bench/directory.py   # keep the database afterwards
    BENCH_KEEP_AS=linkup_bench_directory .venv/bin/python bench/directory.py   # ... under this name

The data: names from large first- and last-name lists, a few hundred job
titles and organisations, and expertise written from a few hundred domain
words (common ones more often), so a typical keyword matches a small share
of the listings while place names match many.
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

COUNT = int(os.environ.get("BENCH_LISTINGS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "60"))
KEEP = os.environ.get("BENCH_KEEP", "") not in {"", "0"}
# Keep the seeded database afterwards under this fixed name (another
# benchmark serves it); an older one of that name is replaced.
KEEP_AS = os.environ.get("BENCH_KEEP_AS", "")
REIMPORT = os.environ.get("BENCH_REIMPORT", "1") != "0"
PAGE = 25


def _split(text, separator=None):
    return [part for part in text.split(separator) if part.strip()]


FIRST = _split(
    """
Aaliyah Aaron Abbie Abdul Abigail Adam Adeel Adele Adrian Agnieszka Ahmed Aidan Aisha Alan Albert
Alex Alexandra Alfie Ali Alice Alicia Alison Amanda Amar Amber Amelia Amir Amy Ana Andrea Andrew
Angela Anil Anita Ann Anna Anne Anthony Anya Archie Arjun Arthur Asha Ashley Aston Ava Ayesha Barbara
Barry Beatrice Becky Ben Bernadette Beth Bethany Bilal Bill Bob Bogdan Bradley Brenda Brian Bridget
Bronwen Callum Cameron Carl Carla Carmen Caroline Catherine Cerys Charlie Charlotte Chen Chidi Chloe
Chris Christine Ciara Claire Colin Connor Craig Daisy Dale Damian Dan Daniel Danielle Darren Dave
Dawn Dean Deborah Declan Deepa Denise Dev Diana Dominic Donna Dorota Duncan Dylan Ebony Eddie Eilidh
Elaine Eleanor Elena Eliza Ella Ellie Emily Emma Eric Erin Ethan Eve Ewa Faisal Farah Fatima Femi
Fiona Florence Frances Francesca Frank Freya Gareth Gary Gemma George Georgia Gerald Gillian Grace
Graham Grant Gurpreet Hamza Hannah Harjit Harriet Harry Harvey Hassan Hayley Heather Helen Henry Holly
Hugo Ian Ibrahim Imogen Imran Irene Isaac Isabel Isla Ivan Jack Jacob Jade Jake James Jamie Jan Jane
Janet Jasmine Jason Jay Jayne Jennifer Jenny Jeremy Jess Jo Joan Joanne Joe Joel John Jon Jonathan
Jordan Joseph Josh Joy Judith Julia Julian Julie Justin Kabir Kamal Karen Kate Katie Kayleigh Keith
Kelly Kemi Ken Kerry Kevin Kieran Kim Kirsty Krystyna Kwame Laura Lauren Layla Leah Lee Leila Leon
Lewis Liam Lily Linda Lindsey Lisa Liz Lola Louise Lucy Luke Lydia Lynn Maddie Malcolm Marcus
Margaret Maria Mark Martin Mary Mason Matt Maya Megan Mei Melanie Mia Michael Michelle Mike Milan
Mohammed Molly Naomi Natalie Nathan Neil Nicola Nikhil Nina Noah Noor Oliver Olivia Omar Oscar Owen
Paige Pamela Parveen Patrick Paul Paula Pauline Peter Petra Phil Phoebe Piotr Poppy Priya Rachel
Rahul Raj Rebecca Rhys Richard Rob Robert Roisin Ronan Rosa Rose Ruby Rukhsana Ruth Ryan Saba Sadia
Sally Sam Samir Samuel Sandra Sara Sarah Scarlett Sean Shabana Shane Sharon Shauna Sian Simon Sinead
Sophie Stacey Stephen Steve Stuart Sue Suki Sunil Susan Tanya Tara Teresa Theo Thomas Tim Tina Toby
Tom Tomasz Tony Tracey Tyler Usman Vanessa Vicky Vikram Vincent Wayne Wendy Will Yasmin Yusuf Zainab
Zara Zoe Zoë Céline Renée Siân Zoltán
"""
)
LAST_STARTS = _split(
    """
Ash Black Brad Brook Burn Cal Chad Clay Cran Dal Dun El Fair Fen Gold Green Hart Hal Hay Holt Ing
Kirk Lang Lind Marsh Mil New North Oak Pem Red Ross Rush Shaw Stan Thorn Wal West Whit Wood
"""
)
LAST_ENDS = _split("by bury cliffe dale ford field ham hill hurst ley more stead ton wick well worth")
LAST_WHOLE = _split(
    """
Ahmed Akhtar Ali Begum Bhatt Chaudhry Chen Doherty Evans Francis Gill Hughes Hussain Iqbal Jones Kaur
Khan Kowalski Kumar Lewis Mahmood Malik Mensah Murphy Nowak Okafor Patel Price Rahman Roberts Sandhu
Shah Singh Smith Taylor Thomas Wang Williams Wilson Wiśniewska Zielińska Brontë O'Neill McAllister
"""
)
LAST = sorted({*LAST_WHOLE, *(start + end for start in LAST_STARTS for end in LAST_ENDS)})

GRADES = ["", "", "", "Senior ", "Lead ", "Principal ", "Assistant ", "Specialist ", "Trainee "]
ROLES = _split(
    """
Social worker|Approved mental health professional|Occupational therapist|Care coordinator|
Community mental health nurse|Psychologist|Peer support worker|Recovery coach|Recovery worker|
Community health practitioner|District nurse|Health visitor|Learning disability nurse|
Leaving care personal adviser|Personal adviser|Independent reviewing officer|Youth worker|
Youth justice worker|Probation officer|Probation services officer|Resettlement worker|
Housing options officer|Tenancy sustainment officer|Homelessness prevention officer|
Supported housing manager|Housing support worker|Outreach worker|Navigator|Key worker|
Work coach|Employment adviser|Job coach|Disability employment adviser|Careers adviser|
Adult learning coordinator|Family support worker|Debt adviser|Welfare rights adviser|
Neighbourhood liaison officer|Police community support officer|Safeguarding lead|
Commissioning manager|Service manager|Team manager|Project worker|Volunteer coordinator|
Drug and alcohol worker|Harm reduction worker|Advocate|Domestic abuse adviser
""".replace("\n", ""),
    "|",
)
TOWNS = _split(
    """
Derby Chesterfield Buxton Matlock Ilkeston Swadlincote Glossop Leicester Loughborough Hinckley
Melton Coalville Lincoln Boston Grantham Skegness Gainsborough Spalding Stamford Corby Kettering
Wellingborough Northampton Daventry Brackley Nottingham Mansfield Newark Worksop Retford Beeston
Arnold Hucknall Oakham Uppingham
"""
)
ORG_KINDS = _split(
    """
Council|County Council|City Council|NHS Foundation Trust|Healthcare NHS Trust|Probation Delivery Unit|
Youth Justice Service|Housing Association|Homes|Community Housing|Recovery Partnership|Mind|
Citizens Advice|Jobcentre Plus|College|Adult Learning Service|Police|Women's Centre|Foyer|
YMCA|Community Trust|Advice Centre|Care Leavers Service|Carers Centre|Wellbeing Hub
""".replace("\n", ""),
    "|",
)
# Domain words, most common first; listings draw them with falling weights.
WORDS = _split(
    """
housing support care mental health advice benefits employment families young people homelessness
recovery safeguarding risk tenancy debt education training substance alcohol drugs offending
resettlement probation leaving carers disability learning autism trauma domestic abuse prison
release hostel accommodation supported sustainment welfare rights universal credit appeals budgeting
volunteering apprenticeships skills college referrals assessment planning pathway personal adviser
multi-agency partnership commissioning outreach rough sleeping street tenants landlords eviction
arrears prevention rehousing temporary refuge women veterans refugees asylum migrants interpreting
language literacy numeracy digital inclusion isolation loneliness befriending peer mentoring
coaching confidence wellbeing counselling therapy psychology psychiatry medication crisis liaison
community nursing primary secondary dual diagnosis detox rehabilitation harm reduction needle
exchange naloxone gambling criminal justice courts sentencing licence conditions approved premises
MAPPA MARAC youth justice exploitation county lines gangs knife crime restorative victims
neighbourhood policing antisocial behaviour cuckooing hate crime modern slavery trafficking
consent capacity deprivation liberty advocacy complaints carers assessment Care Act section
aftercare discharge hospital admission readmission frailty dementia stroke diabetes nutrition
dental sexual health pregnancy parenting children adolescents transitions SEND EHCP exclusion
attendance truancy NEET mentoring sport arts culture faith mosque church gurdwara temple food
banks fuel poverty energy grants charities fundraising trustees governance data protection
information sharing GDPR consent forms audits inspections CQC Ofsted quality improvement
co-production lived experience service user involvement feedback surveys evaluation outcomes
commissioning tenders contracts budgets funding bids grants reporting dashboards spreadsheets
Traveller Gypsy Roma seasonal agricultural workers warehouse night shifts transport bus rural
villages market towns coalfield estates regeneration planning furniture white goods removals
storage pets kennels cuckoo hoarding cleaning repairs adaptations occupational equipment telecare
falls prevention reablement homecare domiciliary residential nursing homes respite day centres
employment tribunal unions sickness absence fitness note occupational health workplace adjustments
interviews CVs jobsearch vacancies employers recruitment retention induction probationary
"""
)
SENTENCES = [
    "I work on {0} and {1} for people with {2}.",
    "Experienced in {0}, {1} and {2}.",
    "Can advise colleagues on {0} and {1}, especially where {2} is involved.",
    "Our team covers {0}, {1}, {2} and {3}.",
    "Happy to talk about {0} or {1}.",
    "Specialist knowledge of {0} with {1} and {2} partners.",
]


def write_csv(path):
    from directory.importing import HEADER
    from linkup.models import Agency, ClientGroup, LocalAuthority

    rng = random.Random(1)
    areas = [a.slug for a in LocalAuthority.objects.open_to_listings()]
    agencies = [a.slug for a in Agency.objects.all()]
    groups = [g.slug for g in ClientGroup.objects.all()]
    roles = [grade + role.strip() for grade in dict.fromkeys(GRADES) for role in ROLES]
    organisations = [f"{town} {kind.strip()}" for town in TOWNS for kind in ORG_KINDS]
    weights = [1 / (rank + 20) for rank in range(len(WORDS))]

    def words(k):
        return rng.choices(WORDS, weights, k=k)

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(COUNT):
            sentences = []
            for template in rng.sample(SENTENCES, rng.randint(2, 3)):
                sentences.append(template.format(*words(4)))
            writer.writerow(
                [
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    rng.choice(roles),
                    rng.choice(organisations),
                    rng.choice(agencies),
                    ";".join(rng.sample(areas, rng.choice([1, 1, 1, 2, 2, 3]))),
                    ";".join(rng.sample(groups, rng.randint(1, 2))),
                    " ".join(sentences),
                    ", ".join(words(rng.randint(0, 3))),
                    ";".join(rng.sample(["case", "boundaries", "advice"], rng.randint(1, 3))),
                    f"bench{n}@example.nhs.test",
                    "",
                    rng.choice(["yes", "no"]),
                ]
            )


def run_page(results):
    """What the search page asks for: the first page with its related rows,
    and the total, through the page's paginator."""
    from django.core.paginator import Paginator

    from directory.views import PAGE_SIZE

    paginator = Paginator(results, PAGE_SIZE)
    rows = list(paginator.get_page(1))
    return paginator.count, rows


def timed(label, make_queryset):
    times = []
    with CaptureQueriesContext(connection) as captured:
        total, _rows = run_page(make_queryset())
    for _ in range(RUNS):
        start = time.perf_counter()
        run_page(make_queryset())
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p50, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{label:<30} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   {total:,} found, {len(captured)} queries")
    if os.environ.get("BENCH_PLANS", "1") != "0":
        # Each statement the page ran (typo correction, page, count, related
        # rows), as it ran, analysed.
        for number, query in enumerate(captured.captured_queries, 1):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"  query {number}: {' '.join(query['sql'].split())[:90]} ...")
            print("        plan:", plan.replace("\n", "\n              "))
    return p50, p95


# The results pages, as a visitor asks for them.
PAGES = [
    ("page: keyword 'supported housing'", "/directory/search/?q=supported+housing"),
    ("page: keyword 'gambling'", "/directory/search/?q=gambling"),
    ("page: typo 'probaton'", "/directory/search/?q=probaton"),
    ("page: typo 'leaving cair'", "/directory/search/?q=leaving+cair"),
    ("page: filtered (area+agency)", "/directory/search/?area=nottingham&agency=probation"),
    ("page: filtered (area+agency+kw)", "/directory/search/?q=resettlement&area=nottingham&agency=probation"),
]


def time_pages():
    """p50/p95 server time of each results page through the real request
    handler (no test-environment template instrumentation). The page cache
    is off, so every request builds its page; the anti-scraping limit is
    raised out of reach, so every request still counts against it (its
    upsert is part of the time) without being refused."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.DIRECTORY_RATE_LIMIT_PER_MINUTE = 10**9
    client = Client(HTTP_HOST="127.0.0.1")
    for label, url in PAGES:
        for _ in range(5):  # warm up
            assert client.get(url).status_code == 200
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p50, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
        flag = "" if p95 <= 25 else "  (over the 25 ms target)"
        print(f"{label:<38} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms{flag}")


def filtered(**filters):
    from django.db.models import Exists, OuterRef

    from directory.models import Listing

    queryset = Listing.objects.public()

    if filters.get("area"):
        queryset = queryset.filter(
            Exists(
                Listing.areas.through.objects.filter(localauthority=filters["area"], listing=OuterRef("pk"))
            )
        )
    if filters.get("agency"):
        queryset = queryset.filter(agency=filters["agency"])
    return queryset


def searched(queryset, words, *, narrowed=True):
    """A keyword search as the results page runs it (in rank order)."""
    return queryset.search(words, narrowed=narrowed)


def main():
    # With BENCH_KEEP_AS the database is created under that name directly.
    name = KEEP_AS or f"bench_directory_{os.getpid()}"
    connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": name}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from directory.models import Listing
        from linkup.models import Agency, LocalAuthority

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "listings.csv"
            write_csv(path)
            start = time.perf_counter()
            call_command("import_directory", str(path), stdout=io.StringIO())
            seconds = time.perf_counter() - start
            print(f"Imported {COUNT:,} CSV rows in {seconds:.1f} s ({Listing.objects.count():,} listings)")
            if REIMPORT:
                start = time.perf_counter()
                call_command("import_directory", str(path), stdout=io.StringIO())
                print(f"Imported them again (all updates) in {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        reset_queries()
        nottingham = LocalAuthority.objects.get(slug="nottingham")
        probation = Agency.objects.get(slug="probation")
        public = Listing.objects.public
        timed("keyword 'supported housing'", lambda: searched(public(), "supported housing", narrowed=False))
        timed("keyword 'probation'", lambda: searched(public(), "probation", narrowed=False))
        timed("keyword 'gambling'", lambda: searched(public(), "gambling", narrowed=False))
        timed("typo 'leaving cair'", lambda: searched(public(), "leaving cair", narrowed=False))
        timed("typo 'Notingham'", lambda: searched(public(), "Notingham", narrowed=False))
        timed("typo 'probaton'", lambda: searched(public(), "probaton", narrowed=False))
        timed(
            "filtered (area+agency)",
            lambda: filtered(area=nottingham, agency=probation)
            .order_by("full_name", "pk")
            .for_results_page(),
        )
        timed(
            "filtered (area+agency+kw)",
            lambda: searched(filtered(area=nottingham, agency=probation), "resettlement"),
        )
        print("\nWhole results pages (server time):")
        time_pages()
    finally:
        if KEEP or KEEP_AS:
            connection.close()
            connection.settings_dict["NAME"] = old_name
            print(f"Kept the database {name}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
