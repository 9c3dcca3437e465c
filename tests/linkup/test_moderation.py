"""The shared moderation mechanism, exercised through case studies."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linkup.moderation import (
    ModerationEvent,
    Status,
    TransitionNotAllowedError,
    moderation_transition,
    submission_approve,
    submission_reject,
    submission_request_changes,
    submission_resubmit,
    submission_withdraw,
)
from tests.casestudies.factories import UnpublishedCaseStudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_without_permission(django_user_model):
    return django_user_model.objects.create_user(username="clerk", password="x" * 16, is_staff=True)


def test_allowed_transitions_are_recorded(moderator):
    case_study = UnpublishedCaseStudyFactory()
    submission_request_changes(submission=case_study, moderator=moderator, note="Add figures.")
    submission_resubmit(submission=case_study)
    event = submission_approve(submission=case_study, moderator=moderator, acknowledged_warnings=["x"])
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    assert case_study.published_at is not None
    history = list(case_study.history())
    assert [(e.from_status, e.to_status) for e in history] == [
        (Status.SUBMITTED, Status.CHANGES_REQUESTED),
        (Status.CHANGES_REQUESTED, Status.SUBMITTED),
        (Status.SUBMITTED, Status.PUBLISHED),
    ]
    assert history[0].actor == moderator and history[0].note == "Add figures."
    assert history[1].actor_label == "Submitter"
    assert event.acknowledged_warnings == ["x"]


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.REJECTED, Status.PUBLISHED),
        (Status.WITHDRAWN, Status.SUBMITTED),
        (Status.CHANGES_REQUESTED, Status.PUBLISHED),
        (Status.SUBMITTED, Status.SUBMITTED),
    ],
)
def test_transitions_that_are_not_allowed_are_refused(moderator, start, to):
    case_study = UnpublishedCaseStudyFactory(status=start)
    with pytest.raises(TransitionNotAllowedError):
        moderation_transition(obj=case_study, to_status=to, actor=moderator, note="n")
    case_study.refresh_from_db()
    assert case_study.status == start
    assert not ModerationEvent.objects.for_object(case_study).exists()


def test_publishing_needs_the_moderate_permission(staff_without_permission):
    case_study = UnpublishedCaseStudyFactory()
    with pytest.raises(PermissionDenied):
        submission_approve(submission=case_study, moderator=staff_without_permission)
    with pytest.raises(PermissionDenied):
        moderation_transition(obj=case_study, to_status=Status.PUBLISHED)
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED


def test_submitter_can_withdraw_without_permission():
    case_study = UnpublishedCaseStudyFactory()
    submission_withdraw(submission=case_study)
    case_study.refresh_from_db()
    assert case_study.status == Status.WITHDRAWN


@pytest.mark.parametrize("decide", [submission_request_changes, submission_reject])
def test_a_note_is_required(moderator, decide):
    case_study = UnpublishedCaseStudyFactory()
    with pytest.raises(ValidationError):
        decide(submission=case_study, moderator=moderator, note="   ")
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED


def test_history_is_append_only(moderator):
    case_study = UnpublishedCaseStudyFactory()
    event = submission_reject(submission=case_study, moderator=moderator, note="Not joint working.")
    event.note = "rewritten"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    assert ModerationEvent.objects.get(pk=event.pk).note == "Not joint working."


def test_published_is_what_the_public_sees(moderator):
    case_study = UnpublishedCaseStudyFactory()
    model = type(case_study)
    assert not model.objects.published().filter(pk=case_study.pk).exists()
    assert model.objects.awaiting_review().filter(pk=case_study.pk).exists()
    submission_approve(submission=case_study, moderator=moderator)
    assert model.objects.published().filter(pk=case_study.pk).exists()


def test_bulk_records_are_held_to_the_transitions():
    from django.utils import timezone

    from directory.models import Listing
    from linkup.moderation import moderation_record_bulk
    from tests.directory.factories import ListingFactory

    listing = ListingFactory()
    with pytest.raises(TransitionNotAllowedError):
        moderation_record_bulk(
            model=Listing,
            decisions=[(listing.pk, "rejected", "published", "")],
            actor_label="Import",
            now=timezone.now(),
        )
    moderation_record_bulk(
        model=Listing,
        decisions=[(listing.pk, "published", "submitted", "x")],
        actor_label="Import",
        now=timezone.now(),
    )
    assert ModerationEvent.objects.for_object(listing).get().to_status == "submitted"
