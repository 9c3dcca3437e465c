"""Case-study pages served from the whole-page cache (linkup/pagecache.py)
follow every change at once: the coverage grid, the list and its filters."""

import re

import pytest
from django.urls import reverse

from linkup.models import Agency, ClientGroup, Region
from linkup.moderation import Status, moderation_transition, submission_approve
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def london():
    return Region.objects.get(slug="london")


@pytest.fixture
def care():
    return ClientGroup.objects.get(slug="care-leavers")


def cell(client, region, group):
    """The grid's number for one region and client group, as the page shows it."""
    html = client.get(reverse("casestudies:home")).content.decode()
    query = f"region={region.slug}&amp;client_group={group.slug}"
    found = re.search(rf'href="{reverse("casestudies:list")}\?{query}">(\d+)<', html)
    return int(found.group(1)) if found else 0


def total(client):
    html = client.get(reverse("casestudies:home")).content.decode()
    return int(re.search(r"There (?:is|are) (\d+) published case stud", html).group(1))


def test_the_grid_counts_published_case_studies_only(client, london, care):
    CaseStudyFactory.create_batch(2, region=london, client_groups=[care])
    UnpublishedCaseStudyFactory(region=london, client_groups=[care])
    assert cell(client, london, care) == 2
    assert total(client) == 2


def test_a_repeat_visit_to_the_grid_reads_no_case_study(client, london, care, django_assert_max_num_queries):
    CaseStudyFactory(region=london, client_groups=[care])
    first = client.get(reverse("casestudies:home"))
    with django_assert_max_num_queries(100) as queries:
        second = client.get(reverse("casestudies:home"))
    assert second.content == first.content
    assert not [q["sql"] for q in queries.captured_queries if "casestudies_casestudy" in q["sql"]]


def test_publishing_updates_the_grid(client, london, care, moderator):
    case_study = UnpublishedCaseStudyFactory(region=london, client_groups=[care])
    assert cell(client, london, care) == 0
    submission_approve(submission=case_study, moderator=moderator)
    assert cell(client, london, care) == 1
    assert total(client) == 1


def test_withdrawing_updates_the_grid(client, london, care):
    case_study = CaseStudyFactory(region=london, client_groups=[care])
    assert cell(client, london, care) == 1
    moderation_transition(obj=case_study, to_status=Status.WITHDRAWN, actor_label="Submitter")
    assert cell(client, london, care) == 0


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

    ld.case_studies.add(case_study)  # from the client group's side
    assert cell(client, north_east, ld) == 1
    case_study.delete()
    assert cell(client, north_east, ld) == 0
    assert total(client) == 0


def test_the_grid_links_each_empty_cell_to_the_submission_form(client, london, care):
    html = client.get(reverse("casestudies:home")).content.decode()
    assert f'href="{reverse("casestudies:submit")}?region=london&amp;client_group=care-leavers"' in html


# --- The list and its filters -------------------------------------------------------


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


def test_renaming_an_agency_is_shown_in_the_filters_at_once(client, london, care):
    CaseStudyFactory(region=london, client_groups=[care], title="Tenancy sustainment")
    url = f"{reverse('casestudies:list')}?q=sustainment&region=london"
    html = client.get(url).content.decode()
    assert re.search(r'value="london"\s+checked', html)
    police = Agency.objects.get(slug="police")
    police.name = "Police and crime"
    police.save()
    assert "Police and crime" in client.get(url).content.decode()


def test_a_filter_error_is_never_kept(client, london, care):
    url = reverse("casestudies:list")
    first = client.get(f"{url}?region=atlantis").content.decode()
    assert "‘atlantis’ is not a region we know" in first
    second = client.get(f"{url}?region=lemuria").content.decode()
    assert "‘lemuria’ is not a region we know" in second and "atlantis" not in second
