"""The "Who should I contact?" finder: a GET question flow over admin-edited data."""

import pytest
from django.urls import reverse

from linkup.models import Agency, ClientGroup
from tests.toolkit.factories import AgencySuggestionFactory, NeedFactory
from toolkit.models import AgencySuggestion, Need

pytestmark = pytest.mark.django_db
URL = reverse("toolkit:finder")


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_first_question_is_the_client_group(client):
    html = get(client)
    assert "Question 1 of 3" in html and "Who are you trying to help?" in html
    for group in ClientGroup.objects.all():
        assert group.name in html
    assert "novalidate" in html and 'method="get"' in html
    assert "govuk-error-summary" not in html


def test_flow_moves_through_the_questions(client):
    html = get(client, client_group="care-leavers", step="client_group")
    assert "Question 2 of 3" in html
    assert 'name="client_group" value="care-leavers"' in html
    for need in Need.objects.all():
        assert need.name in html
    html = get(client, client_group="care-leavers", need="settled-accommodation", step="need")
    assert "Question 3 of 3" in html and "East Midlands local authorities" in html and "Derbyshire" in html


def test_the_areas_offered_follow_the_regions_the_directory_covers(client, settings):
    from linkup.models import LocalAuthority, Region

    LocalAuthority.objects.create(name="Camden", slug="camden", region=Region.objects.get(slug="london"))
    settings.DIRECTORY_REGIONS = ["london"]
    html = get(client, client_group="care-leavers", need="settled-accommodation", step="need")
    assert "London local authorities" in html and 'value="la-camden"' in html
    assert "East Midlands local authorities" not in html and 'value="la-derbyshire"' not in html
    html = get(client, client_group="care-leavers", need="settled-accommodation", where="la-camden")
    assert "Agencies to involve" in html
    html = get(client, client_group="care-leavers", need="settled-accommodation", where="la-derbyshire")
    assert "There is a problem" in html


def test_missing_answer_shows_the_error_summary(client):
    html = get(client, step="client_group")
    assert "There is a problem" in html
    assert 'href="#id_client_group_0">Select who you are trying to help' in html
    assert "<title>Error:" in html


def test_results_from_the_loaded_mapping(client):
    html = get(client, client_group="care-leavers", need="settled-accommodation", where="la-derbyshire")
    assert "Agencies to involve" in html
    assert "Children&#x27;s services and leaving care" in html
    assert "Housing: council" in html
    # Suggestions for other client groups are left out.
    assert "Probation" not in html
    assert "Read the guide: Care leavers" in html
    assert "shares a boundary with" in html and "Nottinghamshire" in html


def test_results_follow_admin_edits(client):
    need = NeedFactory(name="Pets", slug="pets")
    group = ClientGroup.objects.get(slug="adults-with-learning-disabilities")
    police = Agency.objects.get(slug="police")
    AgencySuggestionFactory(
        need=need, client_group=group, agency=police, reason="Zebra reason for the police."
    )
    AgencySuggestionFactory(
        need=need, client_group=None, agency=Agency.objects.get(slug="adult-social-care"), reason="Everyone."
    )
    AgencySuggestionFactory(
        need=need,
        client_group=ClientGroup.objects.get(slug="care-leavers"),
        agency=Agency.objects.get(slug="probation"),
        reason="Not for this group.",
    )
    html = get(client, client_group=group.slug, need="pets", where="region-london")
    assert "Zebra reason for the police." in html and "Everyone." in html
    assert "Not for this group." not in html
    for suggestion in AgencySuggestion.objects.filter(agency=police):  # saved, as admin does
        suggestion.reason = "Edited in admin."
        suggestion.save()
    html = get(client, client_group=group.slug, need="pets", where="region-london")
    assert "Edited in admin." in html and "Zebra" not in html


def test_change_link_keeps_other_answers(client):
    html = get(client, client_group="care-leavers", need="work", where="region-london", change="need")
    assert "Question 2 of 3" in html
    assert 'value="work" checked' in html
    assert 'name="client_group" value="care-leavers"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"client_group": "no-such-group", "step": "client_group"},
        {"client_group": "care\x00leavers", "step": "client_group"},
        {"client_group": "x" * 5000, "step": "client_group"},
        {"client_group": "care-leavers", "need": "y" * 5000, "step": "need"},
        {"client_group": "care-leavers", "need": "work", "where": "la-nowhere"},
        {"client_group": "care-leavers", "need": "work", "where": "region-\x00"},
        {"client_group": "care-leavers", "need": "work", "where": "z" * 5000},
    ],
)
def test_bad_input_gets_a_clear_message(client, params):
    html = get(client, **params)
    assert "There is a problem" in html


def test_results_make_as_many_queries_for_50_suggestions_as_for_5(client, no_page_cache, count_queries):
    need = NeedFactory()
    group = ClientGroup.objects.get(slug="care-leavers")

    def add(rows):
        for _ in range(rows):
            number = Agency.objects.count()
            agency = Agency.objects.create(name=f"Agency {number}", slug=f"agency-{number}")
            AgencySuggestionFactory(need=need, client_group=group, agency=agency)

    def results():
        html = get(client, client_group=group.slug, need=need.slug, where="la-derbyshire")
        assert "Agencies to involve" in html

    add(5)
    few = count_queries(results)
    add(45)
    assert count_queries(results) <= few
