"""Fictional demo case studies for a local instance (``manage.py seed_demo``).

Every place, organisation and person here is invented. The examples cover
most, but on purpose not all, of the 36 region and client-group cells, so
the coverage grid shows where examples are still needed. A few unpublished
ones (waiting for review, rejected) are there so a leak would show.
"""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from casestudies.models import CaseStudy
from linkup.models import Agency, ClientGroup, Outcome, Region
from linkup.moderation import Status

# One invented town per region.
TOWNS = {
    "North East": "Harrowby Bridge",
    "North West": "Millbeck",
    "Yorkshire and The Humber": "Cawthorpe",
    "East Midlands": "Brackenford",
    "West Midlands": "Ashbury Heath",
    "East of England": "Fenstow",
    "London": "Kellingham",
    "South East": "Wyndham Cross",
    "South West": "Porthlevan Vale",
}

CARE = "Care leavers"
PROBATION = "Offenders under probation supervision"
MENTAL = "Adults in contact with secondary mental health services"
LD = "Adults with learning disabilities"

# Each story: (client group, title, summary, agencies, outcomes, challenge,
# approach, results, lessons, costs). "{town}" is replaced by the region's town.
STORIES = [
    (
        CARE,
        "{town}: a shared move-on plan from age 16",
        "A leaving care team and the council's housing service began planning each young person's "
        "first home at 16, not 18, so nobody left care without somewhere settled to go.",
        ["Children's services and leaving care", "Housing: council", "Housing: supported housing"],
        ["Settled accommodation"],
        "Young people leaving care in {town} were often placed in bed and breakfast at 18 because "
        "housing heard about them only weeks before they left. Several lost their first tenancy "
        "within six months.",
        "Personal advisers and a named housing officer met monthly to review everyone aged 16 and "
        "over. Each young person had one move-on plan, agreed with them and held by both services. "
        "A supported flat was kept free for 'taster' stays before a first tenancy.",
        "In the first year no care leaver went into bed and breakfast. Twenty-three of twenty-six "
        "young people were in suitable accommodation at 19, up from seventeen the year before.",
        "Start early and plan with the young person, not for them. Give housing a named contact "
        "in the leaving care team, and the other way round.",
        "About two hours a month of each officer's time, and one supported flat held vacant.",
    ),
    (
        CARE,
        "{town}: apprenticeships with the council for care leavers",
        "The council, as corporate parent, ring-fenced apprenticeships for care leavers and paired "
        "each apprentice with a mentor from outside their team.",
        [
            "Children's services and leaving care",
            "Education and skills",
            "Jobcentre Plus and employment support",
        ],
        ["Employment", "Education or training"],
        "Care leavers in {town} were three times as likely as other 19-year-olds to be out of work, "
        "education or training, and few applied for council jobs.",
        "Human resources guaranteed interviews for care leavers, the further education college "
        "ran a pre-apprenticeship course, and Jobcentre Plus advisers helped with benefits during "
        "the move into work. Each apprentice had a volunteer mentor.",
        "Fourteen care leavers started apprenticeships in two years; eleven completed them and nine "
        "now have permanent jobs.",
        "Mentors matter as much as the job. Agree in advance how pay will affect benefits and rent.",
        "Apprentice wages from existing service budgets; mentors were volunteers from across the council.",
    ),
    (
        CARE,
        "{town}: staying put with a supported lodgings host",
        "A voluntary organisation recruited supported lodgings hosts so care leavers could stay in a "
        "family home while they finished college.",
        ["Voluntary and community sector", "Children's services and leaving care", "Education and skills"],
        ["Settled accommodation", "Education or training"],
        "Young people in {town} who moved out of foster care at 18 often dropped out of college in "
        "the same year.",
        "The charity recruited and trained hosts; the leaving care team paid a weekly allowance; "
        "the college named a designated tutor for care leavers who talked to the host each term.",
        "Of twelve young people placed, ten stayed in their lodgings until they finished their course.",
        "Match carefully, and agree who the host should call when things go wrong.",
        "£150 a week per placement, shared between the leaving care budget and housing benefit.",
    ),
    (
        PROBATION,
        "{town}: housing advice in the probation office",
        "A housing options officer worked two days a week in the probation office, so people on "
        "licence got housing advice before their first week of supervision was over.",
        ["Probation", "Housing: council", "Voluntary and community sector"],
        ["Settled accommodation"],
        "About a third of people released to {town} had nowhere settled to live, and many missed "
        "appointments at the council's housing office across town.",
        "Probation and the council agreed a shared referral form and a protocol for people leaving "
        "prison. The housing officer saw people in the probation office and a local charity offered "
        "rent deposit bonds.",
        "The share of people in settled accommodation at the end of their order or licence rose "
        "from 71 to 84 per cent over eighteen months.",
        "Bring the service to where people already have to be. Start before release where you can.",
        "Two days a week of a housing officer's time; a rent deposit fund of £20,000.",
    ),
    (
        PROBATION,
        "{town}: employer pledges for people on probation",
        "Probation, Jobcentre Plus and the chamber of commerce asked local employers to guarantee "
        "interviews for people on probation who had completed a work-ready course.",
        ["Probation", "Jobcentre Plus and employment support", "Education and skills"],
        ["Employment", "Education or training"],
        "Employers in {town} were reluctant to consider applicants with convictions, and people on "
        "probation did not know how or when to disclose them.",
        "A six-week course covered disclosure, CVs and interview practice. Jobcentre Plus "
        "advisers matched people to vacancies, and probation officers gave employers one contact "
        "for any concerns.",
        "Thirty-one employers signed the pledge. Forty-two people found work, and most were still "
        "in work at the end of their order.",
        "Employers want one named person to call. Practise disclosure until people are confident.",
        "Course delivered by the college within existing adult skills funding.",
    ),
    (
        PROBATION,
        "{town}: joint case conferences for prolific offenders",
        "Police, probation, drug services and housing met weekly to plan support for the people "
        "most often back before the courts.",
        ["Probation", "Police", "Substance misuse services", "Housing: housing association"],
        ["Settled accommodation", "Health and wellbeing"],
        "A small group of people in {town} accounted for a large share of acquisitive crime. Most "
        "used drugs and moved between friends' sofas.",
        "A weekly case conference agreed one plan per person. A housing association set aside "
        "six flats with floating support, and drug workers saw people on the day of release.",
        "Reoffending in the group fell by a third. Twelve of eighteen people kept their tenancy for a year.",
        "Share information under a written agreement from the start, and review it every six months.",
        "",
    ),
    (
        MENTAL,
        "{town}: employment specialists in community mental health teams",
        "Employment specialists joined two community mental health teams, helping people find paid "
        "work quickly and supporting them once they started.",
        ["NHS mental health", "Jobcentre Plus and employment support", "Voluntary and community sector"],
        ["Employment", "Health and wellbeing"],
        "Few people on the Care Programme Approach in {town} were in paid work, though most said "
        "they wanted to be.",
        "Following individual placement and support, employment specialists sat in team meetings, "
        "looked for jobs with people rather than training them first, and kept in touch with "
        "employers. Jobcentre Plus agreed a single point of contact for benefit questions.",
        "In two years, 58 people started paid work, and the team's employment rate doubled.",
        "Put the employment specialist in the clinical team, not down the corridor.",
        "Two full-time employment specialists, jointly funded by the NHS trust and the council.",
    ),
    (
        MENTAL,
        "{town}: a hospital discharge housing worker",
        "A housing worker based on the mental health wards made sure nobody was discharged without "
        "somewhere settled to live.",
        ["NHS mental health", "Housing: council", "Housing: supported housing"],
        ["Settled accommodation"],
        "Patients in {town} were staying on wards for weeks after they were well enough to leave "
        "because they had lost their home while in hospital.",
        "The worker saw every patient within a week of admission, protected tenancies by talking "
        "to landlords early and found supported housing for those who needed it.",
        "Delayed discharges for housing reasons fell from 22 to 5 a year, and more people kept "
        "their home while in hospital.",
        "Ask about housing on the first day of admission, not the last.",
        "One housing worker, paid from the council's homelessness prevention grant.",
    ),
    (
        MENTAL,
        "{town}: a recovery college run with the adult education service",
        "The mental health trust and the adult education service ran courses co-written by people "
        "with lived experience, open to patients, families and staff.",
        ["NHS mental health", "Education and skills", "Voluntary and community sector"],
        ["Education or training", "Health and wellbeing"],
        "People using mental health services in {town} had few routes back into learning, and "
        "day services were closing.",
        "Courses ran in the community learning centre, not on hospital sites. Each course had a "
        "trainer with lived experience and a tutor from adult education.",
        "Over 300 students enrolled in the first year; a quarter went on to other courses or volunteering.",
        "Run courses in ordinary community places. Pay peer trainers properly.",
        "",
    ),
    (
        LD,
        "{town}: supported internships with local employers",
        "The college, the council's learning disability team and a supported employment service "
        "placed young adults with learning disabilities in year-long internships.",
        ["Learning disability services", "Education and skills", "Jobcentre Plus and employment support"],
        ["Employment", "Education or training"],
        "Very few adults with learning disabilities known to the council in {town} were in paid "
        "work, and most college leavers went to day centres.",
        "Interns spent most of the week with an employer, with a job coach who trained them on site, "
        "and one day at college. The council's staff advised families on how earnings affect benefits.",
        "Nine of fifteen interns were offered paid jobs by their host employers.",
        "Job coaches need time with employers before the intern starts. Talk to families early.",
        "Job coaches funded by the college and the council; no cost to employers.",
    ),
    (
        LD,
        "{town}: moving from residential care to a home of their own",
        "Social workers, a housing association and the NHS learning disability team helped people "
        "living in residential care move into their own tenancies.",
        [
            "Learning disability services",
            "Adult social care",
            "Housing: housing association",
            "NHS primary and community health",
        ],
        ["Settled accommodation", "Health and wellbeing"],
        "Many adults with learning disabilities in {town} lived in residential homes far from their "
        "families, with little choice about who they lived with.",
        "Person-centred plans were written with each person and their family. A housing association "
        "adapted flats in one street and the NHS team gave health checks and support to move.",
        "Twenty people moved into their own tenancies in eighteen months. All were still there a year later.",
        "Take time. Visits, trial stays and familiar staff make a move work.",
        "Care costs were slightly lower than residential care after the first year.",
    ),
    (
        LD,
        "{town}: a tenancy support circle",
        "Volunteers, a housing officer and a community nurse formed 'circles of support' around "
        "adults with learning disabilities who had just moved into their own homes.",
        ["Voluntary and community sector", "Housing: council", "Learning disability services"],
        ["Settled accommodation"],
        "Adults with learning disabilities who moved into council tenancies in {town} sometimes lost "
        "them through rent arrears or neighbour disputes.",
        "Each person chose the members of their circle. The housing officer explained letters and "
        "rent, the nurse kept an eye on health, and volunteers helped with everyday life.",
        "No tenancy was lost in two years, compared with four the two years before.",
        "Let the person choose their circle. Keep the paperwork simple.",
        "A part-time volunteer co-ordinator, funded by a local charity.",
    ),
]

