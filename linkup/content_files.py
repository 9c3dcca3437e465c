"""Reading content kept as files (toolkit pages, demo stories): YAML and
Markdown with a front-matter header, checked field by field so that a
mistake is an error naming the file rather than a page quietly missing."""

import re
from pathlib import Path

import yaml
from django.conf import settings

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<header>.*?)^---[ \t]*\n(?P<body>.*)\Z", re.DOTALL | re.MULTILINE)


class ContentError(ValueError):
    """A content file that cannot be loaded; the message names the file."""

    def __init__(self, path: Path, problem: str):
        shown = path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path
        super().__init__(f"{shown}: {problem}")


def read_yaml(path: Path, text: str | None = None):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8") if text is None else text)
    except OSError as error:
        raise ContentError(path, f"cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise ContentError(path, f"not valid YAML ({error})") from error


def read_front_matter(path: Path) -> tuple[object, str]:
    """A Markdown file's header (read as YAML) and its body."""
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if match is None:
        raise ContentError(path, "start the file with a header between two '---' lines")
    return read_yaml(path, match["header"]), match["body"].strip()


def fields(path: Path, data, *, required: set[str], optional: set[str] = frozenset(), what: str = "") -> dict:
    """The fields of one entry, checked: each required one filled in and no
    unknown one, so a misspelt field name is an error rather than lost.
    ``what`` names the entry in the message when a file holds several."""
    where = f"{what}: " if what else ""
    if not isinstance(data, dict):
        raise ContentError(path, f"{where}write each field as 'field: value'")
    unknown = sorted(map(str, set(data) - required - optional))
    if unknown:
        raise ContentError(path, f"{where}unknown field {', '.join(unknown)}")
    missing = sorted(name for name in required if data.get(name) in (None, "", []))
    if missing:
        raise ContentError(path, f"{where}enter the {', '.join(missing)}")
    return {name: value for name, value in data.items() if value is not None}
