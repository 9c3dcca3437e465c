"""The demo content: distinct fictional examples, most but not all cells,
idempotent, read from YAML files whose mistakes are named."""

import io
import shutil
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from casestudies import demo
from casestudies.models import CaseStudy, CaseStudyLink
from linkup.content_files import ContentError
from linkup.models import Agency, Outcome
from linkup.moderation import Status

pytestmark = pytest.mark.django_db

DEMO = demo.read()
UNPUBLISHED_TITLES = [example.title for example in DEMO.not_public]


@pytest.fixture
def seeded():
    out = io.StringIO()
    demo.seed(stdout=out)
    return out.getvalue()


def test_seed_adds_distinct_published_stories(seeded):
    published = CaseStudy.objects.published()
    count = published.count()
    assert count >= 42
    assert f"Case studies: {count + len(DEMO.not_public)} added." in seeded
    # Each is its own story, not one story copied with the town changed.
    for field in ("title", "summary", "challenge", "approach", "results", "lessons"):
        assert published.values(field).distinct().count() == count, field
    assert len(set(published.values_list("published_at__date", flat=True))) >= 30
    # Each story is set in its region's invented town.
    for case_study in published.select_related("region"):
        assert DEMO.towns[case_study.region.name] in case_study.organisations


def test_seed_covers_most_but_not_all_cells(seeded, client):
    published = CaseStudy.objects.published()
    cells = published.coverage()
    assert 26 <= len(cells) <= 32
    groups_per_region = Counter(region_id for region_id, _ in cells)
    assert len(groups_per_region) == 9
    assert sum(groups < 4 for groups in groups_per_region.values()) >= 3  # some regions clearly missing one
    # The unpublished ones sit in empty cells and leave them empty.
    assert client.get("/case-studies/").content.decode().count("Example needed") >= 36 - len(cells)


def test_seed_varies_client_groups_agencies_outcomes_and_links(seeded):
    published = CaseStudy.objects.published()
    group_counts = list(published.annotate(groups=Count("client_groups")).values_list("groups", flat=True))
    assert set(group_counts) == {1, 2}
    two_groups = group_counts.count(2)
    assert len(group_counts) / 5 <= two_groups <= len(group_counts) / 3  # about a quarter

    used_agencies = set(published.values_list("agencies__name", flat=True))
    assert used_agencies >= set(Agency.objects.values_list("name", flat=True))
    used_outcomes = set(published.values_list("outcomes__name", flat=True))
    assert used_outcomes >= set(Outcome.objects.values_list("name", flat=True))

    links = CaseStudyLink.objects.filter(case_study__in=published)
    assert links.values("case_study").distinct().count() >= 5
    for url in links.values_list("url", flat=True):
        host = urlsplit(url).hostname
        assert url.startswith("https://") and (host == "example.org" or host.endswith(".example")), url

    contacts = published.filter(show_contact=True)
    assert contacts.exists() and not contacts.filter(consent_to_publish=False).exists()


def test_seed_keeps_one_unpublished_example_in_each_state(seeded):
    hidden = CaseStudy.objects.exclude(status=Status.PUBLISHED)
    assert set(hidden.values_list("status", flat=True)) >= {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        Status.REJECTED,
    }
    assert all(title.startswith("Not public:") for title in hidden.values_list("title", flat=True))


def test_seed_is_idempotent(seeded):
    before = (CaseStudy.objects.count(), CaseStudyLink.objects.count())
    out = io.StringIO()
    demo.seed(stdout=out)
    assert (CaseStudy.objects.count(), CaseStudyLink.objects.count()) == before
    assert "Case studies: 0 added." in out.getvalue()


def test_demo_unpublished_examples_never_show(seeded, client):
    for url in (
        "/case-studies/",
        "/case-studies/browse/",
        "/case-studies/browse/?q=not+public",
        "/case-studies/browse/?q=moderator",
        "/case-studies/feed/",
        "/case-studies/data.json",
    ):
        body = client.get(url).content.decode()
        assert "Not public" not in body, url
        for title in UNPUBLISHED_TITLES:
            assert title not in body, (url, title)
    for hidden in CaseStudy.objects.exclude(status=Status.PUBLISHED):
        assert client.get(hidden.get_absolute_url()).status_code == 404


def test_seed_demo_command_runs_and_adds_nothing_twice(client):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"Case studies: {len(DEMO.stories) + len(DEMO.not_public)} added." in out.getvalue()
    assert client.get("/case-studies/").status_code == 200
    counts = CaseStudy.objects.count(), CaseStudyLink.objects.count()

    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "Case studies: 0 added." in again.getvalue()
    assert (CaseStudy.objects.count(), CaseStudyLink.objects.count()) == counts


def test_each_file_is_one_region_in_its_town_with_placeholders_filled():
    assert len(DEMO.towns) == 9 and len(set(DEMO.towns.values())) == 9
    assert len(DEMO.stories) >= 42
    for story in DEMO.stories:
        assert DEMO.towns[story.region] == story.town
        texts = [getattr(story, name) for name in demo.TEXTS] + [url for _, url in story.links]
        assert not any("{" in text for text in texts), story.title


@pytest.fixture
def demo_copy(tmp_path):
    """The North East's stories and the examples that are not public, to break."""
    shutil.copy(demo.DEMO_DIR / "01-north-east.yaml", tmp_path)
    (tmp_path / demo.NOT_PUBLIC_FILE).write_text(
        "not_public:\n  - status: draft\n    title: 'Not public: a test'\n"
        "    region: North East\n    client_group: Care leavers\n",
        encoding="utf-8",
    )
    return tmp_path


def test_a_copy_of_the_files_seeds_its_own_stories(demo_copy):
    out = io.StringIO()
    demo.seed(stdout=out, directory=demo_copy)
    assert "Case studies: 6 added." in out.getvalue()
    assert CaseStudy.objects.published().count() == 5


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      - Voluntary and community sector", "      - Pirates", "there is no agency called 'Pirates'"),
        ("    lessons:", "    lesson:", "story 1: unknown field lesson"),
        (
            "    outcomes:\n      - Settled accommodation\n    summary",
            "    summary",
            "story 1: enter the outcomes",
        ),
        ("region: North East", "region: [North East", "not valid YAML"),
    ],
)
def test_a_mistake_in_a_story_file_is_an_error_naming_the_file_and_adds_nothing(demo_copy, old, new, message):
    path = demo_copy / "01-north-east.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # seed_demo runs each app's seed in one transaction, as here.
    with pytest.raises(ContentError, match=message) as error, transaction.atomic():
        demo.seed(stdout=io.StringIO(), directory=demo_copy)
    assert "01-north-east.yaml" in str(error.value)
    assert not CaseStudy.objects.exists()


def test_an_example_marked_published_in_the_not_public_file_is_refused(demo_copy):
    path = demo_copy / demo.NOT_PUBLIC_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: published"))
    with pytest.raises(ContentError, match=r"not-public\.yaml: example 1: the status must be one of"):
        demo.seed(stdout=io.StringIO(), directory=demo_copy)
    assert not CaseStudy.objects.exists()