# Which stories run in which regions (story index → regions). Seven cells are
# left empty on purpose: care leavers in Yorkshire and The Humber; offenders in
# the East of England; mental health in London and the South West; learning
# disabilities in the North East, West Midlands and South West.
PLACEMENTS = {
    0: ["North East", "North West", "East Midlands", "London", "South West"],
    1: ["East Midlands", "West Midlands", "London", "South East"],
    2: ["North West", "East of England", "South West"],
    3: ["North East", "North West", "Yorkshire and The Humber", "East Midlands", "London", "South West"],
    4: ["West Midlands", "London", "South East"],
    5: ["Yorkshire and The Humber", "East Midlands"],
    6: ["North East", "Yorkshire and The Humber", "East Midlands", "East of England", "South East"],
    7: ["North West", "West Midlands", "East Midlands"],
    8: ["South East", "East of England"],
    9: ["North West", "Yorkshire and The Humber", "East Midlands", "London"],
    10: ["East of England", "South East", "Yorkshire and The Humber"],
    11: ["East Midlands", "London", "North West"],
}

UNPUBLISHED = [
    (Status.SUBMITTED, "Waiting for review: a draft example that must not be public"),
    (Status.SUBMITTED, "Waiting for review: a second example not yet checked"),
    (Status.REJECTED, "Rejected example: not about joint working"),
]


