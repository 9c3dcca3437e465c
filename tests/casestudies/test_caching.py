"""The coverage grid's cached counts: read once, forgotten whenever a case study changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.caching import COVERAGE_CACHE_KEY
from linkup.models import ClientGroup, Region
from linkup.moderation import Status, moderation_transition, submission_approve
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory

# The pages as built for each request, not from the whole-page cache
# (linkup/pagecache.py, tested in tests/linkup/test_pagecache.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def london():
    return Region.objects.get(slug="london")


@pytest.fixture
def care():
    return ClientGroup.objects.get(slug="care-leavers")


def cell(client, region, group):
    rows = client.get(reverse("casestudies:home")).context["rows"]
    row = next(row for row in rows if row["region"] == region)
    return next(cell["count"] for cell in row["cells"] if cell["group"] == group)


def test_the_second_visit_reads_the_counts_from_the_cache(client, london, care):
    CaseStudyFactory(region=london, client_groups=[care])
    assert cell(client, london, care) == 1
    assert cache.get(COVERAGE_CACHE_KEY) is not None
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("casestudies:home"))
    assert response.context["total"] == 1
    assert not [q["sql"] for q in queries.captured_queries if "casestudies_casestudy" in q["sql"]]
    assert len(queries) == 3  # regions, client groups, the cached counts


def test_publishing_updates_the_grid(client, london, care, moderator, django_capture_on_commit_callbacks):
    case_study = UnpublishedCaseStudyFactory(region=london, client_groups=[care])
    assert cell(client, london, care) == 0
    with django_capture_on_commit_callbacks(execute=True):
        submission_approve(submission=case_study, moderator=moderator)
    assert cell(client, london, care) == 1
    assert client.get(reverse("casestudies:home")).context["total"] == 1


def test_withdrawing_updates_the_grid(client, london, care, django_capture_on_commit_callbacks):
    case_study = CaseStudyFactory(region=london, client_groups=[care])
    assert cell(client, london, care) == 1
    with django_capture_on_commit_callbacks(execute=True):
        moderation_transition(obj=case_study, to_status=Status.WITHDRAWN, actor_label="Submitter")
    assert cell(client, london, care) == 0


def test_a_decision_forgets_the_counts_after_commit_too(
    london, care, moderator, django_capture_on_commit_callbacks
):
    case_study = UnpublishedCaseStudyFactory(region=london, client_groups=[care])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission_approve(submission=case_study, moderator=moderator)
        # A page rendered before the commit may have cached the old numbers.
        cache.set(COVERAGE_CACHE_KEY, {"counts": {}, "total": 0})
    for callback in callbacks:
        callback()
    assert cache.get(COVERAGE_CACHE_KEY) is None


def test_admin_edits_update_the_grid(client, london, care):
    north_east = Region.objects.get(slug="north-east")
    ld = ClientGroup.objects.get(slug="adults-with-learning-disabilities")
    case_study = CaseStudyFactory(region=london, client_groups=[care])
    assert cell(client, london, care) == 1

    case_study.region = north_east
    case_study.save()
    assert cell(client, london, care) == 0
    assert cell(client, north_east, care) == 1

    case_study.client_groups.add(ld)
    assert cell(client, north_east, ld) == 1
    case_study.client_groups.remove(care)
    assert cell(client, north_east, care) == 0
    case_study.client_groups.clear()
    assert cell(client, north_east, ld) == 0

    case_study.client_groups.add(care)
    assert cell(client, north_east, care) == 1
    case_study.delete()
    assert cell(client, north_east, care) == 0
    assert client.get(reverse("casestudies:home")).context["total"] == 0


# --- The list's rendered results and filter form -----------------------------


def test_a_change_to_client_groups_is_shown_at_once(client, london, care):
    case_study = CaseStudyFactory(region=london, client_groups=[care])
    url = reverse("casestudies:list")
    assert (care.short_name or care.name) in client.get(url).content.decode()
    ld = ClientGroup.objects.get(slug="adults-with-learning-disabilities")
    case_study.client_groups.add(ld)  # no save: updated_at is unchanged
    assert (ld.short_name or ld.name) in client.get(url).content.decode()


def test_an_edited_title_is_shown_at_once(client, london, care):
    case_study = CaseStudyFactory(region=london, client_groups=[care], title="Before")
    url = reverse("casestudies:list")
    assert "Before" in client.get(url).content.decode()
    case_study.title = "After"
    case_study.save()
    html = client.get(url).content.decode()
    assert "After" in html and "Before" not in html


def test_search_results_are_cached_per_keyword(client, london, care):
    CaseStudyFactory(region=london, client_groups=[care], title="Tenancy sustainment", summary="Tenancy help")
    url = reverse("casestudies:list")
    assert "<mark" in client.get(f"{url}?q=tenancy").content.decode()
    assert "<mark" not in client.get(f"{url}?sort=newest").content.decode()


def test_a_filter_error_is_never_kept(client, london, care):
    url = reverse("casestudies:list")
    first = client.get(f"{url}?region=atlantis").content.decode()
    assert "‘atlantis’ is not a region we know" in first
    second = client.get(f"{url}?region=lemuria").content.decode()
    assert "‘lemuria’ is not a region we know" in second and "atlantis" not in second
