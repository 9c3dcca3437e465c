"""An alert's topic: the list's filters read by the list's own FilterSet,
normalised, and described in words."""

import pytest
from django.http import QueryDict

from alerts.topics import topic_read

pytestmark = pytest.mark.django_db


def test_care_leavers_in_the_east_midlands_about_tenancy():
    topic = topic_read(QueryDict("client_group=care-leavers&region=east-midlands&q=tenancy"))
    assert topic.description == "Case studies for care leavers in the East Midlands about ‘tenancy’"
    assert topic.query == "q=tenancy&region=east-midlands&client_group=care-leavers"


def test_the_same_filters_in_any_order_sorted_or_paged_are_one_topic():
    one = topic_read(QueryDict("region=london&region=east-midlands&sort=title&page=3"))
    other = topic_read(QueryDict("region=east-midlands&region=london&region=london"))
    assert one == other
    assert one.description == "Case studies in the East Midlands or London"


def test_a_value_not_on_a_list_is_left_out_as_the_list_leaves_it_out():
    topic = topic_read(QueryDict("region=atlantis&region=london&outcome=\x00"))
    assert topic.query == "region=london"


def test_no_filters_is_every_new_case_study():
    assert topic_read(QueryDict("")).query == ""
    assert topic_read(QueryDict("")).description == "Case studies"


def test_agencies_and_outcomes_in_a_sentence():
    topic = topic_read(QueryDict("agency=nhs-mental-health&agency=probation&outcome=employment"))
    assert topic.description == "Case studies involving NHS mental health or probation showing employment"


def test_a_keyword_is_read_as_the_list_reads_it():
    # Pasted line breaks and runs of spaces are one space; control characters are not kept.
    assert topic_read(QueryDict("q=%20supported%0A%0Dhousing%20%20")).query == "q=supported+housing"
    assert topic_read(QueryDict("q=bad%07")).query == ""