def _names(model, names):
    return [model.objects.get(name=name) for name in names]


def seed(stdout):
    regions = {region.name: region for region in Region.objects.all()}
    groups = {group.name: group for group in ClientGroup.objects.all()}
    now = timezone.now()
    created = 0
    number = 0
    for story_index, placed_in in PLACEMENTS.items():
        group, title, summary, agencies, outcomes, challenge, approach, results, lessons, costs = STORIES[
            story_index
        ]
        for region_name in placed_in:
            number += 1
            town = TOWNS[region_name]
            full_title = title.format(town=town)
            published_at = now - datetime.timedelta(days=11 * number + story_index)
            case_study, was_created = CaseStudy.objects.get_or_create(
                slug=slugify(full_title),
                defaults={
                    "title": full_title,
                    "summary": summary,
                    "region": regions[region_name],
                    "organisations": f"{town} Council; {town} and District NHS Trust; {town} Community Partnership",
                    "challenge": challenge.format(town=town),
                    "approach": approach,
                    "results": results,
                    "lessons": lessons,
                    "costs": costs,
                    "period_start": (published_at - datetime.timedelta(days=700)).date().replace(day=1),
                    "period_end": (
                        (published_at - datetime.timedelta(days=60)).date().replace(day=1)
                        if number % 3
                        else None
                    ),
                    "status": Status.PUBLISHED,
                    "submitted_at": published_at - datetime.timedelta(days=14),
                    "published_at": published_at,
                    "submitter_name": "Sam Example",
                    "submitter_job_title": "Partnership manager",
                    "submitter_organisation": f"{town} Council",
                    "submitter_email": f"sam.example@{slugify(town)}.example",
                    "show_contact": number % 4 == 0,
                    "consent_to_publish": True,
                },
            )
            if was_created:
                created += 1
                case_study.client_groups.set([groups[group]])
                case_study.agencies.set(_names(Agency, agencies))
                case_study.outcomes.set(_names(Outcome, outcomes))
    for index, (status, title) in enumerate(UNPUBLISHED):
        unpublished, was_created = CaseStudy.objects.get_or_create(
            slug=slugify(title),
            defaults={
                "title": title,
                "summary": "A fictional example that is not published.",
                "region": regions["East Midlands"],
                "organisations": "Brackenford Council",
                "challenge": "Not published.",
                "approach": "Not published.",
                "results": "Not published.",
                "lessons": "Not published.",
                "status": status,
                "submitted_at": now - datetime.timedelta(days=index + 1),
                "submitter_name": "Private Person",
                "submitter_email": "private.person@brackenford.example",
            },
        )
        if was_created:
            created += 1
            unpublished.client_groups.set([groups[LD]])
    stdout.write(f"Case studies: {created} added.")
