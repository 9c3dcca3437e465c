"""The campaign's fixed reference data, loaded by a data migration.

``load(apps)`` is idempotent: it creates what is missing and leaves staff
edits to descriptions alone.
"""

from django.utils.text import slugify

REGIONS = [
    ("North East", "Northumberland, Tyne and Wear, County Durham and the Tees Valley."),
    ("North West", "Cumbria, Lancashire, Greater Manchester, Merseyside and Cheshire."),
    ("Yorkshire and The Humber", "North, South and West Yorkshire, and the Humber."),
    (
        "East Midlands",
        "Derbyshire, Leicestershire, Lincolnshire, Northamptonshire, Nottinghamshire and Rutland.",
    ),
    (
        "West Midlands",
        "Birmingham and the Black Country, Coventry, Herefordshire, Shropshire, Staffordshire, "
        "Warwickshire and Worcestershire.",
    ),
    ("East of England", "Bedfordshire, Cambridgeshire, Essex, Hertfordshire, Norfolk and Suffolk."),
    ("London", "The 32 London boroughs and the City of London."),
    (
        "South East",
        "Berkshire, Buckinghamshire, East and West Sussex, Hampshire, the Isle of Wight, Kent, "
        "Oxfordshire and Surrey.",
    ),
    (
        "South West",
        "Bristol, Cornwall and the Isles of Scilly, Devon, Dorset, Gloucestershire, Somerset and Wiltshire.",
    ),
]

OUTCOMES = [
    ("Settled accommodation", "The person moved into, or kept, a stable and suitable home."),
    ("Employment", "The person started or kept paid work."),
    ("Education or training", "The person started or completed education or training."),
    ("Health and wellbeing", "The person's physical or mental health, or their wellbeing, improved."),
]

# (name, short name, description, [(code, title, plain English, [outcomes])])
CLIENT_GROUPS = [
    (
        "Care leavers",
        "Care leavers",
        "Young people aged 19 who were looked after by a local authority. Leaving care teams, housing, "
        "education and employment services share the job of helping them into a home and a future.",
        [
            (
                "NI 147",
                "Care leavers in suitable accommodation",
                "How many care leavers aged 19 live in accommodation that is suitable for them.",
                ["Settled accommodation"],
            ),
            (
                "NI 148",
                "Care leavers in employment, education or training",
                "How many care leavers aged 19 are in work, education or training.",
                ["Employment", "Education or training"],
            ),
        ],
    ),
    (
        "Offenders under probation supervision",
        "Offenders on probation",
        "Adults supervised by the probation service on a community order or licence. Settled housing and a "
        "job are two of the strongest protections against reoffending.",
        [
            (
                "NI 143",
                "Offenders under probation supervision living in settled and suitable accommodation "
                "at the end of their order or licence",
                "How many people are in a settled, suitable home when their order or licence ends.",
                ["Settled accommodation"],
            ),
            (
                "NI 144",
                "Offenders under probation supervision in employment at the end of their order or licence",
                "How many people are in paid work when their order or licence ends.",
                ["Employment"],
            ),
        ],
    ),
    (
        "Adults in contact with secondary mental health services",
        "Adults with mental health problems",
        "Adults aged 18 to 69 on the Care Programme Approach with secondary mental health services. Many "
        "want to work and live independently, and need health, housing and employment services to plan "
        "together.",
        [
            (
                "NI 149",
                "Adults in contact with secondary mental health services in settled accommodation",
                "How many adults known to secondary mental health services live in settled accommodation.",
                ["Settled accommodation"],
            ),
            (
                "NI 150",
                "Adults in contact with secondary mental health services in employment",
                "How many adults known to secondary mental health services are in paid work.",
                ["Employment"],
            ),
        ],
    ),
    (
        "Adults with learning disabilities",
        "Adults with learning disabilities",
        "Adults aged 18 to 64 with learning disabilities known to councils. Most can live in their own "
        "home and work with the right support from social care, health, housing and employment services.",
        [
            (
                "NI 145",
                "Adults with learning disabilities in settled accommodation",
                "How many adults with learning disabilities known to councils live in settled accommodation, "
                "such as their own home or with family.",
                ["Settled accommodation"],
            ),
            (
                "NI 146",
                "Adults with learning disabilities in employment",
                "How many adults with learning disabilities known to councils are in paid work.",
                ["Employment"],
            ),
        ],
    ),
]

AGENCIES = [
    "Adult social care",
    "Children's services and leaving care",
    "NHS mental health",
    "NHS primary and community health",
    "Learning disability services",
    "Housing: council",
    "Housing: housing association",
    "Housing: supported housing",
    "Probation",
    "Youth justice",
    "Police",
    "Jobcentre Plus and employment support",
    "Education and skills",
    "Voluntary and community sector",
    "Substance misuse services",
]

EAST_MIDLANDS_AUTHORITIES = {
    "Derby": ["Derbyshire"],
    "Derbyshire": ["Derby", "Nottinghamshire", "Leicestershire"],
    "Leicester": ["Leicestershire"],
    "Leicestershire": [
        "Leicester",
        "Derbyshire",
        "Nottinghamshire",
        "Lincolnshire",
        "Rutland",
        "North Northamptonshire",
        "West Northamptonshire",
    ],
    "Lincolnshire": ["Nottinghamshire", "Leicestershire", "Rutland", "North Northamptonshire"],
    "North Northamptonshire": ["West Northamptonshire", "Leicestershire", "Rutland", "Lincolnshire"],
    "West Northamptonshire": ["North Northamptonshire", "Leicestershire"],
    "Nottingham": ["Nottinghamshire"],
    "Nottinghamshire": ["Nottingham", "Derbyshire", "Leicestershire", "Lincolnshire"],
    "Rutland": ["Leicestershire", "Lincolnshire", "North Northamptonshire"],
}


def _upsert(model, name, position, **extra):
    obj, _ = model.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "position": position, **extra}
    )
    return obj


def load(apps):
    """Create any reference records that are missing."""
    Region = apps.get_model("linkup", "Region")
    Outcome = apps.get_model("linkup", "Outcome")
    ClientGroup = apps.get_model("linkup", "ClientGroup")
    NationalIndicator = apps.get_model("linkup", "NationalIndicator")
    Agency = apps.get_model("linkup", "Agency")
    LocalAuthority = apps.get_model("linkup", "LocalAuthority")

    regions = {
        name: _upsert(Region, name, position, description=description)
        for position, (name, description) in enumerate(REGIONS, start=1)
    }
    outcomes = {
        name: _upsert(Outcome, name, position, description=description)
        for position, (name, description) in enumerate(OUTCOMES, start=1)
    }
    for position, (name, short_name, description, indicators) in enumerate(CLIENT_GROUPS, start=1):
        group = _upsert(ClientGroup, name, position, short_name=short_name, description=description)
        for code, title, plain, outcome_names in indicators:
            indicator, _ = NationalIndicator.objects.get_or_create(
                code=code, defaults={"client_group": group, "title": title, "plain_english": plain}
            )
            indicator.outcomes.add(*(outcomes[o] for o in outcome_names))
    for position, name in enumerate(AGENCIES, start=1):
        _upsert(Agency, name, position)
    authorities = {
        name: _upsert(LocalAuthority, name, position, region=regions["East Midlands"])
        for position, name in enumerate(EAST_MIDLANDS_AUTHORITIES, start=1)
    }
    for name, neighbours in EAST_MIDLANDS_AUTHORITIES.items():
        authorities[name].neighbours.add(*(authorities[n] for n in neighbours))
