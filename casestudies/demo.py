"""Fictional demo case studies for a local instance (``manage.py seed_demo``).

Every place, organisation and person here is invented; links point at
``example.org`` or ``.example`` addresses. Each published example is its own
story, set in the invented town of its region (``TOWNS``). About a quarter
are for two client groups, and between them they use every agency and
outcome. They cover most, but on purpose not all, of the 36 region and
client-group cells, so the coverage grid shows where examples are still
needed. A few unpublished ones (a draft, one waiting for review, one sent
back for changes and one rejected), all titled "Not public: …" and placed in
empty cells, are there so a leak would show.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from casestudies.models import CaseStudy, CaseStudyLink
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

# Agencies, as named in linkup.reference_data.
SOCIAL_CARE = "Adult social care"
LEAVING_CARE = "Children's services and leaving care"
NHS_MENTAL = "NHS mental health"
NHS_COMMUNITY = "NHS primary and community health"
LD_SERVICES = "Learning disability services"
COUNCIL_HOUSING = "Housing: council"
HOUSING_ASSOCIATION = "Housing: housing association"
SUPPORTED_HOUSING = "Housing: supported housing"
PROBATION_SERVICE = "Probation"
YOUTH_JUSTICE = "Youth justice"
POLICE = "Police"
JOBCENTRE = "Jobcentre Plus and employment support"
SKILLS = "Education and skills"
VOLUNTARY = "Voluntary and community sector"
SUBSTANCE = "Substance misuse services"

# Outcomes.
HOME = "Settled accommodation"
WORK = "Employment"
LEARNING = "Education or training"
HEALTH = "Health and wellbeing"


@dataclass(frozen=True)
class Story:
    """One published example. In the texts and link addresses "{town}" is
    replaced by the region's town and "{place}" by its slug."""

    region: str
    groups: tuple[str, ...]
    title: str
    summary: str
    organisations: str
    agencies: tuple[str, ...]
    outcomes: tuple[str, ...]
    challenge: str
    approach: str
    results: str
    lessons: str
    costs: str = ""
    links: tuple[tuple[str, str], ...] = ()


