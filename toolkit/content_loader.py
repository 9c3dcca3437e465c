"""The toolkit's pages and the finder's answers, kept as files in
``toolkit/content/`` so that writers can change them without touching code.

Each section is a folder ``<nn>-<slug>/`` holding ``section.yaml`` (title,
summary) and one ``<nn>-<slug>.md`` per page: a front-matter header (title,
summary, optionally client_group) between two ``---`` lines, then the page
in Markdown. The numbers give the order. ``finder.yaml`` holds the needs and
agency suggestions of the "Who should I contact?" finder.

Loading adds what the database is missing and never changes what is there,
so edits staff make in admin are kept and loading again is safe.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from linkup.content_files import ContentError, fields, read_front_matter, read_yaml
from linkup.models import Agency, ClientGroup
from toolkit.models import AgencySuggestion, Need, Page, Section

CONTENT_DIR = Path(__file__).resolve().parent / "content"
NUMBERED_NAME = re.compile(r"(?P<position>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)")


@dataclass(frozen=True)
class PageFile:
    path: Path
    slug: str
    position: int
    title: str
    summary: str
    body: str
    client_group: str = ""


@dataclass(frozen=True)
class SectionFile:
    path: Path
    slug: str
    position: int
    title: str
    summary: str
    pages: tuple[PageFile, ...]


def _numbered(path: Path, name: str) -> tuple[int, str]:
    match = NUMBERED_NAME.fullmatch(name)
    if match is None:
        raise ContentError(
            path,
            "name it with a number, a hyphen and a lower-case slug, such as 01-why-joint-working-matters",
        )
    return int(match["position"]), match["slug"]


def _texts(path: Path, data, *, required: set[str], optional: set[str] = frozenset(), what: str = "") -> dict:
    checked = fields(path, data, required=required, optional=optional, what=what)
    return {name: str(value).strip() for name, value in checked.items()}


def read_page(path: Path) -> PageFile:
    position, slug = _numbered(path, path.stem)
    header, body = read_front_matter(path)
    if not body:
        raise ContentError(path, "the page has no text after its header")
    page = _texts(path, header, required={"title", "summary"}, optional={"client_group"})
    return PageFile(path=path, slug=slug, position=position, body=body, **page)


def read_sections(directory: Path) -> list[SectionFile]:
    sections = []
    for folder in sorted(path for path in directory.iterdir() if path.is_dir()):
        position, slug = _numbered(folder, folder.name)
        header = folder / "section.yaml"
        if not header.is_file():
            raise ContentError(folder, "add a section.yaml with the section's title and summary")
        section = _texts(header, read_yaml(header), required={"title", "summary"})
        pages = tuple(read_page(path) for path in sorted(folder.glob("*.md")))
        slugs = [page.slug for page in pages]
        if repeated := sorted({slug for slug in slugs if slugs.count(slug) > 1}):
            raise ContentError(folder, f"two pages are called {', '.join(repeated)}")
        sections.append(SectionFile(path=folder, slug=slug, position=position, pages=pages, **section))
    return sections


def read_finder(directory: Path) -> dict:
    """The finder's needs and suggestions: {"needs": [...], "suggestions": [...]}."""
    path = directory / "finder.yaml"
    data = fields(path, read_yaml(path), required={"needs", "suggestions"})
    return {
        "needs": [
            _texts(path, need, required={"name"}, optional={"hint"}, what=f"need {number}")
            for number, need in enumerate(data["needs"], start=1)
        ],
        "suggestions": [
            _texts(
                path,
                item,
                required={"need", "agency", "reason"},
                optional={"client_group"},
                what=f"suggestion {number}",
            )
            for number, item in enumerate(data["suggestions"], start=1)
        ],
    }


def _by_name(model, name: str, path: Path):
    try:
        return model.objects.get(name=name)
    except model.DoesNotExist:
        raise ContentError(path, f"there is no {model._meta.verbose_name} called '{name}'") from None


@transaction.atomic
def toolkit_content_load(*, directory: Path | None = None) -> dict[str, int]:
    """Add the sections, pages, needs and suggestions the database lacks and
    say how many of each were added. It is one transaction, so a bad file
    changes nothing."""
    directory = directory or CONTENT_DIR
    sections = read_sections(directory)
    finder = read_finder(directory)
    added = {"sections": 0, "pages": 0, "needs": 0, "suggestions": 0}

    for section_file in sections:
        section, created = Section.objects.get_or_create(
            slug=section_file.slug,
            defaults={
                "title": section_file.title,
                "summary": section_file.summary,
                "position": section_file.position,
            },
        )
        added["sections"] += created
        for page in section_file.pages:
            group = _by_name(ClientGroup, page.client_group, page.path) if page.client_group else None
            _, created = Page.objects.get_or_create(
                section=section,
                slug=page.slug,
                defaults={
                    "title": page.title,
                    "summary": page.summary,
                    "body": page.body,
                    "position": page.position,
                    "client_group": group,
                },
            )
            added["pages"] += created

    path = directory / "finder.yaml"
    needs = {}
    for position, need in enumerate(finder["needs"], start=1):
        needs[need["name"]], created = Need.objects.get_or_create(
            slug=slugify(need["name"]),
            defaults={"name": need["name"], "hint": need.get("hint", ""), "position": position},
        )
        added["needs"] += created
    for position, item in enumerate(finder["suggestions"], start=1):
        if item["need"] not in needs:
            raise ContentError(path, f"suggestion {position} names a need not listed: '{item['need']}'")
        group = _by_name(ClientGroup, item["client_group"], path) if item.get("client_group") else None
        _, created = AgencySuggestion.objects.get_or_create(
            need=needs[item["need"]],
            client_group=group,
            agency=_by_name(Agency, item["agency"], path),
            defaults={"reason": item["reason"], "position": position},
        )
        added["suggestions"] += created
    return added
