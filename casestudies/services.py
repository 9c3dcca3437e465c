"""Writes that carry a business rule for case studies. Views, admin actions
and management commands all call these, so each rule exists once.

Decisions by moderators go through ``linkup.moderation``; the e-mails they
cause are queued by ``casestudies.notifications`` in the same transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from casestudies import notifications
from casestudies.evidence import EvidenceLevel
from casestudies.models import (
    EVIDENCE_FIELDS,
    FIGURE_FIELDS,
    SUBMITTER_FIELDS,
    WRITTEN_FIELDS,
    CaseStudy,
    OutcomeFigure,
)
from linkup.moderation import Status, moderation_note_add, moderation_record_submission, submission_resubmit

CONTENT_FIELDS = [*WRITTEN_FIELDS, "region", "period_start", "period_end", *EVIDENCE_FIELDS]
MANY_FIELDS = ["client_groups", "agencies", "outcomes"]


def case_study_slug(*, title: str, reference: str) -> str:
    """Readable and unique: the title, then the (unique) reference."""
    base = slugify(title)[:200].strip("-") or "case-study"
    return f"{base}-{reference.lower()}"


def _apply(case_study: CaseStudy, data: dict, fields: list[str]) -> None:
    for name in fields:
        if name in data:
            setattr(case_study, name, data[name])


def _set_many(case_study: CaseStudy, data: dict) -> None:
    for name in MANY_FIELDS:
        if name in data:
            getattr(case_study, name).set(data[name] or [])


def _set_figures(case_study: CaseStudy, data: dict) -> None:
    """Replace the example's outcome figures with ``data["figures"]``
    (dicts of ``FIGURE_FIELDS``, checked by ``casestudies.evidence.figure_errors``)."""
    if "figures" not in data:
        return
    case_study.figures.all().delete()
    figures = []
    for position, figure in enumerate(data["figures"]):
        values = {name: figure.get(name) for name in FIGURE_FIELDS}
        values["baseline_unit"] = values["baseline_unit"] or ""
        values["result_unit"] = values["result_unit"] or ""
        figures.append(OutcomeFigure(case_study=case_study, position=position, **values))
    OutcomeFigure.objects.bulk_create(figures)


def case_study_find_by_key(*, submission_key: str) -> CaseStudy | None:
    return CaseStudy.objects.filter(submission_key=submission_key).first() if submission_key else None


@transaction.atomic
def case_study_submit(*, data: dict, submission_key: str | None = None) -> CaseStudy:
    """Save a new example from the public form, waiting for review.

    ``data`` holds model field names (``title``, ``client_groups``, …).
    A ``submission_key`` seen before returns the earlier submission instead
    of saving a second one. Its e-mails are queued in the same transaction.
    """
    if submission_key:
        existing = case_study_find_by_key(submission_key=submission_key)
        if existing:
            return existing
    case_study = CaseStudy(status=Status.SUBMITTED, submission_key=submission_key or None)
    _apply(case_study, data, CONTENT_FIELDS + SUBMITTER_FIELDS)
    case_study.slug = case_study_slug(title=case_study.title, reference=case_study.reference)
    case_study.submitted_at = timezone.now()
    try:
        # A savepoint, so a clash with a double submit leaves the outer
        # transaction usable.
        with transaction.atomic():
            case_study.save()
    except IntegrityError:
        existing = case_study_find_by_key(submission_key=submission_key)
        if existing:
            return existing
        raise
    _set_many(case_study, data)
    _set_figures(case_study, data)
    moderation_record_submission(obj=case_study)
    notifications.submission_received(case_study)
    return case_study


@transaction.atomic
def case_study_resubmit(*, case_study: CaseStudy, data: dict) -> CaseStudy:
    """The submitter's changes after a moderator asked for them.

    Saves the new text, makes every earlier edit link stop working, and
    sends the example back for review.
    """
    locked = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    _apply(locked, data, CONTENT_FIELDS)
    locked.token_version += 1
    locked.save()
    _set_many(locked, data)
    _set_figures(locked, data)
    submission_resubmit(submission=locked, note="Changed and sent again by the submitter.")
    return locked


def level_needs_reason(*, case_study: CaseStudy, level) -> bool:
    """A level other than the one the submitter proposed is explained."""
    proposed = case_study.evidence_level_proposed
    return level is not None and proposed is not None and level != proposed


@transaction.atomic
def case_study_level_confirm(*, case_study: CaseStudy, level: int, reason: str, actor) -> CaseStudy:
    """The taskforce confirms the submitter's proposed evidence level, or
    sets another; either way the timeline records it with the reason.
    The confirmed level is the only one public pages show."""
    if case_study.evidence_level != level:
        case_study.evidence_level = level
        case_study.save(update_fields=["evidence_level", "updated_at"])
    chosen = EvidenceLevel(level).label
    proposed = case_study.evidence_level_proposed
    if proposed == level:
        what = f"Evidence level confirmed as proposed: {chosen}."
    elif proposed is None:
        what = f"Evidence level set to {chosen} (the submitter proposed none)."
    else:
        what = f"Evidence level set to {chosen} (the submitter proposed {EvidenceLevel(proposed).label})."
    reason = (reason or "").strip()
    moderation_note_add(obj=case_study, author=actor, text=f"{what} Reason: {reason}" if reason else what)
    return case_study
