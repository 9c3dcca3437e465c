"""The toolkit's first content, loaded by a data migration.

``load(apps)`` creates what is missing and never overwrites a page staff
have edited, so running it again is safe.
"""

from django.utils.text import slugify

BASICS = [
    (
        "why-joint-working-matters",
        "Why joint working matters",
        "No single agency can help someone into a settled home and a job alone. "
        "This page explains why agencies need to plan together and what PSA 16 asks.",
        """
People leaving care, leaving prison or living with a mental illness or a learning disability often need
help from several services at once. Each service sees only part of the person's life.

When services do not talk to each other, people fall through the gaps. A young person leaves care with
nowhere to live. A man leaves prison on a Friday with no bed for the night. A woman loses her flat while
she is in hospital.

## What Public Service Agreement 16 asks

Public Service Agreement 16 (PSA 16) runs from 2008 to 2011. It asks public services to increase the number
of socially excluded adults who:

- live in settled accommodation
- are in employment, education or training

It covers four client groups. Each group has two national indicators.

| Indicator | What it measures |
|---|---|
| NI 143 | Offenders on probation in settled and suitable accommodation at the end of their order or licence |
| NI 144 | Offenders under probation supervision in employment at the end of their order or licence |
| NI 145 | Adults with learning disabilities in settled accommodation |
| NI 146 | Adults with learning disabilities in employment |
| NI 147 | Care leavers in suitable accommodation |
| NI 148 | Care leavers in employment, education or training |
| NI 149 | Adults in contact with secondary mental health services in settled accommodation |
| NI 150 | Adults in contact with secondary mental health services in employment |

## Why a home and a job go together

A settled home makes it easier to find and keep work. Work makes it easier to pay the rent. Both cut
reoffending, improve health and reduce the need for crisis services.

## What joint working looks like

Joint working can be simple. It can mean:

- one assessment that several agencies use
- a named contact in each agency
- a shared plan that the person agrees to
- regular case meetings
- a joint target that every partner reports on

Start small. Agree one thing you will do together, then build on it.
""",
    ),
    (
        "identifying-who-to-contact",
        "Identifying who to contact",
        "How to work out which professionals to involve, by client group and by what the person needs.",
        """
The right people to contact depend on two things: who the person is, and what they need.

## Start with what the person needs

Ask the person what matters most to them. Then think about which services can help with each need.

| Need | Services to think about |
|---|---|
| A settled home | Council housing options, housing associations, supported housing |
| Work | Jobcentre Plus, employment support providers, supported employment services |
| Education or training | Colleges, adult learning services, the personal adviser for a care leaver |
| Health | GP, community mental health team, learning disability health team |
| Money | Jobcentre Plus, council benefits teams, debt advice services |
| Drugs or alcohol | Local substance misuse services |

## Then think about the client group

Each client group has a lead professional who knows the person well:

- care leavers have a personal adviser from the leaving care team
- offenders under supervision have an offender manager in the probation service
- adults using secondary mental health services have a care coordinator
- adults with learning disabilities often have a social worker or care manager

Contact the lead professional first. They can tell you who else is already involved.

## Use the finder

The [Who should I contact? finder](/toolkit/who-should-i-contact/) suggests agencies for each client
group and need. You can then search the directory for named professionals in the East Midlands.
""",
    ),
    (
        "working-across-boundaries",
        "Working across geographical boundaries",
        "What to do when the person, or the services they need, are in a different area from you.",
        """
People move. A care leaver may go to university in another county. A prisoner may be released far from
where they lived before. Services are organised by area, so a move can break the support around someone.

## Plan the move early

- Find out where the person wants to live, and why.
- Contact the receiving area before the move, not after it.
- Agree who will pay for what, and for how long.

## Know who is responsible

Responsibility often stays with the area that placed the person. For example, the council that looked
after a care leaver keeps its duties when the young person moves away. Check the rules for your client
group before you assume another area will take over.

## Use neighbouring areas

Many East Midlands authorities share a boundary. The directory shows which authorities a professional
covers, so you can find someone on the other side of the line.

## Keep the person informed

Tell the person who their new contacts are. Give them names and phone numbers, not just the names of
organisations.
""",
    ),
]

