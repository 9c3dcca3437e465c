"""Fictional demo case studies for a local instance (``manage.py seed_demo``).

The stories are YAML files in ``casestudies/demo/``: one per region, each
story set in that region's invented town, and ``not-public.yaml``. Every
place, organisation and person is invented; links point at ``example.org``
or ``.example`` addresses. About a quarter of the stories are for two client
groups, and between them they use every agency and outcome. They cover most,
but on purpose not all, of the 36 region and client-group cells, so the
coverage grid shows where examples are still needed. The examples that are
not public (a draft, one waiting for review, one sent back for changes and
one rejected), all titled "Not public: …" and placed in empty cells, are
there so a leak would show.

Most stories have an ``evidence`` block: the confirmed level (and the one
proposed, where it differed), people helped, how the results were measured,
costs and outcome figures, checked by the same rules as the public form
(``casestudies.evidence.figure_errors``). Some have no figures, as real
examples often will not.
"""

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify

from casestudies.evidence import EvidenceLevel, FigureUnit, MeasurementMethod, figure_errors
from casestudies.models import CaseStudy, CaseStudyLink, OutcomeFigure
from linkup.content_files import ContentError, fields, read_yaml
from linkup.models import Agency, ClientGroup, NationalIndicator, Outcome, Region
from linkup.moderation import Status
from linkup.pagecache import content_changed

DEMO_DIR = Path(__file__).resolve().parent / "demo"
NOT_PUBLIC_FILE = "not-public.yaml"
TEXTS = ("title", "summary", "organisations", "challenge", "approach", "results", "lessons", "costs")
NAMED = {"client_groups": ClientGroup, "agencies": Agency, "outcomes": Outcome}
NOT_PUBLIC_STATUSES = {Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED}
# A story's evidence block: its names → CaseStudy fields.
EVIDENCE_NAMES = {"people": "cohort_size", "method": "measurement_method", "link": "evaluation_url"}
COST_NAMES = {
    "setup": "setup_cost",
    "yearly": "yearly_cost",
    "paid_by": "funded_by",
    "per_person": "cost_per_person",
    "savings": "savings_claimed",
    "savings_basis": "savings_basis",
}
FIGURE_NAMES = {"measure", "outcome", "indicator", "people", "before", "after"}

# Invented people who sent the published examples.
SUBMITTERS = [
    ("Sam Example", "Partnership manager"),
    ("Alex Sample", "Service manager"),
    ("Jo Example", "Project lead"),
    ("Chris Sample", "Commissioning officer"),
]


@dataclass(frozen=True)
class Story:
    """One published example, its texts already set in its region's town."""

    path: Path
    region: str
    town: str
    title: str
    summary: str
    organisations: str
    challenge: str
    approach: str
    results: str
    lessons: str
    costs: str
    client_groups: tuple[str, ...]
    agencies: tuple[str, ...]
    outcomes: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    # CaseStudy evidence fields, and figures as written (see _read_evidence).
    evidence: dict
    figures: tuple[dict, ...]


@dataclass(frozen=True)
class NotPublic:
    path: Path
    status: str
    title: str
    region: str
    town: str
    client_group: str


@dataclass(frozen=True)
class DemoSet:
    towns: dict[str, str]
    stories: list[Story]
    not_public: list[NotPublic]


def _fill(text: str, town: str) -> str:
    return str(text).strip().replace("{town}", town).replace("{place}", slugify(town))


