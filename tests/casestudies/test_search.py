"""CaseStudy.objects.published().search(): ranking, typos and websearch syntax."""

import pytest

from casestudies.models import CaseStudy
from linkup.search import highlight
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory

# The pages as built for each request, not from the whole-page cache
# (linkup/pagecache.py, tested in tests/linkup/test_pagecache.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def search(query):
    return [case_study.title for case_study in CaseStudy.objects.published().search(query)]


def test_a_title_match_ranks_above_a_body_match():
    CaseStudyFactory(title="Working together on hospital discharge", lessons="Mentoring helps everyone.")
    CaseStudyFactory(title="Mentoring for care leavers")
    assert search("mentoring") == ["Mentoring for care leavers", "Working together on hospital discharge"]


def test_a_summary_match_ranks_above_a_section_match():
    CaseStudyFactory(title="One", results="Tenancy sustainment improved.")
    CaseStudyFactory(title="Two", summary="Tenancy sustainment for young people.")
    assert search("tenancy") == ["Two", "One"]


def test_every_section_is_searched_below_the_summary():
    CaseStudyFactory(title="One", costs="Funded from the pooled budget.")
    CaseStudyFactory(title="Two", summary="A pooled budget for move-on.")
    assert search("pooled") == ["Two", "One"]


def test_a_typo_in_the_title_still_finds_it():
    CaseStudyFactory(title="Apprenticeships with the council for care leavers")
    CaseStudyFactory(title="Something else entirely")
    assert search("aprenticeships council") == ["Apprenticeships with the council for care leavers"]


@pytest.mark.parametrize("query", ["kelingham", "tenancy suport circle", "rough sleping"])
def test_one_mistyped_word_of_a_title_still_finds_it(query):
    CaseStudyFactory(title="Rough sleepers into a tenancy support circle in Kellingham")
    CaseStudyFactory(title="Something else entirely")
    assert search(query) == ["Rough sleepers into a tenancy support circle in Kellingham"]


def test_a_short_word_is_not_taken_for_part_of_a_longer_one():
    CaseStudyFactory(title="Care leavers at work")
    assert search("cat") == []


def test_a_typo_is_only_tried_when_the_words_find_nothing():
    CaseStudyFactory(title="Apprenticeships with the council")
    CaseStudyFactory(title="Working with employers", summary="Aprenticeships offered.")  # the typo, as text
    assert search("aprenticeships") == ["Working with employers"]


def test_a_typo_match_respects_the_other_filters(client):
    from linkup.models import Region

    london = Region.objects.get(slug="london")
    CaseStudyFactory(title="Apprenticeships for care leavers", region=london)
    CaseStudyFactory(title="Apprenticeships in the north east", region=Region.objects.get(slug="north-east"))
    response = client.get("/case-studies/browse/", {"q": "aprenticeships", "region": "london"})
    assert [c.title for c in response.context["page_obj"]] == ["Apprenticeships for care leavers"]
    assert response.context["page_obj"].paginator.count == 1


def test_equal_ranks_are_newest_first():
    older = CaseStudyFactory(title="Tenancy support")
    newer = CaseStudyFactory(title="Joint tenancy work with the housing team")
    CaseStudy.objects.filter(pk=older.pk).update(published_at=newer.published_at.replace(year=2009))
    assert search("tenancy") == [newer.title, older.title]


def test_websearch_quotes_or_and_minus():
    CaseStudyFactory(title="Supported lodgings hosts", summary="Hosts offered a room.")
    CaseStudyFactory(title="Lodgings and supported housing", summary="A housing project.")
    CaseStudyFactory(title="Probation housing advice", summary="Advice in the probation office.")
    assert search('"supported lodgings"') == ["Supported lodgings hosts"]
    assert search("lodgings -project") == ["Supported lodgings hosts"]
    assert set(search("hosts or probation")) == {"Supported lodgings hosts", "Probation housing advice"}


def test_websearch_syntax_on_the_list_and_in_the_json(client):
    from django.urls import reverse

    CaseStudyFactory(title="Supported lodgings hosts", summary="Hosts offered a room.")
    CaseStudyFactory(title="Lodgings and supported housing", summary="A housing project.")
    CaseStudyFactory(title="Probation housing advice", summary="Advice in the probation office.")
    for query, expected in (
        ('"supported lodgings"', {"Supported lodgings hosts"}),
        ("lodgings -project", {"Supported lodgings hosts"}),
        ("hosts OR probation", {"Supported lodgings hosts", "Probation housing advice"}),
    ):
        page = client.get(reverse("casestudies:list"), {"q": query}).context["page_obj"]
        assert {c.title for c in page} == expected, query
        results = client.get(reverse("casestudies:api"), {"q": query}).json()["results"]
        assert {r["title"] for r in results} == expected, query


def test_an_unclosed_quote_searches_a_phrase_and_says_so(client):
    from django.urls import reverse

    CaseStudyFactory(title="Supported lodgings hosts")
    CaseStudyFactory(title="Lodgings for people who are supported")
    response = client.get(reverse("casestudies:list"), {"q": '"supported lodgings'})
    assert response.status_code == 200
    assert [c.title for c in response.context["page_obj"]] == ["Supported lodgings hosts"]
    html = response.content.decode()
    assert "a quotation mark without a closing one" in html
    assert 'value="&quot;supported lodgings"' in html  # the keyword is kept as typed
    warnings = client.get(reverse("casestudies:api"), {"q": '"supported lodgings'}).json()["warnings"]
    assert any("quotation mark" in warning for warning in warnings)
    balanced = client.get(reverse("casestudies:list"), {"q": '"supported lodgings"'}).content.decode()
    assert "quotation mark" not in balanced


@pytest.mark.parametrize("query", ['"unbalanced', "a OR", "-", "!!!", "(((", "the", "'", "é ö ñ"])
def test_awkward_queries_do_not_fail(query):
    CaseStudyFactory(title="Housing")
    assert isinstance(search(query), list)


def test_search_never_finds_unpublished():
    UnpublishedCaseStudyFactory(title="Mentoring secret")
    CaseStudyFactory(title="Mentoring public")
    assert search("mentoring") == ["Mentoring public"]


def test_headline_marks_matches_and_escapes_everything_else():
    CaseStudyFactory(title="Mentoring", summary="<b>Mentoring</b> & support")
    result = CaseStudy.objects.published().search("mentoring").get()
    html = result.headline_html
    assert '<mark class="app-highlight">Mentoring</mark>' in html
    assert "&lt;b&gt;" in html and "&amp; support" in html
    assert str(highlight("<i>x</i>")) == "&lt;i&gt;x&lt;/i&gt;"


def test_list_page_search_shows_highlighted_results_in_relevance_order(client):
    CaseStudyFactory(title="Body", approach="Weekly mentoring sessions.")
    CaseStudyFactory(title="Mentoring circle", summary="Mentoring for tenants.")
    response = client.get("/case-studies/browse/", {"q": "mentoring"})
    assert [c.title for c in response.context["page_obj"]] == ["Mentoring circle", "Body"]
    assert response.context["result"].sort == "relevance"
    html = response.content.decode()
    assert '<mark class="app-highlight">Mentoring</mark>' in html
    assert (
        "2 case studies matching &lsquo;mentoring&rsquo;" in html
        or "2 case studies matching ‘mentoring’" in html
    )


def test_search_plans_use_the_indexes():
    from django.db import connection

    CaseStudyFactory.create_batch(3, title="Housing support")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert "casestudy_search_gin" in CaseStudy.objects.search("housing").explain()
        assert "casestudy_title_trgm" in CaseStudy.objects.search("housng suport").explain()