MAKING_IT_WORK = [
    (
        "making-the-business-case",
        "Making the business case",
        "How to set out the costs and benefits of joint working, agree who pays "
        "and show evidence that it works.",
        """
Managers and commissioners want to know three things. What will it cost? What will we get? Who pays?

## Set out the costs

Include:

- staff time, including time spent in joint meetings
- any new posts, such as a housing link worker
- training
- set-up costs, such as new forms or a shared database

## Set out the benefits

Link the benefits to the national indicators for your client group. For example, a scheme for offenders
should show how it raises NI 143 and NI 144.

Count savings where you can:

- fewer nights in emergency accommodation
- fewer hospital admissions
- less reoffending
- fewer people claiming out-of-work benefits

## Agree who pays

Benefits often fall to a different agency from the one that pays. Housing may pay for a tenancy support
worker, while probation and the NHS see the savings. Say this openly and propose a fair split. Pooled
budgets and joint commissioning are two ways to share costs.

## Show the evidence

Use case studies from other areas. Say what they did, what it cost and what changed. Then collect your
own figures from the start, so you can show results at review.

## Use the business-case builder

The [business-case builder](/toolkit/business-case/) turns your answers into a document you can print
or download. You can cite published case studies as evidence.
""",
    ),
    (
        "sharing-information-safely",
        "Sharing information safely",
        "Consent, data protection and information-sharing agreements: how to share what you need to, safely.",
        """
Joint working depends on sharing information. Data protection law does not stop you sharing. It asks you
to share the right information, with the right people, in the right way.

## Ask for consent

Explain to the person:

- what you want to share
- who you will share it with
- why it will help them

Record their answer. People can change their mind, so check again if things change.

## When you can share without consent

You may share without consent in some cases, for example to protect someone from serious harm or to
prevent a crime. Ask your manager or your organisation's data protection lead before you do. Record
what you shared and why.

## Share only what is needed

Send the facts the other professional needs to do their job. Do not send a whole file when a few lines
will do.

## Use an information-sharing agreement

An information-sharing agreement sets out what partners share, how and why. It saves you agreeing the
rules case by case. Your local partnership may already have one. Ask your data protection lead.

## Keep it secure

- Use secure e-mail for personal information.
- Do not put names in the subject line.
- Store shared records where only the people who need them can see them.
""",
    ),
    (
        "measuring-joint-outcomes",
        "Measuring joint outcomes",
        "How to agree joint targets, collect the figures and report on what you achieve together.",
        """
If every agency measures only its own work, nobody sees the whole picture. Joint outcomes show what
partners achieve together.

## Agree joint targets

Choose targets that every partner can affect. The PSA 16 indicators are a good place to start. For
example, "more care leavers aged 19 in suitable accommodation" (NI 147) needs children's services,
housing and the leaving care team.

## Agree how to count

Write down:

- who counts as in the group
- what counts as settled accommodation or employment
- when you measure, for example at the end of an order or at age 19
- who collects the figures

## Start with a baseline

Measure where you are now, before the joint work starts. You cannot show a change without a starting
point.

## Report together

Report joint results to every partner's management board. Celebrate what works. When something does
not work, agree what to change.
""",
    ),
]

