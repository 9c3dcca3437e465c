"""The demo content: enough fictional examples, most but not all cells, idempotent."""

import io

import pytest

from casestudies import demo
from casestudies.models import CaseStudy
from linkup.moderation import Status

pytestmark = pytest.mark.django_db


def test_seed_adds_realistic_published_examples_once():
    demo.seed(stdout=io.StringIO())
    published = CaseStudy.objects.published()
    assert published.count() >= 40
    cells = published.coverage()
    assert 24 <= len(cells) < 36
    assert published.values("agencies").distinct().count() >= 10
    assert published.values("outcomes").distinct().count() == 4
    assert len(set(published.values_list("published_at__date", flat=True))) >= 30
    assert CaseStudy.objects.filter(status__in=[Status.SUBMITTED, Status.REJECTED]).count() >= 2

    before = CaseStudy.objects.count()
    demo.seed(stdout=io.StringIO())
    assert CaseStudy.objects.count() == before


def test_demo_unpublished_examples_never_show(client):
    demo.seed(stdout=io.StringIO())
    for url in (
        "/case-studies/",
        "/case-studies/browse/?q=waiting",
        "/case-studies/feed/",
        "/case-studies/data.json",
    ):
        body = client.get(url).content.decode()
        assert "Waiting for review" not in body and "Rejected example" not in body
    hidden = CaseStudy.objects.exclude(status=Status.PUBLISHED).first()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_seed_demo_command_runs(client):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Case studies:" in out.getvalue()
    assert client.get("/case-studies/").status_code == 200
