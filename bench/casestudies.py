"""Case-study pages with 20,000 published case studies: p50/p95 server time
for the coverage grid (both views), the list with two filters, with the
evidence filters and sorted by people helped, and keyword searches, the
share of rows each keyword matches, and EXPLAIN (ANALYZE) of every
case-study query those pages make (they should use the indexes).

    .venv/bin/python bench/casestudies.py [--rows 20000] [--requests 200] [--reuse] [--no-plans]

The text is written from a few hundred domain words in themes, and place
names, so a typical keyword matches a few percent of the rows, as in real
content. It runs on its own database (``linkup_bench_casestudies``) of the
embedded server, emptied of case studies and filled again on each run
(``--reuse`` keeps the last run's rows); the portal's own database is never
touched. Target: p95 ≤ 25 ms for each page, as built for each request (the
whole-page cache is off here). The "cache cleared" rows empty the shared
cache first, where ``content_cached()`` keeps the filter panels, a page of
results and the coverage counts: they are a first visit to a new view. "first search, new word"
searches for a different word each time, as the first person to search for it."""

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
# The pages as built for each request: the whole-page cache (linkup/pagecache.py)
# would answer every repeat of the same address (bench/run_all.py measures both).
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from casestudies.evidence import FigureUnit, MeasurementMethod  # noqa: E402
from casestudies.models import CaseStudy, OutcomeFigure  # noqa: E402
from linkup.models import Agency, ClientGroup, NationalIndicator, Outcome, Region  # noqa: E402
from linkup.moderation import Status  # noqa: E402

