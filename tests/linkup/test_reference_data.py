import pytest
from django.contrib.auth.models import Group

from linkup import reference_data
from linkup.models import Agency, ClientGroup, LocalAuthority, NationalIndicator, Outcome, Region

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_every_fresh_database_has_the_reference_data():
    assert list(Region.objects.ordered().values_list("name", flat=True)) == [
        r[0] for r in reference_data.REGIONS
    ]
    assert Region.objects.get(slug="yorkshire-and-the-humber").name == "Yorkshire and The Humber"
    assert ClientGroup.objects.count() == 4
    assert Outcome.objects.count() >= 4
    assert Agency.objects.count() == len(reference_data.AGENCIES)


def test_each_client_group_has_its_two_indicators():
    expected = {
        "care-leavers": {"NI 147", "NI 148"},
        "offenders-under-probation-supervision": {"NI 143", "NI 144"},
        "adults-in-contact-with-secondary-mental-health-services": {"NI 149", "NI 150"},
        "adults-with-learning-disabilities": {"NI 145", "NI 146"},
    }
    for slug, codes in expected.items():
        group = ClientGroup.objects.get(slug=slug)
        assert set(group.indicators.values_list("code", flat=True)) == codes


def test_indicators_match_outcomes():
    ni147 = NationalIndicator.objects.get(code="NI 147")
    assert list(ni147.outcomes.values_list("slug", flat=True)) == ["settled-accommodation"]
    ni148 = NationalIndicator.objects.get(code="NI 148")
    assert set(ni148.outcomes.values_list("slug", flat=True)) == {"employment", "education-or-training"}


def test_east_midlands_authorities_and_neighbours():
    authorities = LocalAuthority.objects.filter(region__slug="east-midlands")
    assert authorities.count() == 10
    derby = LocalAuthority.objects.get(slug="derby")
    assert list(derby.neighbours.values_list("name", flat=True)) == ["Derbyshire"]
    # Neighbours are mutual.
    assert derby in LocalAuthority.objects.get(slug="derbyshire").neighbours.all()


def test_loading_again_changes_nothing_and_keeps_staff_edits():
    from django.apps import apps

    Region.objects.filter(slug="london").update(description="Edited by staff")
    before = Region.objects.count(), NationalIndicator.objects.count()
    reference_data.load(apps)
    assert (Region.objects.count(), NationalIndicator.objects.count()) == before
    assert Region.objects.get(slug="london").description == "Edited by staff"


def test_moderators_group_exists_with_reference_permissions():
    group = Group.objects.get(name="Moderators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_region", "view_clientgroup"} <= codenames
    assert "delete_region" not in codenames