def _names(path: Path, value, *, what: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ContentError(path, f"{what}: list each name on its own line starting with '- '")
    return tuple(str(name).strip() for name in value)


def _number(path: Path, value, *, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ContentError(path, f"{what}: write a whole number of zero or more")
    return value


def _figure_value(path: Path, value, *, what: str) -> tuple[int, str]:
    """ "35%" is a percentage, 12 a number of people."""
    text = str(value).strip()
    if text.endswith("%") and text[:-1].strip().isdigit():
        return int(text[:-1]), FigureUnit.PERCENT
    if text.isdigit():
        return int(text), FigureUnit.COUNT
    raise ContentError(path, f"{what}: write a number of people, like 12, or a percentage, like 35%")


def _read_evidence(path: Path, data, *, what: str) -> tuple[dict, tuple[dict, ...]]:
    data = fields(
        path,
        data,
        required={"level"},
        optional={"proposed", *EVIDENCE_NAMES, "costs", "figures"},
        what=f"{what}, evidence",
    )
    levels = {level.value for level in EvidenceLevel}
    for name in ("level", "proposed"):
        if name in data and data[name] not in levels:
            raise ContentError(path, f"{what}, evidence: the {name} must be 1, 2, 3, 4 or 5")
    if data.get("method", "") not in {"", *MeasurementMethod.values}:
        methods = ", ".join(MeasurementMethod.values)
        raise ContentError(path, f"{what}, evidence: the method must be one of {methods}")
    values = {
        "evidence_level": data["level"],
        "evidence_level_proposed": data.get("proposed", data["level"]),
        **{field: data[name] for name, field in EVIDENCE_NAMES.items() if name in data},
    }
    if "people" in values:
        values["cohort_size"] = _number(path, data["people"], what=f"{what}, evidence, people")
    costs = fields(
        path, data.get("costs", {}), required=set(), optional=set(COST_NAMES), what=f"{what}, costs"
    )
    for name, field in COST_NAMES.items():
        if name in costs:
            values[field] = (
                costs[name]
                if name in {"paid_by", "savings_basis"}
                else _number(path, costs[name], what=f"{what}, costs, {name}")
            )
    figures = []
    for number, figure in enumerate(data.get("figures", []), start=1):
        figure_what = f"{what}, figure {number}"
        figure = fields(
            path, figure, required={"measure"}, optional=FIGURE_NAMES - {"measure"}, what=figure_what
        )
        read = {
            "measure": str(figure["measure"]),
            "outcome": figure.get("outcome"),
            "indicator": figure.get("indicator"),
        }
        if "people" in figure:
            read["people"] = _number(path, figure["people"], what=f"{figure_what}, people")
        for name, part in (("before", "baseline"), ("after", "result")):
            if name in figure:
                read[f"{part}_value"], read[f"{part}_unit"] = _figure_value(
                    path, figure[name], what=f"{figure_what}, {name}"
                )
        figures.append(read)
    return values, tuple(figures)


def _read_region(path: Path) -> tuple[str, str, list[Story]]:
    data = fields(path, read_yaml(path), required={"region", "town", "stories"})
    region, town = str(data["region"]), str(data["town"])
    stories = []
    for number, entry in enumerate(data["stories"], start=1):
        story = fields(
            path,
            entry,
            required={*TEXTS, *NAMED} - {"costs"},
            optional={"costs", "links", "evidence"},
            what=f"story {number}",
        )
        what = f"story {number} ({story['title']})"
        links = []
        for link in story.get("links", []):
            link = fields(path, link, required={"title", "url"}, what=f"{what}, a link")
            links.append((_fill(link["title"], town), _fill(link["url"], town)))
        evidence, figures = (
            _read_evidence(path, story["evidence"], what=what) if "evidence" in story else ({}, ())
        )
        stories.append(
            Story(
                path=path,
                region=region,
                town=town,
                **{name: _fill(story.get(name, ""), town) for name in TEXTS},
                **{name: _names(path, story[name], what=f"{what}, {name}") for name in NAMED},
                links=tuple(links),
                evidence=evidence,
                figures=figures,
            )
        )
    return region, town, stories


def read(directory: Path = DEMO_DIR) -> DemoSet:
    """Every demo story, in the order of the files and of the stories in them."""
    towns, stories = {}, []
    for path in sorted(directory.glob("*.yaml")):
        if path.name != NOT_PUBLIC_FILE:
            region, towns[region], region_stories = _read_region(path)
            stories.extend(region_stories)
    path = directory / NOT_PUBLIC_FILE
    data = fields(path, read_yaml(path), required={"not_public"})
    not_public = []
    for number, entry in enumerate(data["not_public"], start=1):
        item = fields(
            path, entry, required={"status", "title", "region", "client_group"}, what=f"example {number}"
        )
        if item["status"] not in NOT_PUBLIC_STATUSES:
            statuses = ", ".join(sorted(NOT_PUBLIC_STATUSES))
            raise ContentError(path, f"example {number}: the status must be one of {statuses}")
        if item["region"] not in towns:
            raise ContentError(path, f"example {number}: no story file is for the region '{item['region']}'")
        not_public.append(NotPublic(path=path, town=towns[item["region"]], **item))
    return DemoSet(towns=towns, stories=stories, not_public=not_public)


def _publication_days_ago(count: int) -> list[int]:
    """Days before now each story was published: each its own day, in an
    order that mixes the regions rather than publishing one after another."""
    order = random.Random(count).sample(range(count), count)
    # Spread over the past two years.
    step = max(1, 720 // max(1, count))
    return [3 + step * position for position in order]


def _records(model, names: tuple[str, ...], *, path: Path, what: str) -> list:
    found = {record.name: record for record in model.objects.filter(name__in=names)}
    for name in names:
        if name not in found:
            raise ContentError(path, f"{what}: there is no {model._meta.verbose_name} called '{name}'")
    return [found[name] for name in names]


def _figures(story: Story, case_study: CaseStudy, *, baseline_on, result_on) -> list[OutcomeFigure]:
    """The story's figures, checked by the form's rules; measured from when it started to just before publishing."""
    group_ids = [group.pk for group in case_study.client_groups.all()]
    made = []
    for position, figure in enumerate(story.figures):
        what = f"story '{story.title}', figure {position + 1}"
        values = {
            "people": figure.get("people"),
            "baseline_value": figure.get("baseline_value"),
            "baseline_unit": figure.get("baseline_unit", ""),
            "baseline_on": baseline_on if "baseline_value" in figure else None,
            "result_value": figure.get("result_value"),
            "result_unit": figure.get("result_unit", ""),
            "result_on": result_on if "result_value" in figure else None,
        }
        values["indicator"] = (
            NationalIndicator.objects.filter(code=figure["indicator"]).first()
            if figure.get("indicator")
            else None
        )
        if figure.get("indicator") and values["indicator"] is None:
            raise ContentError(
                story.path, f"{what}: there is no national indicator called '{figure['indicator']}'"
            )
        errors = figure_errors(**values, cohort_size=case_study.cohort_size, client_group_ids=group_ids)
        if errors:
            raise ContentError(story.path, f"{what}: {'; '.join(errors.values())}")
        outcome = (
            _records(Outcome, (figure["outcome"],), path=story.path, what=what)[0]
            if figure.get("outcome")
            else None
        )
        made.append(
            OutcomeFigure(
                case_study=case_study, position=position, measure=figure["measure"], outcome=outcome, **values
            )
        )
    return made


def seed(stdout, directory: Path = DEMO_DIR):
    demo = read(directory)
    now = timezone.now()
    created = 0
    updated_any = False
    days_ago = _publication_days_ago(len(demo.stories))
    for number, story in enumerate(demo.stories, start=1):
        what = f"story '{story.title}'"
        (region,) = _records(Region, (story.region,), path=story.path, what=what)
        published_at = now - datetime.timedelta(days=days_ago[number - 1])
        name, job_title = SUBMITTERS[number % len(SUBMITTERS)]
        case_study, was_created = CaseStudy.objects.get_or_create(
            slug=slugify(f"{story.town} {story.title}"),
            defaults={
                **{text: getattr(story, text) for text in TEXTS},
                "region": region,
                "period_start": (published_at - datetime.timedelta(days=700)).date().replace(day=1),
                "period_end": (
                    (published_at - datetime.timedelta(days=60)).date().replace(day=1) if number % 3 else None
                ),
                "status": Status.PUBLISHED,
                "submitted_at": published_at - datetime.timedelta(days=14),
                "published_at": published_at,
                "submitter_name": name,
                "submitter_job_title": job_title,
                "submitter_organisation": story.organisations.split(";")[0].strip(),
                "submitter_email": f"{slugify(name).replace('-', '.')}@{slugify(story.town)}.example",
                "show_contact": number % 4 == 0,
                "consent_to_publish": True,
                **story.evidence,
            },
        )
        if was_created:
            created += 1
            for field, model in NAMED.items():
                getattr(case_study, field).set(
                    _records(model, getattr(story, field), path=story.path, what=what)
                )
            CaseStudyLink.objects.bulk_create(
                CaseStudyLink(case_study=case_study, title=title, url=url) for title, url in story.links
            )
            OutcomeFigure.objects.bulk_create(
                _figures(
                    story,
                    case_study,
                    baseline_on=case_study.period_start,
                    result_on=(published_at - datetime.timedelta(days=60)).date().replace(day=1),
                )
            )
            if number % 3 == 0:
                # Some were updated after publishing, at different times.
                updated = published_at + (now - published_at) * (number % 7 + 1) / 9
                CaseStudy.objects.filter(pk=case_study.pk).update(updated_at=updated)
                updated_any = True
    for index, example in enumerate(demo.not_public):
        what = f"'{example.title}'"
        (region,) = _records(Region, (example.region,), path=example.path, what=what)
        unpublished, was_created = CaseStudy.objects.get_or_create(
            slug=slugify(example.title),
            defaults={
                "title": example.title,
                "summary": f"Not public: a fictional example from {example.town} that has not been published.",
                "region": region,
                "organisations": f"{example.town} Council",
                "challenge": "Not published.",
                "approach": "Not published.",
                "results": "Not published.",
                "lessons": "Not published.",
                "status": example.status,
                "submitted_at": None
                if example.status == Status.DRAFT
                else now - datetime.timedelta(days=index + 1),
                "submitter_name": "Private Person",
                "submitter_email": f"private.person@{slugify(example.town)}.example",
            },
        )
        if was_created:
            created += 1
            group = _records(ClientGroup, (example.client_group,), path=example.path, what=what)
            unpublished.client_groups.set(group)
    if updated_any:
        # update() sends no signal: retire cached pages here.
        content_changed()
    stdout.write(f"Case studies: {created} added.")
