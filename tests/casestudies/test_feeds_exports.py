"""Atom feeds, the CSV export and the JSON endpoint: published records and public fields only."""

import csv
import io
import json

import pytest
from django.urls import reverse

from casestudies.exports import csv_safe
from linkup.models import ClientGroup, Region
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory

pytestmark = pytest.mark.django_db

PRIVATE = ("Priya Submitter", "priya.submitter@example.test", "01632 960001")


@pytest.fixture
def studies():
    london = Region.objects.get(slug="london")
    care = ClientGroup.objects.get(slug="care-leavers")
    ld = ClientGroup.objects.get(slug="adults-with-learning-disabilities")
    return {
        "london_care": CaseStudyFactory(title="London care", region=london, client_groups=[care]),
        "other": CaseStudyFactory(title="Elsewhere learning", client_groups=[ld]),
        "secret": UnpublishedCaseStudyFactory(region=london, client_groups=[care]),
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/case-studies/feed/", {"London care", "Elsewhere learning"}),
        ("/case-studies/regions/london/feed/", {"London care"}),
        ("/case-studies/client-groups/adults-with-learning-disabilities/feed/", {"Elsewhere learning"}),
    ],
)
def test_atom_feeds_list_published_only(client, studies, url, expected):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.count("<entry>") == len(expected)
    for title in expected:
        assert f"<title>{title}</title>" in body
    assert "Unpublished secret" not in body
    for secret in PRIVATE:
        assert secret not in body
    assert "<published>" in body and "<updated>" in body


def test_feed_entries_name_region_and_client_groups_and_escape_the_summary(client):
    from xml.etree import ElementTree

    care = ClientGroup.objects.get(slug="care-leavers")
    probation = ClientGroup.objects.get(slug="offenders-under-probation-supervision")
    CaseStudyFactory(
        title="Both groups",
        summary="Fewer than <5 people & their families waited.",
        region=Region.objects.get(slug="london"),
        client_groups=[care, probation],
    )
    CaseStudyFactory.create_batch(3)
    body = client.get("/case-studies/feed/").content
    atom = "{http://www.w3.org/2005/Atom}"
    entry = next(
        e
        for e in ElementTree.fromstring(body).iter(f"{atom}entry")  # noqa: S314 (our own feed)
        if e.findtext(f"{atom}title") == "Both groups"
    )
    assert [c.get("term") for c in entry.iter(f"{atom}category")] == ["London", care.name, probation.name]
    summary = entry.find(f"{atom}summary")
    assert summary.get("type") == "html"
    # Read as HTML, as a feed reader does, the summary is the plain text again.
    assert summary.text == "Fewer than &lt;5 people &amp; their families waited."


@pytest.mark.parametrize(
    "url", ["/case-studies/regions/atlantis/feed/", "/case-studies/client-groups/x/feed/"]
)
def test_feeds_for_unknown_slugs_are_404(client, url):
    assert client.get(url).status_code == 404


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_exports_the_current_filtered_list(client, studies):
    response = client.get(reverse("casestudies:export_csv"), {"region": "london"})
    assert response["Content-Disposition"].startswith('attachment; filename="case-studies-')
    rows = read_csv(response)
    assert [row["Title"] for row in rows] == ["London care"]
    assert rows[0]["Region"] == "London" and rows[0]["Client groups"] == "Care leavers"


