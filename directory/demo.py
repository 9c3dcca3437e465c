"""Fictional demo listings for a local instance (``manage.py seed_demo``).
Every name is invented and every address is on a reserved test domain."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from linkup.models import Agency, ClientGroup, LocalAuthority

from .importing import CleanRow, listings_upsert
from .models import OpenTo, searchword_refresh

COUNT = 240
FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ellen",
    "Farid",
    "Grace",
    "Harvey",
    "Imogen",
    "Jamal",
    "Kirsty",
    "Leon",
    "Maya",
    "Niall",
    "Olu",
    "Priya",
    "Quentin",
    "Rosa",
    "Sanjay",
    "Tess",
    "Umar",
    "Verity",
    "Wes",
    "Yasmin",
    "Zoë",
    "Aoife",
    "Bartek",
    "Céline",
    "Dominik",
    "Elif",
]
LAST = [
    "Ashdown",
    "Brackenbury",
    "Calloway",
    "Dunmore",
    "Elsworth",
    "Fenwick",
    "Gorringe",
    "Hartley",
    "Ingleby",
    "Jessop",
    "Kettleborough",
    "Lindqvist",
    "Mowbray",
    "Nettleship",
    "Oakshott",
    "Pemberton",
    "Quarrie",
    "Rushworth",
    "Sowerby",
    "Thistlethwaite",
    "Upton-Lacey",
    "Varley",
    "Whitmore",
    "Yarwood",
    "Zielińska",
]
ROLES = {
    "adult-social-care": ("Social worker", "Adult social care team"),
    "childrens-services-and-leaving-care": ("Leaving care personal adviser", "Leaving care service"),
    "nhs-mental-health": ("Community mental health nurse", "Community mental health team"),
    "nhs-primary-and-community-health": ("Community health practitioner", "Community health services"),
    "learning-disability-services": ("Learning disability nurse", "Community learning disability team"),
    "housing-council": ("Housing options officer", "Housing options team"),
    "housing-housing-association": ("Tenancy sustainment officer", "Homes housing association"),
    "housing-supported-housing": ("Supported housing manager", "Supported housing service"),
    "probation": ("Probation officer", "Probation delivery unit"),
    "youth-justice": ("Youth justice worker", "Youth justice service"),
    "police": ("Neighbourhood liaison officer", "Police partnership hub"),
    "jobcentre-plus-and-employment-support": ("Work coach", "Jobcentre Plus"),
    "education-and-skills": ("Adult learning coordinator", "Adult and community learning"),
    "voluntary-and-community-sector": ("Project worker", "Community support project"),
    "substance-misuse-services": ("Recovery worker", "Drug and alcohol recovery service"),
}
EXPERTISE = [
    "supported housing and tenancy sustainment",
    "benefits and debt advice",
    "leaving care pathway plans",
    "approved premises and resettlement",
    "supported employment and job coaching",
    "Care Act assessments",
    "dual diagnosis",
    "information sharing agreements",
    "person-centred planning",
    "housing first",
    "education, training and apprenticeships",
    "MAPPA and multi-agency risk management",
]


def seed(stdout):
    rng = random.Random(16)  # the same fictional people every time
    authorities = list(LocalAuthority.objects.open_to_listings())
    agencies = list(Agency.objects.ordered())
    groups = list(ClientGroup.objects.ordered())
    now = timezone.now()
    rows = []
    for number in range(COUNT):
        first, last = FIRST[number % len(FIRST)], LAST[(number * 7) % len(LAST)]
        agency = agencies[number % len(agencies)]
        role, team = ROLES.get(agency.slug, ("Practitioner", agency.name))
        home = authorities[number % len(authorities)]
        areas = {home.pk, *(a.pk for a in rng.sample(authorities, rng.randint(0, 2)))}
        chosen_groups = {
            groups[number % len(groups)].pk,
            *(g.pk for g in rng.sample(groups, rng.randint(0, 2))),
        }
        skills = rng.sample(EXPERTISE, 3)
        open_to = [choice for choice in OpenTo.values if rng.random() < 0.6] or [OpenTo.ADVICE.value]
        email = f"{first.lower()}.{last.lower().replace('-', '')}{number}@example.nhs.test"
        email = email.encode("ascii", "ignore").decode()
        rows.append(
            CleanRow(
                row=number,
                fields={
                    "full_name": f"{first} {last}",
                    "job_title": role,
                    "organisation": f"{home.name} {team}",
                    "agency_id": agency.pk,
                    "expertise": f"I work with people in {home.name} and can help with {skills[0]}, "
                    f"{skills[1]} and {skills[2]}.",
                    "tags": ", ".join(skills[:2]),
                    "open_to": open_to,
                    "email": email,
                    "phone": f"01632 960{number:03d}",
                    "show_contact": number % 4 == 0,
                },
                areas=sorted(areas),
                client_groups=sorted(chosen_groups),
                last_confirmed=now - datetime.timedelta(days=rng.randint(0, 500)),
            )
        )
    result = listings_upsert(rows=rows, publish=True, actor_label="Demo content")
    # The import's writes send no signals: without this, no typo correction.
    searchword_refresh()
    stdout.write(f"Directory: {result.created} demo listings added, {result.updated} already there.")
