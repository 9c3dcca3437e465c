"""The coverage grid's numbers, kept in the shared cache.

Counting every published case study by region and client group is the
costliest read on the case-studies home page, and its answer changes only
when a case study does. So the counts are cached (in the shared cache, so
every app server sees the same) and forgotten whenever a case study is
saved, deleted, moved between client groups or has a moderation decision.
They are forgotten at once and again after the transaction commits, so a
page rendered in between cannot keep the old numbers; the time limit only
bounds what a write that skips signals (a bulk update) could leave behind.

The list page keys its cached fragments (the rendered results, and the
filter form but for its keyword box) on the content version that PostgreSQL
keeps for every change to public content (``linkup.pagecache.cached_fragments``),
so a change that moves a case study between pages, or its client groups, is
never shown from an old fragment, whatever made the change.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from casestudies.models import CaseStudy
from linkup.moderation import Status, moderation_decided

COVERAGE_CACHE_KEY = "casestudies:coverage"
COVERAGE_SECONDS = 10 * 60
_FORGOTTEN = (COVERAGE_CACHE_KEY,)


def published_coverage() -> dict:
    """``{"counts": {(region id, group id): n}, "total": n}`` for published case studies."""

    coverage = cache.get(COVERAGE_CACHE_KEY)
    if coverage is None:
        published = CaseStudy.objects.published()
        coverage = {"counts": published.coverage(), "total": published.count()}
        cache.set(COVERAGE_CACHE_KEY, coverage, COVERAGE_SECONDS)
    return coverage


def _forget() -> None:
    cache.delete_many(_FORGOTTEN)


def forget_coverage() -> None:
    _forget()
    transaction.on_commit(_forget)


def _may_be_counted(case_study) -> bool:
    """Published now or before: a new submission changes no count."""
    return case_study.status == Status.PUBLISHED or case_study.published_at is not None


@receiver(post_save, sender=CaseStudy, dispatch_uid="casestudies-coverage-saved")
@receiver(post_delete, sender=CaseStudy, dispatch_uid="casestudies-coverage-deleted")
def _case_study_changed(instance, **kwargs):
    if _may_be_counted(instance):
        forget_coverage()


@receiver(moderation_decided, sender=CaseStudy, dispatch_uid="casestudies-coverage-decided")
def _case_study_decided(**kwargs):
    _forget()  # already committed


@receiver(m2m_changed, sender=CaseStudy.client_groups.through, dispatch_uid="casestudies-coverage-groups")
def _client_groups_changed(instance, action, reverse, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and (reverse or _may_be_counted(instance)):
        forget_coverage()