def test_csv_has_published_records_and_public_fields_only(client, studies):
    response = client.get(reverse("casestudies:export_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Unpublished secret" not in body
    for secret in PRIVATE:
        assert secret not in body
    assert len(list(csv.DictReader(io.StringIO(body)))) == 2


def test_csv_cells_cannot_run_as_formulas(client):
    CaseStudyFactory(title="=HYPERLINK('http://evil.example')")
    rows = read_csv(client.get(reverse("casestudies:export_csv")))
    assert rows[0]["Title"].startswith("'=")
    assert csv_safe("+1") == "'+1" and csv_safe("plain") == "plain"


def test_json_is_paged_with_stable_field_names(client, studies):
    data = client.get(reverse("casestudies:api")).json()
    assert data["count"] == 2 and data["page"] == 1 and data["pages"] == 1
    assert data["next"] is None and data["previous"] is None
    assert set(data["results"][0]) == {
        "reference", "slug", "url", "title", "summary", "region", "client_groups", "agencies",
        "outcomes", "organisations", "challenge", "approach", "results", "lessons", "costs",
        "period_start", "period_end", "published_at", "updated_at", "contact",
        "cohort_size", "measurement_method", "measurement_method_label", "evaluation_url",
        "evidence_level", "evidence_level_label", "setup_cost", "yearly_cost", "funded_by",
        "cost_per_person", "savings_claimed", "savings_basis", "figures",
    }  # fmt: skip
    body = json.dumps(data)
    assert "Unpublished secret" not in body
    for secret in PRIVATE:
        assert secret not in body


def test_json_contact_only_with_consent(client):
    CaseStudyFactory(show_contact=True)
    record = client.get(reverse("casestudies:api")).json()["results"][0]
    assert record["contact"] == {
        "name": "Priya Submitter",
        "organisation": "Brackenford Council",
        "email": "priya.submitter@example.test",
    }
    assert "01632 960001" not in json.dumps(record)


def test_json_modified_after(client, studies):
    from casestudies.models import CaseStudy

    CaseStudy.objects.filter(pk=studies["london_care"].pk).update(updated_at="2009-01-01T00:00:00Z")
    CaseStudy.objects.filter(pk=studies["other"].pk).update(updated_at="2010-06-01T00:00:00Z")
    data = client.get(reverse("casestudies:api"), {"modified_after": "2010-01-01"}).json()
    assert [r["title"] for r in data["results"]] == ["Elsewhere learning"]
    data = client.get(reverse("casestudies:api"), {"modified_after": "2008-12-31T12:00:00Z"}).json()
    assert [r["title"] for r in data["results"]] == ["London care", "Elsewhere learning"]


def test_json_modified_after_reads_any_offset_python_reads(client, studies):
    from casestudies.models import CaseStudy

    CaseStudy.objects.filter(pk=studies["london_care"].pk).update(updated_at="2010-03-30T08:00:00Z")
    CaseStudy.objects.filter(pk=studies["other"].pk).update(updated_at="2010-03-30T10:00:00Z")
    # 09:00 at +23:59 is 09:01 the day before in UTC; the database reads offsets only to 15:59.
    for value in ("2010-03-31T09:00:00+23:59", "2010-03-31T09:00+2359"):
        response = client.get(reverse("casestudies:api"), {"modified_after": value})
        assert response.status_code == 200
        assert [r["title"] for r in response.json()["results"]] == ["Elsewhere learning"]


@pytest.mark.parametrize("value", ["yesterday", "2010-13-45", "\x00", "9" * 5000])
def test_json_bad_modified_after_is_a_clear_400(client, value):
    response = client.get(reverse("casestudies:api"), {"modified_after": value})
    assert response.status_code == 400
    assert "modified_after must be an ISO 8601 date" in response.json()["error"]


def test_json_pages_and_bad_page_numbers(client):
    CaseStudyFactory.create_batch(51)
    first = client.get(reverse("casestudies:api")).json()
    assert first["pages"] == 2 and len(first["results"]) == 50
    assert first["next"].endswith("page=2")
    last = client.get(reverse("casestudies:api"), {"page": "99999"}).json()
    assert last["page"] == 2 and len(last["results"]) == 1
    assert "There is no page 99999" in last["warnings"][0]
    assert client.get(reverse("casestudies:api"), {"page": "abc"}).json()["page"] == 1


def test_json_search_is_paged_with_the_number_of_matches(client):
    CaseStudyFactory.create_batch(51, title="Mentoring for care leavers")
    CaseStudyFactory(title="Something else entirely")
    first = client.get(reverse("casestudies:api"), {"q": "mentoring"}).json()
    assert (first["count"], first["pages"], len(first["results"])) == (51, 2, 50)
    last = client.get(reverse("casestudies:api"), {"q": "mentoring", "page": "99999"}).json()
    assert (last["count"], last["page"], len(last["results"])) == (51, 2, 1)
    assert "There is no page 99999" in last["warnings"][0]
    none = client.get(reverse("casestudies:api"), {"q": "zebra"}).json()
    assert (none["count"], none["pages"], none["results"]) == (0, 1, [])


def test_the_feed_makes_as_many_queries_for_50_case_studies_as_for_5(client, no_page_cache, count_queries):
    groups = list(ClientGroup.objects.all()[:2])

    def feed():
        assert client.get("/case-studies/feed/").status_code == 200

    CaseStudyFactory.create_batch(5, client_groups=groups)
    few = count_queries(feed)
    CaseStudyFactory.create_batch(45, client_groups=groups)
    assert count_queries(feed) <= few


def test_feeds_name_a_readable_stylesheet_and_stay_valid_atom(client, studies):
    from pathlib import Path
    from xml.dom import minidom
    from xml.etree import ElementTree

    from django.contrib.staticfiles import finders

    response = client.get("/case-studies/feed/")
    [instruction] = [
        node
        for node in minidom.parseString(response.content).childNodes  # noqa: S318 (our own feed)
        if node.nodeType == node.PROCESSING_INSTRUCTION_NODE
    ]
    assert instruction.target == "xml-stylesheet"
    assert 'href="/static/casestudies/feed.xsl"' in instruction.data and 'type="text/xsl"' in instruction.data
    # Feed readers still get the same Atom.
    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{atom}feed"
    assert {entry.findtext(f"{atom}title") for entry in root.iter(f"{atom}entry")} == {
        "London care",
        "Elsewhere learning",
    }
    # The stylesheet is a static file of well-formed XSLT that links only the
    # site's stylesheet: no inline script or style for the CSP to block.
    source = Path(finders.find("casestudies/feed.xsl"))
    xsl = ElementTree.fromstring(source.read_bytes())  # noqa: S314 (our own file)
    assert xsl.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    text = source.read_text(encoding="utf-8")
    assert "<script" not in text and "<style" not in text and "style=" not in text
    assert 'href="/static/app.css"' in text


def test_a_browser_gets_the_feed_as_xml_and_a_feed_reader_as_atom(client, studies):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    reader = "application/atom+xml, application/rss+xml;q=0.9, */*;q=0.1"
    as_page = client.get("/case-studies/feed/", headers={"Accept": browser})
    as_feed = client.get("/case-studies/feed/", headers={"Accept": reader})
    assert as_page["Content-Type"] == "application/xml; charset=utf-8"
    assert as_feed["Content-Type"].startswith("application/atom+xml")
    assert client.get("/case-studies/feed/")["Content-Type"].startswith("application/atom+xml")
    assert as_page.content == as_feed.content
    assert "Accept" in as_page["Vary"]


HOSTILE_HOST = "localhost:9999"


@pytest.mark.parametrize(
    "url",
    [
        "/case-studies/feed/",
        "/case-studies/regions/london/feed/",
        "/case-studies/client-groups/care-leavers/feed/",
    ],
)
def test_feed_links_are_on_site_url_whatever_the_host_header(client, studies, settings, url):
    settings.SITE_URL = "https://linkup.example"
    body = client.get(url, HTTP_HOST=HOSTILE_HOST).content.decode()
    assert HOSTILE_HOST not in body
    assert f'<link href="https://linkup.example{url}" rel="self"' in body
    assert '<link href="https://linkup.example/case-studies/' in body
    assert "<id>https://linkup.example/case-studies/" in body


def test_json_page_links_are_on_site_url_whatever_the_host_header(client, settings, monkeypatch):
    from casestudies import api

    settings.SITE_URL = "https://linkup.example"
    monkeypatch.setattr(api, "API_PAGE_SIZE", 1)
    CaseStudyFactory.create_batch(3)
    data = client.get(reverse("casestudies:api"), {"page": "2"}, HTTP_HOST=HOSTILE_HOST).json()
    assert data["next"] == "https://linkup.example/case-studies/data.json?page=3"
    assert data["previous"] == "https://linkup.example/case-studies/data.json?page=1"
    assert all(record["url"].startswith("https://linkup.example/") for record in data["results"])


def test_csv_addresses_are_on_site_url_whatever_the_host_header(client, studies, settings):
    settings.SITE_URL = "https://linkup.example"
    body = b"".join(client.get("/case-studies/browse.csv", HTTP_HOST=HOSTILE_HOST).streaming_content)
    assert HOSTILE_HOST.encode() not in body
    assert b"https://linkup.example/case-studies/" in body
