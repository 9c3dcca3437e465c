"""Migrations that rewrite the case-study table, run over rows (an empty
table would hide a failure that only rows bring)."""

import pytest
from django.core.management import call_command

from casestudies.models import CaseStudy
from tests.casestudies.factories import CaseStudyFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_costs_section_becomes_searchable_over_existing_rows():
    CaseStudyFactory.create_batch(3, costs="Funded from the pooled budget.")
    call_command("migrate", "casestudies", "0005", verbosity=0)
    # Every app forward again: going back undid the migrations that depend on later case-study ones.
    call_command("migrate", verbosity=0)
    assert CaseStudy.objects.published().search("pooled").count() == 3
