"""Review dates: a published example stays up for a fixed term
(``CASE_STUDY_REVIEW_MONTHS``). A notice period before its review date the
submitter (if they gave an address) and the taskforce are asked, through a
signed link like the directory's freshness confirmation, whether it still
holds; past the date its page says it has not been reviewed since, and
staff renew or withdraw it from the queue. ``case_studies_review`` is run
daily by the ``moderation_review_dates`` command."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from linkup.moderation import moderation_note_add
from linkup.notifications import absolute, email_send
from linkup.pagecache import content_changed
from linkup.tokens import make_token

REVIEW_PURPOSE = "review"


def review_due_after(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The review date for an example published or reviewed at ``moment``:
    the same day ``CASE_STUDY_REVIEW_MONTHS`` later (29 February becomes 28)."""
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    year, month = divmod(day.year * 12 + day.month - 1 + settings.CASE_STUDY_REVIEW_MONTHS, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def review_link_max_age() -> int:
    return settings.CASE_STUDY_REVIEW_LINK_DAYS * 24 * 60 * 60


def review_url(case_study: CaseStudy) -> str:
    return absolute(reverse("casestudies:review", args=[make_token(case_study, REVIEW_PURPOSE)]))


def case_studies_due_for_review(today: datetime.date | None = None):
    """Published examples whose review date is within the notice period (or past)."""
    today = today or timezone.localdate()
    notice = today + datetime.timedelta(days=settings.CASE_STUDY_REVIEW_NOTICE_DAYS)
    return CaseStudy.objects.published().filter(review_due__lte=notice)


def _ask(case_study: CaseStudy) -> None:
    context = {
        "case_study": case_study,
        "review_due": case_study.review_due,
        "link_days": settings.CASE_STUDY_REVIEW_LINK_DAYS,
        "taskforce_email": settings.TASKFORCE_EMAIL,
    }
    log_as = f"review due (casestudy {case_study.pk})"
    if case_study.submitter_email:
        email_send(
            template="casestudies/emails/review_due.txt",
            to=case_study.submitter_email,
            context={**context, "review_url": review_url(case_study)},
            log_as=log_as,
        )
    admin_url = absolute(reverse("admin:casestudies_casestudy_change", args=[case_study.pk]))
    email_send(
        template="casestudies/emails/review_due_taskforce.txt",
        to=settings.TASKFORCE_EMAIL,
        context={**context, "admin_url": admin_url},
        log_as=log_as,
    )


def case_studies_review(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The daily run: ask about each example coming up for review, once per
    term (marked asked before it is e-mailed, so a crash never asks twice),
    and retire the cached pages when an example has passed its review date
    in the last week (the page then says it has not been reviewed since;
    the week covers days the command did not run)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    asked = 0
    for pk in list(
        case_studies_due_for_review(today).filter(review_asked_at=None).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            marked = CaseStudy.objects.filter(pk=pk, review_asked_at=None).update(review_asked_at=now)
        if marked:
            _ask(CaseStudy.objects.get(pk=pk))
            asked += 1
    lapsed = (
        CaseStudy.objects.published()
        .filter(review_due__lt=today, review_due__gte=today - datetime.timedelta(days=7))
        .count()
    )
    if lapsed:
        content_changed()
    return {"asked": asked, "lapsed": lapsed}


@transaction.atomic
def case_study_renew(*, case_study: CaseStudy, actor=None, actor_label: str = "") -> CaseStudy:
    """It still holds: a new term from today, earlier review links stop
    working, and the timeline says who confirmed it."""
    locked = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    now = timezone.now()
    locked.reviewed_at = now
    locked.review_due = review_due_after(now)
    locked.review_asked_at = None
    locked.token_version += 1
    # A save, not update(): the page cache's receiver retires the pages that said it was out of date.
    locked.save(update_fields=["reviewed_at", "review_due", "review_asked_at", "token_version"])
    moderation_note_add(
        obj=locked,
        author=actor,
        author_label=actor_label,
        text=f"Reviewed: it still holds. Next review due {locked.review_due:%d %B %Y}.",
    )
    return locked