CLIENT_GROUP_GUIDES = [
    (
        "care-leavers",
        "care-leavers",
        "Care leavers",
        "Guidance on joint working for young people leaving care: NI 147 and NI 148.",
        """
Young people leave care much earlier than most young people leave home. Many have no family to fall back
on. They need a settled home and a route into work or learning.

## The national indicators

- **NI 147**: care leavers aged 19 in suitable accommodation
- **NI 148**: care leavers aged 19 in employment, education or training

## Who to involve

- the leaving care team and the young person's personal adviser
- council housing options and local housing associations
- supported lodgings and supported housing providers
- colleges and training providers
- Jobcentre Plus and employment support providers

## What works

- a joint protocol between children's services and housing
- planning the move from care at least six months ahead
- a named contact in the housing team for care leavers
- taster days and work placements with local employers
""",
    ),
    (
        "offenders-on-probation",
        "offenders-under-probation-supervision",
        "Offenders on probation",
        "Guidance on joint working for offenders under probation supervision: NI 143 and NI 144.",
        """
A home and a job are two of the strongest protections against reoffending. Many people lose both when
they go to prison.

## The national indicators

- **NI 143**: offenders under probation supervision in settled and suitable accommodation at the end of
  their order or licence
- **NI 144**: offenders under probation supervision in employment at the end of their order or licence

## Who to involve

- the offender manager in the probation service
- council housing options and supported housing providers
- Jobcentre Plus and employment support providers
- substance misuse services
- the police, where public protection plans are in place

## What works

- housing advice in prison before release
- a named housing contact for probation staff
- links with local employers willing to recruit people with convictions
- making sure benefits are in place on the day of release
""",
    ),
    (
        "adults-in-contact-with-mental-health-services",
        "adults-in-contact-with-secondary-mental-health-services",
        "Adults in contact with secondary mental health services",
        "Guidance on joint working for adults using secondary mental health services: NI 149 and NI 150.",
        """
People with severe mental illness are much less likely to have a job or a settled home than other
adults. Both can help recovery.

## The national indicators

- **NI 149**: adults in contact with secondary mental health services in settled accommodation
- **NI 150**: adults in contact with secondary mental health services in employment

## Who to involve

- the care coordinator in the community mental health team
- council housing options and supported housing providers
- employment specialists, for example in an individual placement and support scheme
- Jobcentre Plus
- adult social care

## What works

- employment specialists working inside mental health teams
- housing support that carries on through a stay in hospital
- planning discharge from hospital with housing from the day of admission
""",
    ),
    (
        "adults-with-learning-disabilities",
        "adults-with-learning-disabilities",
        "Adults with learning disabilities",
        "Guidance on joint working for adults with learning disabilities: NI 145 and NI 146.",
        """
Most adults with learning disabilities can live in their own home and work, with the right support.
Too many still live in residential care or have never had a paid job.

## The national indicators

- **NI 145**: adults with learning disabilities in settled accommodation
- **NI 146**: adults with learning disabilities in employment

## Who to involve

- adult social care and the learning disability team
- housing associations and supported housing providers
- supported employment services
- colleges and adult learning services
- family carers

## What works

- person-centred planning that includes housing and work
- supported employment with job coaches
- shared ownership and tenancies in ordinary housing
- working with local employers to create jobs
""",
    ),
]

SHARE = [
    (
        "share-your-example",
        "How to share your own example",
        "Tell us about joint working that helped people into a home, work or learning, "
        "so others can learn from it.",
        """
The taskforce is still collecting examples of joint working. Your example helps other areas learn what
works.

## What makes a good example

- It shows agencies working together, not one agency alone.
- It helped people in one of the four client groups.
- It led to a settled home, work, education or training, or better health.
- It includes figures, even small ones.

## What to include

- the problem you set out to solve
- who worked together
- what you did
- what changed, with numbers where you have them
- what it cost
- what you would do differently

## What happens next

Use the "Share an example" form on this portal. The taskforce reads every example before it is published.
We may contact you to ask questions. We will not publish your contact details unless you agree.
""",
    ),
]

SECTIONS = [
    (
        "joint-working",
        "Joint working basics",
        "Why joint working matters, who to contact and how to work across boundaries.",
        BASICS,
    ),
    (
        "making-it-work",
        "Making it work",
        "Making the business case, sharing information safely and measuring what you achieve together.",
        MAKING_IT_WORK,
    ),
    (
        "client-groups",
        "Guides for each client group",
        "Who to involve and what works for each of the four PSA 16 client groups.",
        None,
    ),
    ("share", "Share what works", "How to share your own example of joint working.", SHARE),
]

NEEDS = [
    ("Settled accommodation", "A safe, stable and suitable home."),
    ("Work", "Finding or keeping a paid job."),
    ("Education or training", "College, a course, an apprenticeship or basic skills."),
    ("Health", "Physical or mental health, including registering with a GP."),
    ("Money", "Benefits, debts and managing money."),
    ("Drugs or alcohol", "Help with substance misuse."),
    ("Day-to-day support", "Care, support to live independently, or someone to coordinate help."),
]

