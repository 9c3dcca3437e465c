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
"""

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify

from casestudies.models import CaseStudy, CaseStudyLink
from linkup.content_files import ContentError, fields, read_yaml
from linkup.models import Agency, ClientGroup, Outcome, Region
from linkup.moderation import Status

DEMO_DIR = Path(__file__).resolve().parent / "demo"
NOT_PUBLIC_FILE = "not-public.yaml"
TEXTS = ("title", "summary", "organisations", "challenge", "approach", "results", "lessons", "costs")
NAMED = {"client_groups": ClientGroup, "agencies": Agency, "outcomes": Outcome}
NOT_PUBLIC_STATUSES = {Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED}

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


def _read_region(path: Path) -> tuple[str, str, list[Story]]:
    data = fields(path, read_yaml(path), required={"region", "town", "stories"})
    region, town = str(data["region"]), str(data["town"])
    stories = []
    for number, entry in enumerate(data["stories"], start=1):
        story = fields(
            path,
            entry,
            required={*TEXTS, *NAMED} - {"costs"},
            optional={"costs", "links"},
            what=f"story {number}",
        )
        what = f"story {number} ({story['title']})"
        links = []
        for link in story.get("links", []):
            link = fields(path, link, required={"title", "url"}, what=f"{what}, a link")
            links.append((_fill(link["title"], town), _fill(link["url"], town)))
        stories.append(
            Story(
                path=path,
                region=region,
                town=town,
                **{name: _fill(story.get(name, ""), town) for name in TEXTS},
                **{name: _names(path, story[name], what=f"{what}, {name}") for name in NAMED},
                links=tuple(links),
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
    return [3 + 9 * position for position in order]


def _records(model, names: tuple[str, ...], *, path: Path, what: str) -> list:
    found = {record.name: record for record in model.objects.filter(name__in=names)}
    for name in names:
        if name not in found:
            raise ContentError(path, f"{what}: there is no {model._meta.verbose_name} called '{name}'")
    return [found[name] for name in names]


def seed(stdout, directory: Path = DEMO_DIR):
    demo = read(directory)
    now = timezone.now()
    created = 0
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
    stdout.write(f"Case studies: {created} added.")
