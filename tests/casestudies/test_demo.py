"""The demo content: distinct fictional examples, most but not all cells, idempotent."""

import io
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.db.models import Count

from casestudies import demo
from casestudies.models import CaseStudy, CaseStudyLink
from linkup.models import Agency, Outcome
from linkup.moderation import Status

pytestmark = pytest.mark.django_db

UNPUBLISHED_TITLES = [title for _, title, _, _ in demo.UNPUBLISHED]


@pytest.fixture
def seeded():
    out = io.StringIO()
    demo.seed(stdout=out)
    return out.getvalue()


def test_seed_adds_distinct_published_stories(seeded):
    published = CaseStudy.objects.published()
    count = published.count()
    assert count >= 42
    assert f"Case studies: {count + len(demo.UNPUBLISHED)} added." in seeded
    # Each is its own story, not one story copied with the town changed.
    for field in ("title", "summary", "challenge", "approach", "results", "lessons"):
        assert published.values(field).distinct().count() == count, field
    assert len(set(published.values_list("published_at__date", flat=True))) >= 30
    # Each story is set in its region's invented town.
    for case_study in published.select_related("region"):
        assert demo.TOWNS[case_study.region.name] in case_study.organisations


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


def test_seed_demo_command_runs(client):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Case studies:" in out.getvalue()
    assert client.get("/case-studies/").status_code == 200
