"""Toolkit content as files: the loader, its errors, its command, and the
data migration that must not depend on the files."""

import io
import json
import shutil
from importlib import import_module

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from linkup.content_files import ContentError
from toolkit import content_loader
from toolkit.content_loader import CONTENT_DIR, read_finder, read_sections, toolkit_content_load
from toolkit.models import AgencySuggestion, Need, Page, Section

pytestmark = pytest.mark.django_db

MIGRATION = import_module("toolkit.migrations.0002_load_content")


def empty_toolkit():
    AgencySuggestion.objects.all().delete()
    Need.objects.all().delete()
    Page.objects.all().delete()
    Section.objects.all().delete()


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def content(tmp_path):
    """A small content folder of one section, one page and one suggestion."""
    write(tmp_path / "01-basics" / "section.yaml", "title: Basics\nsummary: Where to start.\n")
    write(
        tmp_path / "01-basics" / "01-first-steps.md",
        '---\ntitle: First steps\nsummary: "Start here: a short guide."\nclient_group: Care leavers\n---\n\n'
        "## Begin\n\nTalk to each other.\n",
    )
    write(
        tmp_path / "finder.yaml",
        "needs:\n  - name: Work\n    hint: A job.\n"
        "suggestions:\n  - need: Work\n    agency: Probation\n    reason: They know employers.\n",
    )
    return tmp_path


def test_front_matter_and_file_names_make_the_page(content):
    (section,) = read_sections(content)
    assert (section.slug, section.position, section.title, section.summary) == (
        "basics",
        1,
        "Basics",
        "Where to start.",
    )
    (page,) = section.pages
    assert (page.slug, page.position, page.title, page.summary, page.client_group) == (
        "first-steps",
        1,
        "First steps",
        "Start here: a short guide.",
        "Care leavers",
    )
    assert page.body == "## Begin\n\nTalk to each other."
    assert read_finder(content)["suggestions"] == [
        {"need": "Work", "agency": "Probation", "reason": "They know employers."}
    ]


def test_the_live_files_load_every_page_into_an_empty_toolkit():
    empty_toolkit()
    added = toolkit_content_load()
    sections = read_sections(CONTENT_DIR)
    assert added["sections"] == len(sections) == Section.objects.count() >= 4
    assert added["pages"] == sum(len(section.pages) for section in sections) == Page.objects.count()
    assert (
        added["suggestions"]
        == len(read_finder(CONTENT_DIR)["suggestions"])
        == AgencySuggestion.objects.count()
    )
    for section in sections:
        for file in section.pages:
            page = Page.objects.get(section__slug=section.slug, slug=file.slug)
            assert (page.title, page.body, page.position) == (file.title, file.body, file.position)
            assert (page.client_group.name if page.client_group else "") == file.client_group
    assert Page.objects.filter(client_group__isnull=False).count() == 4


def test_loading_again_adds_nothing_and_keeps_staff_edits():
    page = Page.objects.get(slug="why-joint-working-matters")
    page.body = "Edited by staff."
    page.save()
    suggestions = AgencySuggestion.objects.count()

    assert toolkit_content_load() == {"sections": 0, "pages": 0, "needs": 0, "suggestions": 0}
    page.refresh_from_db()
    assert page.body == "Edited by staff."
    assert AgencySuggestion.objects.count() == suggestions


def test_a_new_file_adds_its_page_to_a_database_that_has_the_others(content):
    toolkit_content_load(directory=content)
    write(
        content / "01-basics" / "02-next-steps.md",
        "---\ntitle: Next steps\nsummary: Then.\n---\nKeep going.\n",
    )
    assert toolkit_content_load(directory=content)["pages"] == 1
    assert Page.objects.get(slug="next-steps").section.slug == "basics"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("01-basics/01-first-steps.md", "title: No header\n\nText.\n", "start the file with a header"),
        ("01-basics/01-first-steps.md", "---\ntitle: A\nsummery: B\n---\nText.\n", "unknown field summery"),
        ("01-basics/01-first-steps.md", "---\ntitle: A\n---\nText.\n", "enter the summary"),
        ("01-basics/01-first-steps.md", "---\ntitle: A\nsummary: B\n---\n\n", "no text after its header"),
        ("01-basics/01-first-steps.md", "---\ntitle: [A\nsummary: B\n---\nText.\n", "not valid YAML"),
        ("01-basics/First steps.md", "---\ntitle: A\nsummary: B\n---\nText.\n", "name it with a number"),
        (
            "01-basics/01-first-steps.md",
            "---\ntitle: A\nsummary: B\nclient_group: Pirates\n---\nText.\n",
            "no client group called 'Pirates'",
        ),
    ],
)
def test_a_bad_file_is_an_error_naming_it_and_nothing_is_added(content, name, text, message):
    (content / "01-basics" / "01-first-steps.md").unlink()
    write(content / name, text)
    empty_toolkit()
    with pytest.raises(ContentError, match=message) as error:
        toolkit_content_load(directory=content)
    assert name.split("/")[-1] in str(error.value)
    assert not Section.objects.exists() and not Page.objects.exists()


def test_a_suggestion_for_an_unknown_agency_names_the_finder_file(content):
    write(
        content / "finder.yaml",
        "needs:\n  - name: Work\nsuggestions:\n  - need: Work\n    agency: Pirates\n    reason: R.\n",
    )
    with pytest.raises(ContentError, match=r"finder\.yaml: there is no agency called 'Pirates'"):
        toolkit_content_load(directory=content)


def test_the_command_loads_and_reports_a_bad_file_clearly(content, monkeypatch):
    out = io.StringIO()
    call_command("load_toolkit_content", stdout=out)
    assert "Toolkit content added: sections 0, pages 0" in out.getvalue()

    write(content / "01-basics" / "02-broken.md", "no header\n")
    monkeypatch.setattr(content_loader, "CONTENT_DIR", content)
    with pytest.raises(CommandError, match=r"02-broken\.md: start the file with a header"):
        call_command("load_toolkit_content", stdout=io.StringIO())


def test_the_data_migration_loads_its_frozen_pages_whatever_the_content_files_say(tmp_path, monkeypatch):
    changed = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, changed)
    write(changed / "01-joint-working" / "09-new-page.md", "---\ntitle: New\nsummary: New.\n---\nNew.\n")
    for path in changed.rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("joint working", "JOINT WORKING"))
    monkeypatch.setattr(content_loader, "CONTENT_DIR", changed)
    monkeypatch.setattr(content_loader, "toolkit_content_load", lambda **kwargs: pytest.fail("live content"))
    empty_toolkit()

    historical = MigrationLoader(connection).project_state(("toolkit", "0002_load_content")).apps
    MIGRATION.load(historical, None)

    frozen = json.loads(MIGRATION.DATA.read_text(encoding="utf-8"))
    expected = {
        (section["slug"], page["slug"], page["title"], page["body"])
        for section in frozen["sections"]
        for page in section["pages"]
    }
    assert set(Page.objects.values_list("section__slug", "slug", "title", "body")) == expected
    assert not Page.objects.filter(body__contains="JOINT WORKING").exists()
    assert AgencySuggestion.objects.count() == len(frozen["suggestions"])