# (need, client group slug or None for every group, agency name, reason)
SUGGESTIONS = [
    ("Settled accommodation", None, "Housing: council",
     "The council's housing options team assesses homelessness and can offer or arrange a home."),
    ("Settled accommodation", None, "Housing: housing association",
     "Housing associations let most social homes and often run tenancy support."),
    ("Settled accommodation", None, "Housing: supported housing",
     "Supported housing gives a home with support for people not yet ready to live alone."),
    ("Settled accommodation", "care-leavers", "Children's services and leaving care",
     "The leaving care team must help care leavers find suitable accommodation."),
    ("Settled accommodation", "offenders-under-probation-supervision", "Probation",
     "The offender manager plans accommodation for release and can share risk information."),
    ("Settled accommodation", "adults-in-contact-with-secondary-mental-health-services", "NHS mental health",
     "The care coordinator can plan a move from hospital and keep support going in a new home."),
    ("Settled accommodation", "adults-with-learning-disabilities", "Learning disability services",
     "The learning disability team can assess support needs for a move into an ordinary home."),
    ("Work", None, "Jobcentre Plus and employment support",
     "Jobcentre Plus advisers and employment programmes help people find and keep work."),
    ("Work", None, "Voluntary and community sector",
     "Local charities often run job clubs, volunteering and work placements."),
    ("Work", "adults-with-learning-disabilities", "Learning disability services",
     "Supported employment services provide job coaches and work with employers."),
    ("Work", "adults-in-contact-with-secondary-mental-health-services", "NHS mental health",
     "Employment specialists in mental health teams help people into work as part of recovery."),
    ("Work", "offenders-under-probation-supervision", "Probation",
     "Probation can link people to employers willing to recruit people with convictions."),
    ("Education or training", None, "Education and skills",
     "Colleges and adult learning services offer courses, basic skills and apprenticeships."),
    ("Education or training", "care-leavers", "Children's services and leaving care",
     "Personal advisers can help with course fees, bursaries and applications."),
    ("Education or training", "offenders-under-probation-supervision", "Youth justice",
     "For young adults moving from youth justice, the team can pass on learning plans."),
    ("Health", None, "NHS primary and community health",
     "A GP is the way into most health services; community health teams can visit."),
    ("Health", "adults-in-contact-with-secondary-mental-health-services", "NHS mental health",
     "The community mental health team leads on treatment and the care programme approach."),
    ("Health", "adults-with-learning-disabilities", "Learning disability services",
     "Learning disability health teams help people use ordinary health services."),
    ("Money", None, "Jobcentre Plus and employment support",
     "Jobcentre Plus can arrange benefit claims, including before release or discharge."),
    ("Money", None, "Voluntary and community sector",
     "Advice services give free help with debts and benefit claims."),
    ("Drugs or alcohol", None, "Substance misuse services",
     "Local drug and alcohol services offer assessment, treatment and recovery support."),
    ("Drugs or alcohol", "offenders-under-probation-supervision", "Probation",
     "Probation can agree treatment as part of an order and share progress with the service."),
    ("Day-to-day support", None, "Adult social care",
     "Adult social care assesses care and support needs and can arrange support at home."),
    ("Day-to-day support", "care-leavers", "Children's services and leaving care",
     "The personal adviser coordinates support for care leavers up to age 21, or 25 in education."),
    ("Day-to-day support", None, "Voluntary and community sector",
     "Befriending, advocacy and peer support groups help people settle and stay connected."),
]  # fmt: skip


def load(apps):
    Section = apps.get_model("toolkit", "Section")
    Page = apps.get_model("toolkit", "Page")
    Need = apps.get_model("toolkit", "Need")
    AgencySuggestion = apps.get_model("toolkit", "AgencySuggestion")
    ClientGroup = apps.get_model("linkup", "ClientGroup")
    Agency = apps.get_model("linkup", "Agency")

    for section_position, (slug, title, summary, pages) in enumerate(SECTIONS, start=1):
        section, _ = Section.objects.get_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "position": section_position}
        )
        if pages is None:
            for position, (page_slug, group_slug, page_title, page_summary, body) in enumerate(
                CLIENT_GROUP_GUIDES, start=1
            ):
                Page.objects.get_or_create(
                    section=section,
                    slug=page_slug,
                    defaults={
                        "title": page_title,
                        "summary": page_summary,
                        "body": body.strip(),
                        "position": position,
                        "client_group": ClientGroup.objects.filter(slug=group_slug).first(),
                    },
                )
            continue
        for position, (page_slug, page_title, page_summary, body) in enumerate(pages, start=1):
            Page.objects.get_or_create(
                section=section,
                slug=page_slug,
                defaults={
                    "title": page_title,
                    "summary": page_summary,
                    "body": body.strip(),
                    "position": position,
                },
            )

    needs = {}
    for position, (name, hint) in enumerate(NEEDS, start=1):
        needs[name], _ = Need.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "hint": hint, "position": position}
        )
    for position, (need, group_slug, agency_name, reason) in enumerate(SUGGESTIONS, start=1):
        agency = Agency.objects.filter(slug=slugify(agency_name)).first()
        group = ClientGroup.objects.filter(slug=group_slug).first() if group_slug else None
        if agency is None or (group_slug and group is None):
            continue
        AgencySuggestion.objects.get_or_create(
            need=needs[need],
            client_group=group,
            agency=agency,
            defaults={"reason": reason, "position": position},
        )