# Seven cells are left empty on purpose: care leavers in Yorkshire and The
# Humber; offenders in the East of England; mental health in London and the
# South West; learning disabilities in the North East, West Midlands and
# South West.
STORIES = [
    # North East: Harrowby Bridge
    Story(
        region="North East",
        groups=(CARE,),
        title="Money advice and a council tax exemption for care leavers",
        summary="The leaving care team and the council's housing and revenues services exempted care leavers from council tax until 21 and gave them a money adviser, so fewer lost their first tenancy through arrears.",
        organisations="{town} Council leaving care team; {town} Council housing and revenues services; {town} Money Advice Project",
        agencies=(LEAVING_CARE, COUNCIL_HOUSING, VOLUNTARY),
        outcomes=(HOME,),
        challenge="Half of the care leavers who lost a council tenancy in {town} in one year were evicted for rent or council tax arrears. Most had never run a household budget before they moved in.",
        approach="The council exempted care leavers from council tax until their twenty-first birthday. A money adviser from a local charity held a weekly session in the leaving care office, and the housing service told the personal adviser as soon as a care leaver missed a rent payment.",
        results="Evictions of care leavers for arrears fell from nine in the year before to two in the first year. Forty-one young people made a budget plan, and 37 of them were still in their tenancy a year later.",
        lessons="An early warning from the rent account is worth more than any amount of advice after a notice has been served. Agree what housing can share with the leaving care team before the first case.",
        costs="About £28,000 a year in council tax not collected, and one day a week of a money adviser paid from the leaving care budget.",
        links=(("The council tax exemption policy", "https://example.org/{place}/care-leavers-council-tax"),),
    ),
    Story(
        region="North East",
        groups=(CARE, PROBATION),
        title="One transitions worker from youth justice to probation for care leavers",
        summary="Care leavers turning 18 while under youth justice supervision had one worker, managed jointly by the youth justice service, probation and the leaving care team, to see them through the move to adult services.",
        organisations="{town} Youth Justice Service; {town} Probation Office; {town} Council leaving care team",
        agencies=(YOUTH_JUSTICE, PROBATION_SERVICE, LEAVING_CARE),
        outcomes=(HOME, LEARNING),
        challenge="In {town}, young people on orders who turned 18 changed supervising officer, personal adviser and often their home within the same few weeks. Several breached their new order in the first month.",
        approach="A transitions worker seconded from the youth justice service started working with each young person six months before their eighteenth birthday. She held joint meetings with the new probation officer and the personal adviser, and stayed involved for three months after the transfer.",
        results="Of 19 young people who moved across in two years, 15 completed their first three months of probation without a breach, against about half before. Sixteen were in settled accommodation and 11 in education or training when the project ended.",
        lessons="The handover should be a period, not a date. Young people said the best thing was not having to tell their story again.",
        costs="One full-time worker, paid for equally by the three services.",
    ),
    Story(
        region="North East",
        groups=(PROBATION,),
        title="Supervising women on probation at a women's centre",
        summary="Probation moved its supervision of women to a women's centre run by a local charity, where a community nurse, a housing adviser and a counsellor also work.",
        organisations="{town} Probation Office; {town} Women's Centre; {town} Community Health Services",
        agencies=(PROBATION_SERVICE, VOLUNTARY, NHS_COMMUNITY),
        outcomes=(HEALTH, HOME),
        challenge="Women on probation in {town} were supervised in the same building as men, and many missed appointments. Most had experienced domestic abuse, and few were registered with a GP.",
        approach="Probation officers saw women at the women's centre two days a week. The centre's staff offered counselling and help with housing, a community nurse ran a weekly clinic, and women could drop in on other days.",
        results="Attendance at supervision appointments rose from 68 to 89 per cent. In the first year 54 women registered with a GP and 22 moved out of unsafe housing.",
        lessons="Where supervision happens matters as much as what happens in it. Agree how the centre will tell probation about missed appointments without losing women's trust.",
        costs="Probation pays rent for two rooms; the nurse's clinic comes from the community health budget.",
    ),
    Story(
        region="North East",
        groups=(MENTAL,),
        title="A crisis house instead of a hospital bed",
        summary="A housing association and the mental health trust's crisis team opened a six-bed crisis house, offering a short stay in an ordinary house instead of an admission to hospital.",
        organisations="{town} Homes housing association; {town} and District Mental Health Trust crisis resolution team",
        agencies=(HOUSING_ASSOCIATION, NHS_MENTAL),
        outcomes=(HEALTH, HOME),
        challenge="The mental health wards serving {town} were often full, and some people in crisis were admitted to hospitals 40 miles away. Many said a quiet place to stay for a few nights would have been enough.",
        approach="The housing association provided the house and staffed it day and night; the crisis team assessed every guest and visited daily. Stays lasted up to two weeks, and staff helped guests sort out problems at home before they left.",
        results="In its first year the house had 187 stays, and three in four guests went home without being admitted to hospital. Admissions to hospitals outside the area fell from 31 to 9.",
        lessons="Agree clear criteria for who can stay, so staff in both organisations feel safe. Guests valued being treated as guests, not patients.",
        costs="About £420,000 a year, paid by the trust from what it saved on beds outside the area.",
        links=(("Information for guests", "https://example.org/{place}/crisis-house-guests"),),
    ),
    Story(
        region="North East",
        groups=(MENTAL,),
        title="A welfare rights adviser in the community mental health team",
        summary="A welfare rights adviser joined the community mental health team, so people could get help with benefits, debt and permitted work from someone based where they already went.",
        organisations="{town} and District Mental Health Trust; {town} Advice Centre; Jobcentre Plus, {town} office",
        agencies=(NHS_MENTAL, VOLUNTARY, JOBCENTRE),
        outcomes=(HEALTH, WORK),
        challenge="Care coordinators in {town} spent much of their time on benefit forms and appeals, and some people became unwell after their benefits were stopped. Few felt able to ask Jobcentre Plus about working a few hours a week.",
        approach="The adviser, employed by a local advice charity, took referrals straight from care coordinators and went with people to Jobcentre Plus appointments. Jobcentre Plus named a disability employment adviser who came to the team once a month to explain the rules on permitted work.",
        results="In 18 months 212 people were helped, and they gained about £610,000 a year in benefits they were entitled to. Fourteen people started permitted work, and care coordinators said they spent less time on paperwork.",
        lessons="Money worries are a mental health issue. Keep the adviser independent of the trust, so people trust the advice.",
        costs="One adviser, funded by the mental health trust and a grant from a charitable trust.",
    ),
    # North West: Millbeck
    Story(
        region="North West",
        groups=(CARE, MENTAL),
        title="A drop-in hub for care leavers with a mental health practitioner",
        summary="The leaving care team moved into a drop-in hub in the town centre, shared with a Jobcentre Plus work coach and a mental health practitioner from the local trust.",
        organisations="{town} Council leaving care service; {town} and Fellside Mental Health Trust; Jobcentre Plus, {town} office",
        agencies=(LEAVING_CARE, NHS_MENTAL, JOBCENTRE),
        outcomes=(HEALTH, WORK),
        challenge="Care leavers in {town} had to visit four buildings to see their personal adviser, a work coach and a health worker. Those with anxiety or depression waited months for a first appointment with mental health services.",
        approach="The hub opened every weekday afternoon, with a kitchen and a laundry. A mental health practitioner held two sessions a week and could refer straight to the community mental health team, and the work coach could deal with claims without a trip to the jobcentre.",
        results="In the first year 64 young people saw the mental health practitioner, and the wait for a first appointment fell from 14 weeks to 2. Twenty-two care leavers moved into work.",
        lessons="Young people come for the washing machine and stay for the advice. Give visiting staff a proper desk, not a borrowed corner.",
        costs="Rent of a former shop, paid by the council; the other partners give staff time.",
    ),
    Story(
        region="North West",
        groups=(PROBATION,),
        title="Starting drug treatment on the day of sentence",
        summary="Probation and the drug service held a joint first appointment on the day of sentence for everyone given a drug rehabilitation requirement.",
        organisations="{town} Probation Office; {town} Drug and Alcohol Service; {town} Community Health Services blood-borne virus team",
        agencies=(PROBATION_SERVICE, SUBSTANCE, NHS_COMMUNITY),
        outcomes=(HEALTH,),
        challenge="In {town}, people given a drug rehabilitation requirement waited up to three weeks for their first treatment appointment, and a third never came. Probation and the drug service each did their own assessment.",
        approach="A drug worker sat in the probation office on court days. Each person had one assessment, shared by both services, and a prescribing appointment within five days; a community nurse offered hepatitis testing at the same visit.",
        results="The share of people starting treatment within a week rose from 35 to 82 per cent. Completed requirements rose from 41 to 58 per cent over two years.",
        lessons="See people on the day they are sentenced, while they have to be in the building anyway. One assessment form saved everyone time.",
        costs="No extra staff: the drug service moved one worker's hours to court days.",
    ),
    Story(
        region="North West",
        groups=(LD, MENTAL),
        title="A joint clinic for adults with learning disabilities and mental health problems",
        summary="The community learning disability team and the mental health trust ran a monthly joint clinic, so adults with both learning disabilities and mental health problems saw one team instead of being passed between two.",
        organisations="{town} Community Learning Disability Team; {town} and Fellside Mental Health Trust",
        agencies=(LD_SERVICES, NHS_MENTAL),
        outcomes=(HEALTH, HOME),
        challenge="Adults with learning disabilities in {town} were often referred back and forth between learning disability and mental health services, each saying the other should lead. Some waited more than a year for treatment.",
        approach="A psychiatrist from each service, a learning disability nurse and a community psychiatric nurse saw people together. They agreed which service would lead for each person, wrote to people in easy read and saw them at home when that was easier.",
        results="The wait for a first appointment fell from 11 months to 7 weeks. Of 46 people seen in the first year, 5 were admitted to hospital, against 13 in a similar group the year before, and none lost their home.",
        lessons="Agree the rule for which service leads, in writing, before the first clinic. Family carers and support staff know things the notes do not.",
        costs="Staff time only: about one day a month for each clinician.",
    ),
    Story(
        region="North West",
        groups=(LD,),
        title="Travel training so adults with learning disabilities can get to college and work",
        summary="The council's learning disability service and the further education college taught adults with learning disabilities to travel on their own by bus.",
        organisations="{town} Council learning disability service; {town} College; Fellside Buses",
        agencies=(LD_SERVICES, SKILLS, SOCIAL_CARE),
        outcomes=(LEARNING, WORK),
        challenge="The council in {town} spent heavily on taxis to day centres and college, and many adults with learning disabilities could not take up courses or jobs away from fixed routes.",
        approach="Travel trainers from the college walked each route with the learner until they could manage it alone, then followed at a distance. Adult social care reviewed transport in each person's support plan, and the bus company gave its drivers awareness training.",
        results="In two years 73 adults learned at least one route. Thirty-one started a college course they could not have reached before, and nine began paid or voluntary work.",
        lessons="Start with the journey the person most wants to make. Families need reassurance as much as learners need practice.",
        costs="Two travel trainers, paid for in the first year from savings on taxis.",
    ),
    Story(
        region="North West",
        groups=(MENTAL,),
        title="Employment specialists in two community mental health teams",
        summary="Two employment specialists joined community mental health teams, helping people look for paid work straight away and supporting them after they started.",
        organisations="{town} and Fellside Mental Health Trust; {town} Council; Jobcentre Plus, {town} office",
        agencies=(NHS_MENTAL, JOBCENTRE),
        outcomes=(WORK,),
        challenge="Fewer than one in ten people on the Care Programme Approach in {town} were in paid work, though most said they wanted to be. Referrals to training schemes rarely led to a job.",
        approach="Following the individual placement and support model, the specialists joined team meetings, looked for jobs with people rather than training them first, and kept in touch with employers. Jobcentre Plus agreed one contact for questions about benefits.",
        results="In two years 58 people started paid work, and the share of the teams' patients in employment rose from 8 to 17 per cent.",
        lessons="Put the employment specialist in the clinical team, not down the corridor. Ask everyone whether they want to work.",
        costs="Two full-time employment specialists, paid for jointly by the trust and the council.",
        links=(
            (
                "Review of the service against the model",
                "https://example.org/{place}/employment-specialists-review",
            ),
        ),
    ),
    # Yorkshire and The Humber: Cawthorpe
    Story(
        region="Yorkshire and The Humber",
        groups=(PROBATION,),
        title="Met at the gate: support on the day of release",
        summary="Volunteer mentors from a local charity met people at the prison gate on release and went with them to their probation and housing appointments the same day.",
        organisations="{town} Gate Mentors (a volunteer charity); {town} Probation Office; {town} and Wolds Housing Association",
        agencies=(PROBATION_SERVICE, VOLUNTARY, HOUSING_ASSOCIATION),
        outcomes=(HOME,),
        challenge="Many people released to {town} missed their first probation appointment and had nowhere to stay that night. Releases on Fridays made this worse.",
        approach="A volunteer mentor met each person at the gate, and the housing association kept two rooms free for emergency nights. Probation shared release dates four weeks ahead, and the mentor stayed in touch for the first twelve weeks.",
        results="Of 120 people met over 18 months, 112 kept their first probation appointment. At three months 74 per cent were in settled accommodation, against 52 per cent of a comparison group.",
        lessons="The first day out decides a lot. Volunteers who had been in prison themselves were trusted quickly.",
        costs="A volunteer coordinator and travel expenses: about £38,000 a year from a charitable trust.",
    ),
    Story(
        region="Yorkshire and The Humber",
        groups=(PROBATION, MENTAL),
        title="A mental health nurse at the magistrates' court",
        summary="A mental health nurse at the magistrates' court assessed people before sentence, so more were given a community order with a mental health treatment requirement instead of a short prison sentence.",
        organisations="{town} Mental Health Trust liaison and diversion team; {town} Probation Office; {town} Police custody suite; {town} Magistrates' Court",
        agencies=(PROBATION_SERVICE, NHS_MENTAL, POLICE),
        outcomes=(HEALTH,),
        challenge="Magistrates in {town} rarely used mental health treatment requirements because assessments took weeks. People with serious mental illness were given short prison sentences and lost their homes.",
        approach="A nurse from the liaison and diversion team worked in police custody and at court, shared assessments with probation for same-day reports, and booked a first appointment with the community mental health team before the person left court.",
        results="Mental health treatment requirements rose from 4 to 37 a year. Two-thirds of people completed their order, and 30 of the 37 saw their care coordinator within a fortnight.",
        lessons="Magistrates need to be confident that treatment will start quickly. Police custody is often the first chance to notice that someone is ill.",
        costs="One nurse, paid by the mental health trust; probation changed its report-writing rota.",
    ),
    Story(
        region="Yorkshire and The Humber",
        groups=(MENTAL,),
        title="A recovery college run with the adult learning service",
        summary="The mental health trust and the council's adult learning service ran a recovery college, with courses written and taught jointly by people with lived experience and tutors.",
        organisations="{town} Mental Health Trust; {town} Council adult learning service; {town} Voices (a user-led group)",
        agencies=(NHS_MENTAL, SKILLS, VOLUNTARY),
        outcomes=(LEARNING, HEALTH),
        challenge="People using secondary mental health services in {town} had few routes back into learning, and two day centres had closed.",
        approach="Courses ran in the community learning centre rather than on hospital sites, and were open to patients, families and staff. Each course had a peer trainer and an adult education tutor, and students enrolled themselves rather than being referred.",
        results="Over 300 students enrolled in the first year and 71 per cent finished at least one course. A quarter went on to other courses, volunteering or work.",
        lessons="Run courses in ordinary community buildings. Pay peer trainers properly and train them alongside the tutors.",
        links=(
            ("Course prospectus", "https://example.org/{place}/recovery-college-prospectus"),
            ("Peer trainer role description", "https://{place}.example/recovery-college/peer-trainer"),
        ),
    ),
    Story(
        region="Yorkshire and The Humber",
        groups=(LD,),
        title="Shared Lives: living with a family instead of in a care home",
        summary="Adult social care and a voluntary organisation recruited Shared Lives carers, so adults with learning disabilities could live with a family instead of moving into a residential home.",
        organisations="{town} Council adult social care; {town} Shared Lives Scheme; {town} Community Learning Disability Team",
        agencies=(SOCIAL_CARE, VOLUNTARY, LD_SERVICES),
        outcomes=(HOME,),
        challenge="When their parents could no longer care for them, adults with learning disabilities in {town} were usually offered a place in a residential home, often outside the area. Many wanted an ordinary family life.",
        approach="The voluntary organisation recruited, trained and approved carers. Social workers matched people through several visits and short breaks before anyone moved, and community learning disability nurses helped carers with health needs.",
        results="Twenty-eight people moved into Shared Lives homes over three years, and 25 were still there at the end. The average weekly cost was 40 per cent less than residential care.",
        lessons="Matching takes months and cannot be rushed. Carers need breaks too, so plan them from the start.",
        costs="A scheme manager and two support workers; adult social care pays carers a weekly fee.",
    ),
    Story(
        region="Yorkshire and The Humber",
        groups=(LD,),
        title="A library café that trains people for paid jobs",
        summary="A social enterprise café in the central library trains adults with learning disabilities, and a job coach then helps each trainee find paid work elsewhere.",
        organisations="The Library Kitchen, {town} (a social enterprise); {town} Council learning disability service; Jobcentre Plus, {town} office",
        agencies=(LD_SERVICES, VOLUNTARY, JOBCENTRE),
        outcomes=(WORK,),
        challenge="Only 4 per cent of adults with learning disabilities known to the council in {town} were in paid work. Most had never had a job interview.",
        approach="Trainees spent six months in the café learning food hygiene, till work and serving customers. A job coach from the learning disability service found vacancies and supported people in their first weeks, and a Jobcentre Plus disability employment adviser worked out how earnings would affect each person's benefits.",
        results="Of 36 trainees over three years, 19 moved into paid jobs of 16 hours a week or more, mostly in catering and shops. The share of adults with learning disabilities in paid work rose to 7 per cent.",
        lessons="A real workplace teaches more than a classroom. Employers wanted a named job coach to call, not a scheme.",
        costs="The café covers its running costs; the council pays for the job coach.",
        links=(("Trainee handbook (easy read)", "https://example.org/{place}/library-kitchen-handbook"),),
    ),
    # East Midlands: Brackenford
    Story(
        region="East Midlands",
        groups=(CARE,),
        title="Staying close to the children's home after 18",
        summary="Young people leaving the council's children's homes moved into supported flats nearby and kept the staff they knew for up to three years.",
        organisations="{town} Council children's homes and leaving care team; {town} Supported Housing Trust",
        agencies=(LEAVING_CARE, SUPPORTED_HOUSING),
        outcomes=(HOME,),
        challenge="Young people in children's homes in {town} had to leave at 18, often for hostels across town, and lost touch with the staff who knew them best. Young people in foster care could stay put; they could not.",
        approach="The council leased six flats within walking distance of two children's homes from a supported housing provider. A keyworker from the home kept visiting, the provider's staff helped with running a tenancy, and young people could still come back to the home for Sunday lunch.",
        results="Fifteen young people moved into the flats in two years. Fourteen were in suitable accommodation at 19 and none had been evicted; before, four in ten care leavers from the homes had moved at least three times by 19.",
        lessons="The relationships are the point, not the building. Give children's home staff time in their rota to keep in touch.",
        costs="£85,000 a year for the flats and support, partly offset by fewer emergency placements.",
    ),
    Story(
        region="East Midlands",
        groups=(CARE, MENTAL),
        title="A clinical psychologist in the leaving care team",
        summary="The mental health trust seconded a clinical psychologist to the leaving care team, to see care leavers quickly and to advise their personal advisers.",
        organisations="{town} Council leaving care team; {town} and Shire Mental Health Trust",
        agencies=(LEAVING_CARE, NHS_MENTAL),
        outcomes=(HEALTH,),
        challenge="Many care leavers in {town} had experienced trauma, but few met the criteria for adult mental health services or kept appointments at a clinic. Personal advisers felt out of their depth.",
        approach="The psychologist saw young people where they felt comfortable, including at home or in a café, and held monthly consultation sessions for personal advisers. Young people with serious mental illness were referred straight to the community mental health team without a second assessment.",
        results="Seventy young people were seen in the first year, and their average wellbeing scores improved by a third after six sessions. Missed appointments fell from 45 to 12 per cent.",
        lessons="Consultation for staff reaches many more young people than one psychologist can see. Flexible places and times make the difference.",
        costs="One psychologist four days a week, paid by the council.",
    ),
    Story(
        region="East Midlands",
        groups=(PROBATION,),
        title="Construction skills as part of unpaid work",
        summary="Probation, the further education college and Jobcentre Plus turned part of unpaid work into a construction course leading to a site safety card and job interviews.",
        organisations="{town} Probation Office; {town} College construction department; Jobcentre Plus, {town} office; two local building firms",
        agencies=(PROBATION_SERVICE, SKILLS, JOBCENTRE),
        outcomes=(WORK, LEARNING),
        challenge="Many people doing unpaid work in {town} had worked on building sites casually but had no qualifications or site safety card. Local builders were short of labourers.",
        approach="Up to a fifth of unpaid work hours could be spent on the college's course, taught at the probation workshop. Jobcentre Plus paid for the safety card test, and two building firms interviewed everyone who passed.",
        results="Eighty-four people took the course in two years, 71 gained the card and 33 were working in construction at the end of their order.",
        lessons="Involve employers from the design of the course onwards. Keep sessions practical.",
        costs="Tutor time from the college's adult skills budget, and about £40 per person for the card test.",
    ),
    Story(
        region="East Midlands",
        groups=(MENTAL,),
        title="A housing worker on the mental health wards",
        summary="A council housing worker based on the mental health wards saw patients soon after admission, so fewer lost their home while in hospital or stayed on a ward with nowhere to go.",
        organisations="{town} and Shire Mental Health Trust; {town} Council housing options service; {town} Supported Housing Trust",
        agencies=(NHS_MENTAL, COUNCIL_HOUSING, SUPPORTED_HOUSING),
        outcomes=(HOME,),
        challenge="Patients from {town} were staying on wards for weeks after they were well enough to leave, because they had lost their tenancy or built up rent arrears while in hospital.",
        approach="The worker saw every patient within a week of admission, contacted landlords to protect tenancies and kept housing benefit in payment during the stay. People who needed more support moved to supported housing, with a visit before discharge.",
        results="Delayed discharges for housing reasons fell from 22 to 5 a year. Ninety-one per cent of patients were discharged to settled accommodation, up from 76 per cent.",
        lessons="Ask about housing on the first day of an admission, not the last.",
        costs="One housing worker, paid from the council's homelessness prevention grant.",
    ),
    Story(
        region="East Midlands",
        groups=(LD,),
        title="Annual health checks with every GP practice",
        summary="GP practices and the community learning disability team worked together so that more adults with learning disabilities had an annual health check and a health action plan.",
        organisations="Fourteen GP practices in {town}; {town} Community Learning Disability Team; {town} Council adult social care",
        agencies=(NHS_COMMUNITY, LD_SERVICES, SOCIAL_CARE),
        outcomes=(HEALTH,),
        challenge="Fewer than a third of adults with learning disabilities in {town} had a health check each year, and several had died of conditions that could have been found earlier.",
        approach="The learning disability team gave each practice a list of its patients with learning disabilities, trained practice nurses and wrote easy-read invitations. Support workers came with people to the appointment and helped them follow their health action plan.",
        results="The share of adults having a health check rose from 31 to 72 per cent in two years. The checks found 58 conditions nobody knew about, including diabetes and hearing loss.",
        lessons="A longer appointment and a familiar face at the surgery make people more likely to come. Agree in writing how the lists of patients are shared.",
        costs="Practices are paid for each check under the national scheme; nurse time came from existing budgets.",
        links=(("Easy-read invitation letter", "https://example.org/{place}/health-check-invitation"),),
    ),
    Story(
        region="East Midlands",
        groups=(PROBATION, LD),
        title="Finding and supporting people with learning disabilities on probation",
        summary="Probation and the community learning disability team screened people on probation for learning disabilities and changed how supervision works for those who have them.",
        organisations="{town} Probation Office; {town} Community Learning Disability Team; {town} Police custody suite",
        agencies=(PROBATION_SERVICE, LD_SERVICES, POLICE),
        outcomes=(HEALTH, HOME),
        challenge="Probation officers in {town} believed many people they supervised had learning disabilities that had never been identified. Some breached their orders because they could not read appointment letters or remember their conditions.",
        approach="Probation officers used a short screening tool at the start of each order, and a learning disability nurse assessed anyone who screened positive. Supervision used easy-read letters, text reminders and shorter, more frequent sessions, and custody staff were trained to ask for the nurse.",
        results="Of 410 people screened in a year, 52 were assessed and 29 had a learning disability. Breaches among those 29 fell by half, and 11 received social care or housing support for the first time.",
        lessons="Screening only helps if something changes afterwards. Small adjustments, such as a reminder text, make a big difference.",
        costs="About half a day a week of a nurse's time; the screening tool is free to use.",
        links=(
            (
                "Guidance on the screening tool",
                "https://{place}.example/probation/learning-disability-screening",
            ),
        ),
    ),
    # West Midlands: Ashbury Heath
    Story(
        region="West Midlands",
        groups=(CARE,),
        title="Apprenticeships at the council kept for care leavers",
        summary="The council, as corporate parent, kept apprenticeships for care leavers and paired each apprentice with a mentor from another department.",
        organisations="{town} Council leaving care team and human resources; {town} College; Jobcentre Plus, {town} office",
        agencies=(LEAVING_CARE, SKILLS, JOBCENTRE),
        outcomes=(WORK, LEARNING),
        challenge="Care leavers in {town} were three times as likely as other 19-year-olds to be out of work, education or training, and few applied for jobs with the council.",
        approach="Human resources guaranteed care leavers an interview, the college ran a pre-apprenticeship course, and Jobcentre Plus advisers helped with benefits during the move into work. Each apprentice had a volunteer mentor from outside their team.",
        results="Fourteen care leavers started apprenticeships in two years; eleven completed them and nine now have permanent jobs.",
        lessons="Mentors matter as much as the job. Work out in advance how wages will affect benefits and rent.",
        costs="Apprentices' wages come from existing service budgets; mentors are volunteers.",
    ),
    Story(
        region="West Midlands",
        groups=(CARE, PROBATION),
        title="An address on release for every care leaver in custody",
        summary="Probation, the youth justice service and the leaving care team planned housing for every care leaver in custody at least three months before release, with supported flats kept for them.",
        organisations="{town} Council leaving care team; {town} Youth Justice Service; {town} Probation Office; Heathside Supported Housing",
        agencies=(PROBATION_SERVICE, YOUTH_JUSTICE, LEAVING_CARE, SUPPORTED_HOUSING),
        outcomes=(HOME,),
        challenge="Care leavers from {town} were often released from young offender institutions with no address, and some were recalled within weeks. The leaving care team sometimes did not know a young person had been released.",
        approach="A monthly panel reviewed every care leaver in custody. Personal advisers visited at least every eight weeks, a supported housing provider kept three flats for people on release, and probation and youth justice agreed one release plan with each young person.",
        results="All 17 care leavers released in two years had an address on the day of release, against 9 of 16 before. Recalls to custody fell from seven to two.",
        lessons="Young people remember the personal adviser who kept visiting. Keep flats free even if it means paying for empty nights.",
        costs="About £12,000 a year to keep flats empty between releases.",
    ),
    Story(
        region="West Midlands",
        groups=(PROBATION,),
        title="Local employers pledge interviews for people on probation",
        summary="Probation, Jobcentre Plus and the chamber of commerce asked local employers to guarantee an interview to people on probation who had finished a work-ready course.",
        organisations="{town} Probation Office; Jobcentre Plus, {town} office; {town} Chamber of Commerce; {town} College",
        agencies=(PROBATION_SERVICE, JOBCENTRE, SKILLS),
        outcomes=(WORK,),
        challenge="Employers in {town} were reluctant to consider applicants with convictions, and people on probation did not know how or when to disclose them.",
        approach="A six-week course at the college covered disclosure, CVs and interview practice. Jobcentre Plus advisers matched people to vacancies, and probation gave employers one named contact for any concerns.",
        results="Thirty-one employers signed the pledge. Forty-two people found work in 18 months, and 30 were still in work at the end of their order or licence.",
        lessons="Employers want one named person to call. Practise disclosure until people are confident about it.",
        costs="The college runs the course within its adult skills funding.",
        links=(("The employer pledge", "https://example.org/{place}/employer-pledge"),),
    ),
    Story(
        region="West Midlands",
        groups=(MENTAL,),
        title="Mental health nurses on evening police patrols",
        summary="Mental health nurses went out with police officers on evening shifts, so people in a mental health crisis were assessed where they were instead of being taken to a police cell.",
        organisations="{town} Police; {town} Mental Health Trust crisis team",
        agencies=(POLICE, NHS_MENTAL),
        outcomes=(HEALTH,),
        challenge="Police in {town} used their powers under section 136 of the Mental Health Act more than 200 times a year, and people were often held in police cells. Many were already known to mental health services.",
        approach="A mental health nurse joined a police car from 4pm to midnight, could check mental health records and could arrange a visit from the crisis team the same night. The police and the trust agreed to use a place of safety at the hospital instead of cells.",
        results="Detentions under section 136 fell by 38 per cent in the first year, and only two people were held in a police cell. Most people seen were contacted by their care coordinator within 48 hours.",
        lessons="Training officers and nurses together was as valuable as the car. Agree how records are shared before the first shift.",
        costs="Two nurses' posts, paid for by the trust, and a car and officers' time from the police.",
    ),
    Story(
        region="West Midlands",
        groups=(MENTAL,),
        title="Peer support workers helping tenants keep their homes",
        summary="A housing association employed peer support workers with lived experience of mental illness to help tenants on the Care Programme Approach keep their homes.",
        organisations="{town} Homes housing association; {town} Mental Health Trust community teams",
        agencies=(HOUSING_ASSOCIATION, NHS_MENTAL),
        outcomes=(HOME, HEALTH),
        challenge="The housing association found that its tenants in {town} who were known to mental health services were four times as likely as others to be evicted, usually after a period of illness.",
        approach="Three peer support workers visited tenants referred by housing officers or care coordinators, helped them with rent arrears and repairs, and told the care coordinator early when someone seemed to be becoming unwell. Housing officers agreed to pause eviction action while a peer worker was involved.",
        results="Of 96 tenants supported in two years, 89 kept their tenancy. Evictions of tenants known to mental health services fell from 14 a year to 3.",
        lessons="Peer workers were trusted by tenants who avoided professionals. Agree in advance when the housing association will pause legal action.",
        costs="£96,000 a year, shared between the housing association and the mental health trust.",
    ),
    # East of England: Fenstow
    Story(
        region="East of England",
        groups=(CARE,),
        title="Supported lodgings so care leavers can finish college",
        summary="A voluntary organisation recruited supported lodgings hosts, so care leavers could live in a family home while they finished their college course.",
        organisations="{town} Supported Lodgings (a local charity); {town} Council leaving care team; {town} Sixth Form College",
        agencies=(VOLUNTARY, LEAVING_CARE, SKILLS),
        outcomes=(HOME, LEARNING),
        challenge="Young people in {town} who moved out of foster care at 18 often dropped out of college in the same year.",
        approach="The charity recruited and trained hosts, and the leaving care team paid them a weekly allowance. The college named a tutor for care leavers who spoke to each host every term.",
        results="Of twelve young people placed in the first two years, ten stayed in their lodgings until they finished their course, and eight went on to university or an apprenticeship.",
        lessons="Match young people and hosts carefully, and agree who the host should call when things go wrong.",
        costs="£150 a week for each placement, shared between the leaving care budget and housing benefit.",
    ),
    Story(
        region="East of England",
        groups=(CARE, LD),
        title="One transitions team for young people with learning disabilities in care",
        summary="Children's and adult social care set up one transitions team for young people with learning disabilities in care, so planning for adult life started at 14.",
        organisations="{town} Council children's services and adult social care; {town} Community Learning Disability Team",
        agencies=(LEAVING_CARE, SOCIAL_CARE, LD_SERVICES),
        outcomes=(HOME,),
        challenge="Young people with learning disabilities leaving care in {town} often had no adult social care assessment until after their eighteenth birthday. Some stayed in children's placements for months because nothing else was ready.",
        approach="A social worker from each service and a learning disability nurse formed one team. They assessed each young person at 16, agreed with them where they wanted to live and arranged trial stays, and the personal adviser stayed involved until 25.",
        results="In two years, 21 of 23 young people moved to adult accommodation by their eighteenth birthday, and all 23 had an adult care plan by the age of 17 and a half.",
        lessons="Start early and plan with the young person and their carers. One team ended the arguments about whose budget pays.",
        costs="No new posts: three existing workers moved into one office.",
    ),
    Story(
        region="East of England",
        groups=(MENTAL,),
        title="Mental health clinics in market town surgeries",
        summary="The community mental health team held weekly clinics in GP surgeries in three market towns, so people on the Care Programme Approach no longer had to travel into {town} for reviews.",
        organisations="{town} Community Mental Health Team; three GP practices in the {town} area",
        agencies=(NHS_MENTAL, NHS_COMMUNITY),
        outcomes=(HEALTH,),
        challenge="People in the villages around {town} faced a two-hour round trip by bus to the community mental health team's base, and many missed reviews and physical health checks.",
        approach="The team agreed with three GP practices to use a consulting room one day a week. Practice nurses did physical health checks on the same day, and GPs could ask the mental health nurse for advice between clinics.",
        results="Missed reviews fell from 29 to 9 per cent. The share of patients with a physical health check in the year rose from 40 to 81 per cent.",
        lessons="Taking the service to people saved more time than it cost. Use one record system, or agree how both are kept up to date.",
        costs="Nurses' travel costs; the practices provide rooms free of charge.",
    ),
    Story(
        region="East of England",
        groups=(LD,),
        title="Supported internships with local employers",
        summary="The college, the council's learning disability team and a supported employment service placed young adults with learning disabilities in year-long internships with local employers.",
        organisations="{town} College; {town} Council learning disability team; {town} Supported Employment Service; six host employers",
        agencies=(LD_SERVICES, SKILLS, JOBCENTRE),
        outcomes=(WORK, LEARNING),
        challenge="Very few adults with learning disabilities known to the council in {town} were in paid work, and most college leavers went to day centres.",
        approach="Interns spent most of the week with an employer, with a job coach who trained them on site, and one day at college. The learning disability team advised families on how earnings affect benefits, and Jobcentre Plus helped interns claim support at work.",
        results="Nine of the fifteen interns in the first two years were offered paid jobs by their host employers, and three more found work elsewhere.",
        lessons="Job coaches need time with employers before the intern starts. Talk to families early.",
        costs="Job coaches paid for by the college and the council; there is no cost to employers.",
    ),
    Story(
        region="East of England",
        groups=(MENTAL,),
        title="Housing First for people with severe mental illness sleeping rough",
        summary="The council, the mental health team and the drug and alcohol service offered people with severe mental illness who were sleeping rough a flat first, with intensive support that does not depend on treatment.",
        organisations="{town} Council housing service; {town} Community Mental Health Team; {town} Drug and Alcohol Service",
        agencies=(COUNCIL_HOUSING, NHS_MENTAL, SUBSTANCE),
        outcomes=(HOME, HEALTH),
        challenge="A small group of people in {town} with psychosis and drug or alcohol problems had slept rough for years, moving between hostels, hospital and the street. Hostels often evicted them.",
        approach="The council provided ordinary one-bedroom flats. Two Housing First workers, one from the mental health team and one from the drug service, visited several times a week and had no more than seven people each.",
        results="Twelve of the fourteen people housed were still in their flats after a year. Hospital admissions in the group fell from 23 to 6.",
        lessons="Keep caseloads small, and do not make the tenancy depend on treatment. Respond quickly when neighbours raise concerns.",
        costs="About £9,000 per person a year, against an estimated £21,000 in hostel, hospital and police costs.",
        links=(
            ("Evaluation summary", "https://example.org/{place}/housing-first-evaluation"),
            ("Tenancy support agreement", "https://example.org/{place}/housing-first-agreement"),
        ),
    ),
    # London: Kellingham
    Story(
        region="London",
        groups=(CARE,),
        title="Planning a care leaver's first home from age 16",
        summary="The leaving care team and the council's housing service began planning each young person's first home at 16, not 18, so nobody left care without somewhere settled to go.",
        organisations="London Borough of {town} leaving care and housing services; {town} Young People's Housing Project",
        agencies=(LEAVING_CARE, COUNCIL_HOUSING, SUPPORTED_HOUSING),
        outcomes=(HOME,),
        challenge="Young people leaving care in {town} were often placed in bed and breakfast at 18, because housing heard about them only weeks before they left care. Several lost their first tenancy within six months.",
        approach="Personal advisers and a named housing officer met monthly to review everyone aged 16 and over. Each young person had one move-on plan, agreed with them and held by both services, and a supported flat was kept free for trial stays.",
        results="In the first year no care leaver was placed in bed and breakfast. Twenty-three of twenty-six young people were in suitable accommodation at 19, up from seventeen the year before.",
        lessons="Start early and plan with the young person, not for them. Give housing a named contact in the leaving care team, and the other way round.",
        costs="About two hours a month of each officer's time, and one supported flat kept empty.",
    ),
    Story(
        region="London",
        groups=(CARE,),
        title="Getting to university and staying there",
        summary="The council and two universities gave care leavers a named contact, a bursary and a room all year round, so more could start and finish a degree.",
        organisations="London Borough of {town} leaving care service; University of {town}; {town} School of Art",
        agencies=(LEAVING_CARE, SKILLS),
        outcomes=(LEARNING,),
        challenge="Only a handful of care leavers from {town} went to university each year, and several dropped out in their first year, often after having nowhere to live in the holidays.",
        approach="Personal advisers started talking about university at 15, and the universities ran taster days for young people in care. Each student had a named contact at the university, a bursary of £2,000 a year and a room through the summer.",
        results="The number of care leavers starting degree courses rose from 4 to 13 a year over three years, and 11 of the first 13 went on to a second year.",
        lessons="The holidays are the risk: plan where the student will live from June to September. Involve foster carers in choosing a course.",
        costs="The universities pay the bursaries; the council shares the cost of summer accommodation.",
    ),
    Story(
        region="London",
        groups=(PROBATION,),
        title="A housing options officer in the probation office",
        summary="A housing options officer worked two days a week in the probation office, so people on licence had housing advice in their first week of supervision.",
        organisations="{town} Probation Office; London Borough of {town} housing options; {town} Deposit Bond Scheme",
        agencies=(PROBATION_SERVICE, COUNCIL_HOUSING, VOLUNTARY),
        outcomes=(HOME,),
        challenge="About a third of people released to {town} had nowhere settled to live, and many missed appointments at the council's housing office on the other side of the borough.",
        approach="Probation and the council agreed a shared referral form and a protocol for people leaving prison. The housing officer saw people in the probation office, and a local charity offered rent deposit bonds for private lettings.",
        results="The share of people in settled accommodation at the end of their order or licence rose from 71 to 84 per cent over eighteen months.",
        lessons="Take the service to where people already have to be. Start before release where you can.",
        costs="Two days a week of a housing officer's time, and a rent deposit fund of £20,000.",
    ),
    Story(
        region="London",
        groups=(PROBATION,),
        title="A weekly case conference for the most prolific offenders",
        summary="Police, probation, the drug service and a housing association met weekly to plan support for the people most often back before the courts.",
        organisations="{town} Police; {town} Probation Office; {town} Drug and Alcohol Service; {town} Housing Association",
        agencies=(PROBATION_SERVICE, POLICE, SUBSTANCE, HOUSING_ASSOCIATION),
        outcomes=(HOME, HEALTH),
        challenge="About 60 people in {town} accounted for a large share of burglaries and thefts. Most used drugs and moved between friends' sofas.",
        approach="A weekly case conference agreed one plan for each person. The housing association set aside six flats with floating support, and drug workers saw people on the day they were released.",
        results="Proven reoffending in the group fell by a third over two years. Twelve of the eighteen people housed kept their tenancy for a year.",
        lessons="Share information under a written agreement from the start, and review it every six months.",
    ),
    Story(
        region="London",
        groups=(LD,),
        title="Coming home from residential care outside the borough",
        summary="Social workers, a housing association and the community learning disability team helped adults living in residential care outside the borough move back into tenancies of their own.",
        organisations="London Borough of {town} adult social care; {town} Homes housing association; {town} Community Learning Disability Team",
        agencies=(LD_SERVICES, SOCIAL_CARE, HOUSING_ASSOCIATION, NHS_COMMUNITY),
        outcomes=(HOME, HEALTH),
        challenge="Many adults with learning disabilities from {town} lived in residential homes far away, with little choice about who they lived with and few visits from family.",
        approach="Person-centred plans were written with each person and their family. The housing association adapted flats in one street, and the community health team did health checks and eased each move with visits and trial stays.",
        results="Twenty people moved into their own tenancies in eighteen months. All were still there a year later, and 15 saw their family at least once a week.",
        lessons="Take time. Visits, trial stays and familiar staff make a move work.",
        costs="After the first year, care costs were about 8 per cent lower than for residential care.",
    ),
    # South East: Wyndham Cross
    Story(
        region="South East",
        groups=(CARE,),
        title="Paid work tasters and driving lessons for care leavers",
        summary="The leaving care team and Jobcentre Plus set up paid two-week work tasters with local employers, and paid for driving lessons where a job needed a licence.",
        organisations="{town} Council leaving care team; Jobcentre Plus, {town} office; {town} College",
        agencies=(LEAVING_CARE, JOBCENTRE, SKILLS),
        outcomes=(WORK,),
        challenge="Care leavers in {town} and the surrounding villages found that many entry-level jobs needed a driving licence or a reference, and few had either.",
        approach="Jobcentre Plus work coaches found employers willing to offer tasters, with wages paid from a local fund. The college ran a short first aid and food hygiene course before each taster, and the leaving care team paid for up to 20 driving lessons for anyone with a job offer.",
        results="Fifty-two care leavers did a taster in two years and 29 were offered jobs. Eighteen passed their driving test.",
        lessons="A reference from a taster employer opened doors. Pay young people for the taster weeks so they are not out of pocket.",
        costs="About £45,000 over two years for taster wages and driving lessons, from the leaving care budget.",
    ),
    Story(
        region="South East",
        groups=(PROBATION, MENTAL),
        title="A GP and a mental health appointment within a week of release",
        summary="Probation, the community health service and the mental health trust made sure people released from prison with mental health problems were registered with a GP and seen by a mental health worker within a week.",
        organisations="{town} Probation Office; {town} Community Health Services; {town} Mental Health Trust; The Quayside Surgery, {town}",
        agencies=(PROBATION_SERVICE, NHS_COMMUNITY, NHS_MENTAL),
        outcomes=(HEALTH,),
        challenge="People released to {town} with mental health problems often ran out of medication within days and could not register with a GP without proof of address. Several were readmitted to hospital or recalled to prison in the first month.",
        approach="Prison healthcare sent a discharge summary to a named community nurse, who registered the person with a GP practice that had agreed to accept people with no fixed address. Probation officers booked a joint first appointment with the community mental health team.",
        results="Over 18 months, 88 of 97 people were registered with a GP within a week of release, against about a third before. Missed first appointments with mental health services fell from 60 to 19 per cent.",
        lessons="One GP practice willing to register people without an address is the key. A fortnight's medication should leave prison with the person.",
        costs="Half a nurse's post, paid for by the community health service.",
    ),
    Story(
        region="South East",
        groups=(LD, MENTAL),
        title="An intensive support team to avoid hospital admissions",
        summary="Learning disability, mental health and social care staff formed an intensive support team to help adults with learning disabilities through a mental health crisis in their own home.",
        organisations="{town} Intensive Support Team; {town} Mental Health Trust; {town} Council adult social care",
        agencies=(LD_SERVICES, NHS_MENTAL, SOCIAL_CARE),
        outcomes=(HEALTH, HOME),
        challenge="Adults with learning disabilities and mental health problems in {town} were sometimes admitted to assessment units far from home when their behaviour became hard to manage. Some stayed for years.",
        approach="The team could visit within 24 hours and stay involved for up to three months, working with the person's support staff on a positive behaviour support plan. Social care paid for extra support hours during a crisis, and landlords agreed to keep tenancies open.",
        results="In two years the team worked with 38 people, and 33 stayed in their own home. Admissions to assessment units fell from 11 a year to 3, and four people came home after long stays.",
        lessons="Support staff need help at three in the morning, not only in office hours. Paying quickly for extra hours costs less than an admission.",
        costs="£380,000 a year from a budget pooled by the NHS and the council.",
    ),
    Story(
        region="South East",
        groups=(MENTAL,),
        title="Step-down flats for people leaving rehabilitation wards",
        summary="A supported housing provider, the mental health trust and adult social care opened step-down flats for people leaving long-stay mental health rehabilitation wards.",
        organisations="{town} Supported Living Trust; {town} Mental Health Trust rehabilitation team; {town} Council adult social care",
        agencies=(SUPPORTED_HOUSING, NHS_MENTAL, SOCIAL_CARE),
        outcomes=(HOME,),
        challenge="Some people from {town} had spent more than two years on rehabilitation wards or in placements far away, because there was no local supported housing with staff on site.",
        approach="The provider converted a former care home into eight self-contained flats with staff day and night. The trust's rehabilitation team kept visiting, and social care reviews set a plan for moving on to an ordinary tenancy within two years.",
        results="Eighteen people moved in over three years; 11 have since moved on to a tenancy of their own and only two went back to hospital. Placements outside the area fell from 14 to 5.",
        lessons="Plan the move on from the start. Residents valued having their own front door.",
        costs="The provider met the building costs; support costs about £520 per person a week, less than half the cost of a ward bed.",
    ),
    Story(
        region="South East",
        groups=(LD,),
        title="New hospital jobs for adults with learning disabilities",
        summary="The community health trust and the learning disability team created entry-level hospital jobs for adults with learning disabilities, with a job coach for each new starter.",
        organisations="{town} Community Health NHS Trust; {town} Council learning disability team; Jobcentre Plus, {town} office",
        agencies=(NHS_COMMUNITY, LD_SERVICES, JOBCENTRE),
        outcomes=(WORK,),
        challenge="The community health trust was one of the largest employers in {town} but employed almost nobody with a learning disability. Its application forms were long and online only.",
        approach="Managers turned tasks such as restocking wards and moving equipment into new part-time posts. The learning disability team's job coach supported applicants through a work trial instead of an interview, and a Jobcentre Plus disability employment adviser helped with Access to Work funding.",
        results="Sixteen people started paid jobs in two years and fourteen were still employed a year later. The trust now uses work trials for all these posts.",
        lessons="Look at the tasks, not the job descriptions. A work trial shows more than an interview.",
        costs="A job coach three days a week, paid by the council; the jobs are paid from existing ward budgets.",
        links=(("Job descriptions for the new posts", "https://{place}.example/jobs/entry-level-posts"),),
    ),
    # South West: Porthlevan Vale
    Story(
        region="South West",
        groups=(CARE,),
        title="A foyer next to the college for care leavers",
        summary="A supported housing provider, the leaving care team and the college ran a foyer where care leavers can live for up to two years while they study or train.",
        organisations="{town} Foyer; {town} Council leaving care team; {town} College",
        agencies=(SUPPORTED_HOUSING, LEAVING_CARE, SKILLS),
        outcomes=(HOME, LEARNING),
        challenge="Care leavers in {town} and the surrounding rural area had few places to live near a college, and buses stopped running early in the evening.",
        approach="The foyer has 16 rooms beside the college campus. The housing provider's staff help with budgeting and cooking, the college keeps course places for residents, and personal advisers meet young people at the foyer.",
        results="Thirty-eight care leavers lived at the foyer in three years; 32 completed a course and 30 moved on to a tenancy of their own.",
        lessons="Being close to the college mattered more than anything else. Agree a plan for leaving when a young person moves in.",
        costs="Housing benefit and a support contract from the council worth £140,000 a year.",
        links=(("A guide for residents", "https://example.org/{place}/foyer-residents-guide"),),
    ),
    Story(
        region="South West",
        groups=(CARE, PROBATION),
        title="Unpaid work on a community farm for care leavers",
        summary="Care leavers on community orders did their unpaid work on a community farm, with the chance to start a land-based college course at the same time.",
        organisations="{town} Probation Office; {town} Community Farm; {town} College land-based studies department; {town} Council leaving care team",
        agencies=(PROBATION_SERVICE, VOLUNTARY, SKILLS, LEAVING_CARE),
        outcomes=(LEARNING, WORK),
        challenge="Care leavers on community orders in {town} often failed to finish their unpaid work hours in large group placements, and few were in education or training.",
        approach="Probation agreed a placement on a farm run by a charity, where a supervisor and a personal adviser worked with small groups. The college let young people count some of their hours towards a first-level certificate.",
        results="Of 24 care leavers placed over two years, 20 completed their hours and 14 enrolled on a college course. Six were working on farms or in gardening a year later.",
        lessons="Small groups and outdoor work suited young people who had struggled in bigger placements. Involve the personal adviser from the first day.",
        costs="The farm charges probation a small daily fee; the college course is funded in the usual way.",
    ),
    Story(
        region="South West",
        groups=(PROBATION,),
        title="Shared houses in market towns for people on probation",
        summary="Probation, the district council and a charity set up shared houses in market towns, so people on probation in rural areas did not have to move to the city to find a room.",
        organisations="{town} Probation Office; {town} District Council housing service; {town} Shared Housing Project",
        agencies=(PROBATION_SERVICE, COUNCIL_HOUSING, VOLUNTARY),
        outcomes=(HOME,),
        challenge="The nearest hostel places for people on probation in the {town} district were 30 miles away, so people lost touch with family, work and their probation officer.",
        approach="The charity leased three houses from private landlords and let rooms to people referred by probation. The council's housing service checked eligibility and helped residents bid for council homes, and the charity's worker visited twice a week.",
        results="Forty-one people lived in the houses over two years, and 28 of them were in settled accommodation at the end of their order or licence.",
        lessons="Landlords were reassured by a named worker and a quick response to problems. Choose houses near a bus route.",
        costs="About £60,000 a year, from housing benefit and a council grant.",
    ),
    Story(
        region="South West",
        groups=(PROBATION,),
        title="Boat repair training for people on probation",
        summary="Probation and a boatyard training charity offered people on probation a twelve-week course in boat repair, leading to work in local boatyards.",
        organisations="{town} Probation Office; {town} Boatyard Trust; {town} College; Jobcentre Plus, {town} office",
        agencies=(PROBATION_SERVICE, VOLUNTARY, SKILLS, JOBCENTRE),
        outcomes=(WORK, LEARNING),
        challenge="Work in {town} is seasonal and much of it depends on tourism and the harbour. People on probation found it especially hard to find work outside the summer.",
        approach="The charity ran the course in a working boatyard, with tutors from the college. Jobcentre Plus counted the course towards each person's work search, and probation officers met people at the yard.",
        results="Fifty-five people started the course in three years and 43 finished it; 21 were in work, mostly in boatyards, at the end of their order.",
        lessons="Real work on real boats kept people coming. Run the course in winter, when yards have time to train.",
        costs="About £1,200 per learner, from the college's adult skills budget and a charitable grant.",
    ),
]

