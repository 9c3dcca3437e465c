"""The demo content's evidence: figures, methods and costs on most examples,
every level, some without figures, dates over two years, and the East
Midlands care-leaver examples the "done when" journey needs."""

import datetime
import io
import shutil

import pytest
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from casestudies import demo
from casestudies.evidence import figure_errors
from casestudies.models import FIGURE_FIELDS, CaseStudy, OutcomeFigure
from linkup.content_files import ContentError

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    demo.seed(stdout=io.StringIO())
    return CaseStudy.objects.published()


def test_most_examples_have_figures_methods_and_costs_across_every_level(seeded):
    total = seeded.count()
    with_figures = seeded.filter(figures__result_value__isnull=False).distinct().count()
    assert total * 2 / 3 <= with_figures < total
    assert set(seeded.values_list("evidence_level", flat=True)) == {1, 2, 3, 4, 5}
    assert seeded.exclude(measurement_method="").count() >= total * 2 / 3
    assert seeded.filter(yearly_cost__isnull=False, cost_per_person__isnull=False).count() >= total / 2
    assert seeded.filter(savings_claimed__isnull=False).exclude(savings_basis="").exists()
    assert seeded.exclude(evidence_level=None).count() == total
    assert seeded.exclude(evidence_level_proposed=F("evidence_level")).exists()


def test_every_demo_figure_passes_the_forms_rules(seeded):
    for figure in OutcomeFigure.objects.select_related("case_study", "indicator"):
        groups = list(figure.case_study.client_groups.values_list("pk", flat=True))
        values = {name: getattr(figure, name) for name in FIGURE_FIELDS if name not in {"measure", "outcome"}}
        assert (
            figure_errors(**values, cohort_size=figure.case_study.cohort_size, client_group_ids=groups) == {}
        )


def test_published_and_updated_dates_spread_over_two_years(seeded):
    now = timezone.now()
    oldest = min(seeded.values_list("published_at", flat=True))
    assert now - oldest > datetime.timedelta(days=600)
    assert now - oldest < datetime.timedelta(days=750)
    updated_later = seeded.filter(updated_at__gt=F("published_at") + datetime.timedelta(days=7))
    assert seeded.count() / 5 <= updated_later.count() < seeded.count()
    assert not seeded.filter(updated_at__gt=now).exists()


def test_three_east_midlands_care_leaver_examples_have_strong_evidence_and_ni_147(seeded):
    found = (
        seeded.filter(region__slug="east-midlands", client_groups__slug="care-leavers", evidence_level__gte=3)
        .filter(figures__indicator__code="NI 147", figures__result_value__isnull=False)
        .annotate(n=Count("pk"))
        .distinct()
    )
    assert found.count() >= 3
    assert all(case_study.setup_cost is not None or case_study.yearly_cost for case_study in found)


def test_the_examples_that_are_not_public_have_no_evidence(seeded):
    hidden = CaseStudy.objects.exclude(status="published")
    assert hidden.exists() and not OutcomeFigure.objects.filter(case_study__in=hidden).exists()
    assert not hidden.filter(~Q(evidence_level=None)).exists()


@pytest.fixture
def demo_copy(tmp_path):
    target = tmp_path / "demo"
    shutil.copytree(demo.DEMO_DIR, target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      level: 4\n", "      level: 7\n", "the level must be 1, 2, 3, 4 or 5"),
        (
            "          indicator: NI 147\n",
            "          indicator: NI 999\n",
            "no national indicator called 'NI 999'",
        ),
        ("          after: 27\n", "          after: 31\n", "cannot be more than the 30 people"),
        ("          before: 19\n", "          before: lots\n", "write a number of people, like 12"),
    ],
)
def test_a_mistake_in_a_story_s_evidence_names_the_file_and_adds_nothing(demo_copy, old, new, message):
    path = demo_copy / "04-east-midlands.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as error, transaction.atomic():
        demo.seed(stdout=io.StringIO(), directory=demo_copy)
    assert "04-east-midlands.yaml" in str(error.value) and message in str(error.value)
    assert not CaseStudy.objects.exists()