# Themes a case study is about: each study draws most of its specific words
# from two or three of these, so a typical keyword matches a few percent of rows.
THEMES = {
    "housing": "tenancy landlord deposit lettings hostel homelessness eviction rent arrears bond flat bedsit",
    "employment": (
        "apprenticeship employer vacancy interview placement payroll wages recruitment "
        "jobcentre traineeship internship workplace"
    ),
    "mentoring": (
        "mentoring mentor mentee befriending peer coaching buddy confidence motivation "
        "aspiration encouragement rapport"
    ),
    "probation": (
        "probation licence offender sentence prison custody release resettlement "
        "reoffending parole court magistrates"
    ),
    "mental health": (
        "psychiatric wellbeing crisis anxiety depression psychosis therapy counselling "
        "clinician ward medication psychologist"
    ),
    "learning disability": (
        "advocacy autism makaton capacity independence respite personalisation "
        "communication pictorial tenancies circles guardianship"
    ),
    "leaving care": (
        "foster pathway bursary fostering guardians corporate leavers adolescence "
        "placements stability adviser reunion"
    ),
    "education": (
        "college enrolment qualification literacy numeracy diploma tutor course "
        "curriculum classroom examinations attendance"
    ),
    "substance misuse": (
        "alcohol drugs detox rehabilitation methadone treatment abstinence relapse harm "
        "needle addiction sobriety"
    ),
    "money": (
        "benefits debt budgeting allowance entitlement grant payment claim sanction finance savings loan"
    ),
    "primary care": (
        "surgery nurse dentist registration prescription physiotherapy immunisation "
        "screening pharmacy optician podiatry practitioner"
    ),
    "information sharing": (
        "protocol consent confidentiality data agreement disclosure records database "
        "caseload gateway triage privacy"
    ),
    "commissioning": (
        "commissioning contract tender budget pooled funding board strategy governance "
        "procurement evaluation commissioner"
    ),
    "families": (
        "parents siblings kinship children household relatives grandparents reunification "
        "visiting parenting toddlers babies"
    ),
    "volunteering": (
        "volunteers charity church trustee fundraising donation parish congregation "
        "mosque gurdwara temple almshouse"
    ),
    "activities": (
        "football gym allotment gardening music theatre painting cooking fishing cycling walking photography"
    ),
    "policing": (
        "police arrest neighbourhood antisocial curfew tagging victim restorative liaison "
        "diversion caution constable"
    ),
    "digital": (
        "digital laptop internet smartphone online email website computer broadband tablet wifi coding"
    ),
    "transport": "bus travel train railcard driving journey rural transport bicycle taxi fare minibus",
    "food": (
        "foodbank meals nutrition breakfast hunger vouchers pantry shopping kitchen canteen lunch groceries"
    ),
    "safeguarding": (
        "refuge abuse safeguarding exploitation trafficking risk violence protection "
        "coercion stalking grooming marac"
    ),
    "veterans": (
        "veterans forces military regiment navy army reservists covenant soldiers sailors airmen barracks"
    ),
    "youth": (
        "youth teenagers adolescents neet detached club gang knife youngsters sixth schoolchildren pupils"
    ),
    "older people": (
        "older elderly pension dementia retirement pensioners frailty falls loneliness "
        "bereavement widow widower"
    ),
    "enterprise": (
        "enterprise business startup freelance cooperative market trading customers "
        "entrepreneur invoice stall franchise"
    ),
    "construction": (
        "construction bricklaying plumbing carpentry scaffolding labouring joinery "
        "roofing plastering electrician welding surveying"
    ),
    "hospitality": (
        "catering hotel restaurant barista chef waiting hospitality cafe bakery pub brewery housekeeping"
    ),
    "retail": (
        "retail shop supermarket warehouse stock till logistics forklift distribution "
        "delivery courier checkout"
    ),
    "care work": (
        "domiciliary caring nursing hoist bathing dressing carework reablement homecare "
        "rota shifts medication"
    ),
    "environment": (
        "recycling conservation woodland parks horticulture landscaping hedgerow "
        "composting beekeeping nursery orchard canal"
    ),
    "migration": (
        "asylum refugee interpreter esol migrant settlement visa citizenship translation "
        "resettled dispersal naturalisation"
    ),
    "legal": (
        "solicitor legal tribunal appeal possession injunction barrister hearing judge "
        "lawyer mediation ombudsman"
    ),
    "sustainment": (
        "sustainment hoarding cleaning repairs furniture decorating utilities energy "
        "heating meter bills insulation"
    ),
    "neurodiversity": (
        "adhd dyslexia dyspraxia neurodivergent sensory assessment diagnosis adjustments "
        "tourette autistic stimming processing"
    ),
    "lived experience": (
        "survivors coproduction involvement forum panel champions ambassadors testimony "
        "storytelling voices consultation peer-led"
    ),
    "rough sleeping": (
        "rough sleeping street outreach shelter winter encampment doorway sleeper begging hostels nightstop"
    ),
    "supported housing": (
        "floating keyworker move-on step-down halfway foyer lodgings warden supported concierge scheme hosts"
    ),
    "hospital discharge": (
        "discharge bed admission readmission delayed intermediate inpatient outpatient "
        "matron consultant paramedic ambulance"
    ),
    "prison": (
        "cell wing governor inmates prisoners remand gate visits chaplaincy workshop landings induction"
    ),
    "gambling": (
        "gambling betting casino bingo lottery stakes bookmaker wagers jackpot arcade slots scratchcards"
    ),
}
GENERAL_TEXT = (
    "team staff worked support people service weekly monthly agreed shared joint plan meeting local partners "
    "agency together helped progress goals review client case officer manager approach working "
    "worker improved "
    "early needs time months year new better named contact regular trust outcome results across area council "
    "first every each lead single small large practical simple quick long short trained dedicated clear"
)
GENERAL = GENERAL_TEXT.split()
PLACES_TEXT = (
    "Newcastle Sunderland Gateshead Durham Darlington Middlesbrough Hartlepool Carlisle Kendal "
    "Lancaster Preston Blackpool Blackburn Burnley Bolton Wigan Manchester Salford Stockport Oldham "
    "Rochdale Liverpool Birkenhead Warrington Chester Crewe Leeds Bradford Wakefield Huddersfield "
    "Halifax Sheffield Rotherham Doncaster Barnsley Hull York Scarborough Harrogate Grimsby Derby "
    "Nottingham Leicester Lincoln Boston Grantham Mansfield Chesterfield Northampton Kettering Corby "
    "Oakham Loughborough Birmingham Coventry Wolverhampton Walsall Dudley Solihull Stoke Stafford "
    "Telford Shrewsbury Hereford Worcester Kidderminster Norwich Ipswich Cambridge Peterborough "
    "Colchester Chelmsford Southend Luton Bedford Watford Stevenage Lowestoft Croydon Hackney "
    "Lambeth Southwark Camden Islington Newham Barnet Ealing Brent Haringey Lewisham Greenwich "
    "Brighton Hastings Eastbourne Southampton Portsmouth Reading Oxford Slough Milton Maidstone "
    "Canterbury Dover Guildford Basingstoke Bristol Bath Exeter Plymouth Truro Taunton Gloucester "
    "Swindon Bournemouth Poole Torquay Barnstaple"
)
PLACES = PLACES_TEXT.split()
TITLE_OPENINGS = [
    "Joint",
    "Shared",
    "Working together on",
    "A single plan for",
    "Better",
    "Faster",
    "Joined-up",
    "Co-located",
    "Multi-agency",
    "Local",
    "Partnership for",
    "Learning from",
]