# Unpublished examples, one in each state before or instead of publication,
# each in a cell no published example covers, so a leak would fill a gap in
# the coverage grid as well as show its title.
UNPUBLISHED = [
    (Status.DRAFT, "Not public: a draft never sent for review", "North East", LD),
    (Status.SUBMITTED, "Not public: waiting for a moderator to check it", "South West", MENTAL),
    (Status.CHANGES_REQUESTED, "Not public: sent back to the submitter for changes", "London", MENTAL),
    (Status.REJECTED, "Not public: rejected as not about joint working", "West Midlands", LD),
]

# Invented people who sent the published examples.
SUBMITTERS = [
    ("Sam Example", "Partnership manager"),
    ("Alex Sample", "Service manager"),
    ("Jo Example", "Project lead"),
    ("Chris Sample", "Commissioning officer"),
]


def _names(model, names):
    return [model.objects.get(name=name) for name in names]


def _fill(text, town):
    return text.format(town=town, place=slugify(town))


def _publication_days_ago():
    """Days before now each story was published: each its own day, in an
    order that mixes the regions rather than publishing one after another."""
    order = random.Random(len(STORIES)).sample(range(len(STORIES)), len(STORIES))
    return [3 + 9 * position for position in order]


def seed(stdout):
    regions = {region.name: region for region in Region.objects.all()}
    groups = {group.name: group for group in ClientGroup.objects.all()}
    now = timezone.now()
    created = 0
    days_ago = _publication_days_ago()
    for number, story in enumerate(STORIES, start=1):
        town = TOWNS[story.region]
        title = _fill(story.title, town)
        published_at = now - datetime.timedelta(days=days_ago[number - 1])
        name, job_title = SUBMITTERS[number % len(SUBMITTERS)]
        case_study, was_created = CaseStudy.objects.get_or_create(
            slug=slugify(f"{town} {title}"),
            defaults={
                "title": title,
                "summary": _fill(story.summary, town),
                "region": regions[story.region],
                "organisations": _fill(story.organisations, town),
                "challenge": _fill(story.challenge, town),
                "approach": _fill(story.approach, town),
                "results": _fill(story.results, town),
                "lessons": _fill(story.lessons, town),
                "costs": _fill(story.costs, town),
                "period_start": (published_at - datetime.timedelta(days=700)).date().replace(day=1),
                "period_end": (
                    (published_at - datetime.timedelta(days=60)).date().replace(day=1) if number % 3 else None
                ),
                "status": Status.PUBLISHED,
                "submitted_at": published_at - datetime.timedelta(days=14),
                "published_at": published_at,
                "submitter_name": name,
                "submitter_job_title": job_title,
                "submitter_organisation": _fill(story.organisations, town).split(";")[0].strip(),
                "submitter_email": f"{slugify(name).replace('-', '.')}@{slugify(town)}.example",
                "show_contact": number % 4 == 0,
                "consent_to_publish": True,
            },
        )
        if was_created:
            created += 1
            case_study.client_groups.set([groups[group] for group in story.groups])
            case_study.agencies.set(_names(Agency, story.agencies))
            case_study.outcomes.set(_names(Outcome, story.outcomes))
            CaseStudyLink.objects.bulk_create(
                CaseStudyLink(case_study=case_study, title=link_title, url=_fill(url, town))
                for link_title, url in story.links
            )
    for index, (status, title, region_name, group) in enumerate(UNPUBLISHED):
        town = TOWNS[region_name]
        unpublished, was_created = CaseStudy.objects.get_or_create(
            slug=slugify(title),
            defaults={
                "title": title,
                "summary": f"Not public: a fictional example from {town} that has not been published.",
                "region": regions[region_name],
                "organisations": f"{town} Council",
                "challenge": "Not published.",
                "approach": "Not published.",
                "results": "Not published.",
                "lessons": "Not published.",
                "status": status,
                "submitted_at": None if status == Status.DRAFT else now - datetime.timedelta(days=index + 1),
                "submitter_name": "Private Person",
                "submitter_email": f"private.person@{slugify(town)}.example",
            },
        )
        if was_created:
            created += 1
            unpublished.client_groups.set([groups[group]])
    stdout.write(f"Case studies: {created} added.")