def weighted_themes(rng: random.Random) -> list[str]:
    """Two or three themes; some themes are far more common than others."""
    names = list(THEMES)
    weights = [1 / (position + 1) ** 0.6 for position in range(len(names))]
    chosen: list[str] = []
    while len(chosen) < rng.choice((2, 2, 3)):
        name = rng.choices(names, weights)[0]
        if name not in chosen:
            chosen.append(name)
    return chosen


DOMAIN_WORDS = sorted({word for words in THEMES.values() for word in words.split()})


class Writer:
    """Sentences about a few themes and places, like a real case study."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.themes = weighted_themes(rng)
        self.theme_words = [word for theme in self.themes for word in THEMES[theme].split()]
        self.places = rng.sample(PLACES, rng.randint(1, 2))

    def word(self) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            return self.rng.choice(GENERAL)
        if roll < 0.97:
            return self.rng.choice(self.theme_words)
        if roll < 0.985:
            return self.rng.choice(self.places)
        return self.rng.choice(DOMAIN_WORDS)

    def sentence(self, n: int) -> str:
        return " ".join(self.word() for _ in range(n)).capitalize() + "."

    def text(self, words: int) -> str:
        sentences = []
        while words > 0:
            n = min(words, self.rng.randint(8, 18))
            sentences.append(self.sentence(n))
            words -= n
        return " ".join(sentences)

    def title(self) -> str:
        first, second = self.rng.sample(self.theme_words, 2)
        return f"{self.rng.choice(TITLE_OPENINGS)} {first} and {second} in {self.places[0]}"


# Confirmed evidence levels as real examples would have them: most at level 1
# or 2, few at 5; two in five not yet confirmed (None).
LEVEL_WEIGHTS = {None: 40, 1: 22, 2: 18, 3: 11, 4: 6, 5: 3}


def evidence(rng: random.Random) -> dict:
    """The whole-example evidence answers of one seeded case study."""
    known = rng.random() < 0.7
    return {
        "cohort_size": rng.randint(5, 2000) if known else None,
        "evidence_level": rng.choices(list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values()))[0],
        "measurement_method": rng.choice(MeasurementMethod.values) if known else "",
        "setup_cost": rng.randrange(0, 50_000, 500) if rng.random() < 0.5 else None,
        "yearly_cost": rng.randrange(0, 200_000, 1000) if rng.random() < 0.5 else None,
        "cost_per_person": rng.randint(20, 3000) if rng.random() < 0.4 else None,
    }


def figures(rng: random.Random, case_study: CaseStudy, indicators: list) -> list[OutcomeFigure]:
    """Up to three figures for about half the examples; most with a result
    and an indicator."""
    if rng.random() < 0.45:
        return []
    made = []
    for position in range(rng.randint(1, 3)):
        unit = rng.choice(FigureUnit.values)
        top = 100 if unit == FigureUnit.PERCENT else 500
        baseline = rng.randint(0, top // 2)
        made.append(
            OutcomeFigure(
                case_study=case_study,
                position=position,
                measure="In settled accommodation after a year",
                indicator=rng.choice(indicators) if rng.random() < 0.8 else None,
                people=rng.randint(5, 500),
                baseline_value=baseline,
                baseline_unit=unit,
                result_value=rng.randint(baseline, top) if rng.random() < 0.85 else None,
                result_unit=unit,
            )
        )
    return made


def seed(rows: int) -> None:
    assert settings.DATABASES["default"]["NAME"] == "linkup_bench_casestudies"
    rng = random.Random(16)
    regions = list(Region.objects.all())
    groups = list(ClientGroup.objects.all())
    agencies = list(Agency.objects.all())
    outcomes = list(Outcome.objects.all())
    indicators = list(NationalIndicator.objects.all())
    now = timezone.now()
    with transaction.atomic():
        CaseStudy.objects.all().delete()
        batch = []
        for i in range(rows):
            writer = Writer(rng)
            batch.append(
                CaseStudy(
                    **evidence(rng),
                    title=writer.title(),
                    slug=f"bench-{i}",
                    reference=f"B{i:08d}",
                    summary=writer.text(30),
                    region=rng.choice(regions),
                    organisations=f"{writer.places[0]} Council; {writer.places[-1]} Housing Trust",
                    challenge=writer.text(80),
                    approach=writer.text(120),
                    results=writer.text(60),
                    lessons=writer.text(40),
                    status=Status.PUBLISHED,
                    published_at=now - datetime.timedelta(hours=i),
                )
            )
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
        made = [figure for case_study in created for figure in figures(rng, case_study, indicators)]
        OutcomeFigure.objects.bulk_create(made, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE casestudies_casestudy")
        cursor.execute("VACUUM ANALYZE casestudies_outcomefigure")
        for relation in ("client_groups", "agencies", "outcomes"):
            cursor.execute(f"VACUUM ANALYZE casestudies_casestudy_{relation}")


def time_page(client: Client, url: str, requests: int, *, before=None) -> tuple[float, float]:
    """p50 and p95 server time; ``before`` runs, untimed, before every request."""
    for _ in range(5):  # warm up
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(requests):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


PAGES = {
    "coverage grid": ("/case-studies/", None),
    "grid, cache cleared": ("/case-studies/", cache.clear),
    "list, two filters": ("/case-studies/browse/?region=london&client_group=care-leavers", None),
    "keyword search": ("/case-studies/browse/?q=mentoring+apprenticeship", None),
    # The same search with nothing in the cache: no rendered results and no filter form.
    "keyword, cache cleared": ("/case-studies/browse/?q=mentoring+apprenticeship", cache.clear),
    "search, common word": ("/case-studies/browse/?q=tenancy", None),
    "search + filters": ("/case-studies/browse/?q=tenancy&region=london&client_group=care-leavers", None),
    "search, typo": ("/case-studies/browse/?q=aprenticeship+mentorng", None),
    "grid, strength": ("/case-studies/?view=strength", None),
    "list, level 3+": ("/case-studies/browse/?level=3", None),
    "list, has figures": ("/case-studies/browse/?figures=yes", None),
    # "Care leavers in the East Midlands, comparison group or better, figures for NI 147".
    "list, evidence journey": (
        "/case-studies/browse/?region=east-midlands&client_group=care-leavers&level=3&figures=yes"
        "&indicator=NI+147",
        None,
    ),
    "sort, people helped": ("/case-studies/browse/?sort=people", None),
    "people helped + level": ("/case-studies/browse/?sort=people&level=3&client_group=care-leavers", None),
    "search, people helped": ("/case-studies/browse/?q=tenancy&sort=people", None),
}
# The pages whose queries are explained, and the keywords whose matches are counted.
EXPLAINED = [
    "grid, cache cleared",
    "list, two filters",
    "keyword search",
    "search, typo",
    "list, has figures",
    "list, evidence journey",
    "sort, people helped",
    "people helped + level",
]
KEYWORDS = ["mentoring apprenticeship", "tenancy", "probation", "dementia", "aprenticeship mentorng"]


def typical_words(rows: int, low: float = 0.005, high: float = 0.05) -> list[str]:
    """Domain words that each match between ``low`` and ``high`` of the rows,
    as a typical keyword does."""
    published = CaseStudy.objects.published()
    return [word for word in DOMAIN_WORDS if low * rows <= published.search(word).count() <= high * rows]


def time_first_searches(client: Client, words: list[str]) -> tuple[float, float, int]:
    """p50 and p95 server time of searches for words no one has searched
    for yet: each rendered afresh (the filter form, the same for every
    keyword, comes from the cache once the first search has stored it)."""
    for word in words[:5]:  # warm up
        assert client.get(f"/case-studies/browse/?q={word}").status_code == 200
    timings = []
    for word in words[5:]:
        start = time.perf_counter()
        response = client.get(f"/case-studies/browse/?q={word}")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)], len(timings)


def explain_page(client: Client, url: str) -> None:
    """EXPLAIN (ANALYZE) every case-study query one request makes."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or "casestudies_casestudy" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, VERBOSE) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\n  {sql[:160]}{' …' if len(sql) > 160 else ''}\n")
        print("\n".join(f"    {line}" for line in plan))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the case studies of the last run if there are --rows of them",
    )
    parser.add_argument("--no-plans", action="store_true", help="leave out the query plans")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.reuse and CaseStudy.objects.published().count() == args.rows and OutcomeFigure.objects.exists():
        print(f"Reusing {args.rows} published case studies in {settings.DATABASES['default']['NAME']}")
    else:
        print(f"Seeding {args.rows} published case studies into {settings.DATABASES['default']['NAME']} …")
        seed(args.rows)
    with connection.cursor() as cursor:
        # A migration may have rewritten the rows: vacuumed, the counts are
        # answered from the indexes alone again (the visibility map).
        cursor.execute("VACUUM casestudies_casestudy")
        cursor.execute("ANALYZE")
    cache.clear()  # nothing from an earlier run is served
    # A client of the real request handler: no test-environment
    # instrumentation (it copies every template's context as it renders).
    client = Client(HTTP_HOST="127.0.0.1")

    print("\nRows matching each keyword (full text, else the typo match on titles):")
    for keyword in KEYWORDS:
        matches = CaseStudy.objects.published().search(keyword).count()
        print(f"  {keyword:<28} {matches:>6}  ({matches / args.rows:.1%})")

    print(f"\n{'page':<22} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (url, before) in PAGES.items():
        p50, p95 = time_page(client, url, args.requests, before=before)
        flag = "" if p95 <= 25 else "  (over the 25 ms target)"
        print(f"{name:<22} {p50:>8.1f} {p95:>8.1f}{flag}")
    words = typical_words(args.rows)
    p50, p95, count = time_first_searches(client, words)
    flag = "" if p95 <= 25 else "  (over the 25 ms target)"
    print(f"{'first search, new word':<22} {p50:>8.1f} {p95:>8.1f}{flag}")
    print(f"  ({count} different words, each matching 0.5% to 5% of the rows, each searched once)")

    if not args.no_plans:
        for name in EXPLAINED:
            print(f"\n=== EXPLAIN ANALYZE: {name} ({PAGES[name][0]})")
            explain_page(client, PAGES[name][0])


if __name__ == "__main__":
    main()
