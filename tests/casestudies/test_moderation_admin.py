"""Moderating case studies in Django admin."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from linkup.moderation import ModerationEvent, Status
from tests.casestudies.factories import CaseStudyFactory, UnpublishedCaseStudyFactory
from tests.directory.factories import ListingFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:casestudies_casestudy_changelist")


def decide_url(case_study, decision):
    return reverse("admin:casestudies_casestudy_decide", args=[case_study.pk, decision])


@pytest.fixture
def moderator_client(staff_client):
    return staff_client


@pytest.fixture
def superuser_client(otp_client, django_user_model):
    return otp_client(django_user_model.objects.create_superuser("boss", "boss@linkup.test", "x" * 16))


def test_changelist_puts_pending_first_then_oldest(moderator_client):
    now = timezone.now()
    CaseStudyFactory(title="Published one", submitted_at=now - datetime.timedelta(days=30))
    UnpublishedCaseStudyFactory(title="Newer pending", submitted_at=now - datetime.timedelta(days=1))
    UnpublishedCaseStudyFactory(title="Older pending", submitted_at=now - datetime.timedelta(days=9))
    response = moderator_client.get(CHANGELIST)
    titles = [obj.title for obj in response.context["cl"].result_list]
    assert titles == ["Older pending", "Newer pending", "Published one"]
    assert "working days" in response.content.decode()


def test_changelist_search_and_filters(moderator_client):
    case_study = UnpublishedCaseStudyFactory(organisations="Brackenford Housing Trust")
    assert moderator_client.get(CHANGELIST, {"q": case_study.reference}).context["cl"].result_count == 1
    assert moderator_client.get(CHANGELIST, {"q": "Brackenford Housing"}).context["cl"].result_count == 1
    assert moderator_client.get(CHANGELIST, {"status__exact": "published"}).context["cl"].result_count == 0
    assert moderator_client.get(CHANGELIST, {"region__id__exact": case_study.region_id}).status_code == 200


def test_request_changes_needs_a_note_and_e_mails_the_edit_link(moderator_client, run_jobs):
    case_study = UnpublishedCaseStudyFactory()
    page = moderator_client.get(decide_url(case_study, "request_changes"))
    assert "are you sure?" in page.content.decode()
    missing = moderator_client.post(decide_url(case_study, "request_changes"), {"confirm": "yes", "note": ""})
    assert "Enter what the submitter needs to change" in missing.content.decode()
    moderator_client.post(
        decide_url(case_study, "request_changes"), {"confirm": "yes", "note": "Add figures."}
    )
    case_study.refresh_from_db()
    assert case_study.status == Status.CHANGES_REQUESTED
    run_jobs()
    (message,) = mail.outbox
    assert message.to == [case_study.submitter_email]
    assert "Add figures." in message.body
    assert "/case-studies/share/change/" in message.body


def test_reject_needs_a_reason_and_e_mails_it(moderator_client, run_jobs):
    case_study = UnpublishedCaseStudyFactory()
    moderator_client.post(decide_url(case_study, "reject"), {"confirm": "yes", "note": "An advert."})
    case_study.refresh_from_db()
    assert case_study.status == Status.REJECTED
    run_jobs()
    assert "An advert." in mail.outbox[0].body


def test_bulk_approve_with_confirmation(moderator_client, run_jobs):
    first, second = UnpublishedCaseStudyFactory(), UnpublishedCaseStudyFactory()
    data = {"action": "publish", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}
    confirm = moderator_client.post(CHANGELIST, data)
    assert confirm.status_code == 200
    assert CaseStudy.objects.published().count() == 0
    levels = {f"evidence_level_{first.pk}": "1", f"evidence_level_{second.pk}": "1"}
    done = moderator_client.post(CHANGELIST, data | {"confirm": "yes"} | levels)
    assert done.status_code == 302
    assert CaseStudy.objects.published().count() == 2
    run_jobs()
    assert len(mail.outbox) == 2


def test_flagged_case_study_needs_an_acknowledgement_recorded_in_history(moderator_client):
    case_study = UnpublishedCaseStudyFactory(results="Mrs Patel moved in; call 07700 900123.")
    page = moderator_client.get(decide_url(case_study, "publish")).content.decode()
    assert "Safeguarding warnings" in page
    level = {f"evidence_level_{case_study.pk}": "1"}
    refused = moderator_client.post(decide_url(case_study, "publish"), {"confirm": "yes"} | level)
    assert "Confirm you have checked the safeguarding warnings" in refused.content.decode()
    assert CaseStudy.objects.get().status == Status.SUBMITTED
    moderator_client.post(decide_url(case_study, "publish"), {"confirm": "yes", "acknowledge": "on"} | level)
    event = ModerationEvent.objects.for_object(case_study).last()
    assert event.to_status == Status.PUBLISHED
    assert any("phone number" in warning for warning in event.acknowledged_warnings)


def test_change_page_shows_warnings_history_and_decisions(moderator_client):
    case_study = UnpublishedCaseStudyFactory(summary="Our client, Darren, <script>x</script>")
    html = moderator_client.get(
        reverse("admin:casestudies_casestudy_change", args=[case_study.pk])
    ).content.decode()
    assert "looks like a person&#x27;s name" in html
    assert "<script>x</script>" not in html
    assert "Timeline" in html
    assert decide_url(case_study, "publish") in html


def test_moderators_can_edit_text_but_not_status(moderator_client):
    case_study = UnpublishedCaseStudyFactory()
    url = reverse("admin:casestudies_casestudy_change", args=[case_study.pk])
    form = moderator_client.get(url).context["adminform"].form
    assert "summary" in form.fields
    assert "status" not in form.fields


def test_staff_without_permission_cannot_publish(otp_client, django_user_model):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user(username="clerk", password="x" * 16, is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_casestudy", "change_casestudy"])
    )
    client = otp_client(clerk)
    case_study = UnpublishedCaseStudyFactory()
    assert client.post(decide_url(case_study, "publish"), {"confirm": "yes"}).status_code == 403
    response = client.post(
        CHANGELIST, {"action": "publish", ACTION_CHECKBOX_NAME: [case_study.pk], "confirm": "yes"}
    )
    assert response.status_code in {200, 302}
    assert CaseStudy.objects.get().status == Status.SUBMITTED


def test_history_cannot_be_changed_in_admin(moderator_client, superuser_client):
    case_study = UnpublishedCaseStudyFactory()
    event = ModerationEvent.objects.create(
        content_type_id=1, object_id=case_study.pk, to_status=Status.SUBMITTED, actor_label="Submitter"
    )
    change = reverse("admin:linkup_moderationevent_change", args=[event.pk])
    delete = reverse("admin:linkup_moderationevent_delete", args=[event.pk])
    assert moderator_client.get(change).status_code == 403
    assert superuser_client.get(change).status_code == 200
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert ModerationEvent.objects.filter(pk=event.pk).exists()


def test_admin_home_shows_the_queue_of_case_studies_and_listings(moderator_client):
    UnpublishedCaseStudyFactory(submitted_at=timezone.now() - datetime.timedelta(days=3))
    for days in (1, 8):
        ListingFactory(status=Status.SUBMITTED, submitted_at=timezone.now() - datetime.timedelta(days=days))
    ListingFactory()  # published
    response = moderator_client.get(reverse("admin:index"))
    html = response.content.decode()
    assert "Moderation queue" in html
    oldest = CaseStudy.objects.get(status=Status.SUBMITTED)
    oldest_url = reverse("admin:casestudies_casestudy_change", args=[oldest.pk])
    assert f'1 awaiting review; oldest: <a href="{oldest_url}">' in html
    assert "2 awaiting review; oldest:" in html
    assert reverse("admin:directory_listing_changelist") + "?queue=waiting" in html
    waiting = moderator_client.get(reverse("admin:directory_listing_changelist"), {"queue": "waiting"})
    assert waiting.context["cl"].result_count == 2


def test_the_decisions_offered_come_from_the_transitions():
    from linkup.moderation import STAFF_DECISIONS, TRANSITIONS
    from linkup.moderation_admin import DECISIONS, ModerationAdminMixin

    assert {decision.status for decision in DECISIONS.values()} == STAFF_DECISIONS
    assert [action.__name__ for action in ModerationAdminMixin.actions] == list(DECISIONS)
    for status, allowed in TRANSITIONS.items():
        offered = {d.status for d in DECISIONS.values() if d.applies_to(CaseStudy(status=status))}
        assert offered == allowed & STAFF_DECISIONS


def test_both_admins_offer_the_same_bulk_decisions(moderator_client):
    for url in (CHANGELIST, reverse("admin:directory_listing_changelist")):
        actions = moderator_client.get(url).context["action_form"].fields["action"].choices
        assert [name for name, _label in actions][1:4] == ["publish", "request_changes", "reject"]
        assert "withdraw" in [name for name, _label in actions]


@pytest.mark.parametrize(
    ("factory", "changelist"),
    [
        (UnpublishedCaseStudyFactory, CHANGELIST),
        (
            lambda: ListingFactory(status=Status.SUBMITTED, published_at=None),
            reverse("admin:directory_listing_changelist"),
        ),
    ],
)
def test_queries_for_the_list_and_the_confirmation_do_not_grow_with_rows(
    moderator_client, factory, changelist
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(objects):
        data = {"action": "publish", ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]}
        with CaptureQueriesContext(connection) as listed:
            assert moderator_client.get(changelist).status_code == 200
        with CaptureQueriesContext(connection) as confirmed:
            assert moderator_client.post(changelist, data).status_code == 200
        return len(listed), len(confirmed)

    objects = [factory() for _ in range(5)]
    few = count(objects)
    objects += [factory() for _ in range(45)]
    many = count(objects)
    assert many[0] <= few[0] and many[1] <= few[1]


def test_dashboard(moderator_client):
    CaseStudyFactory()
    UnpublishedCaseStudyFactory()
    response = moderator_client.get(reverse("admin:casestudies_casestudy_dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 case study awaiting review" in html
    assert "Submissions per month" in html
    assert response.context["published_total"] == 1


def test_dashboard_queries_do_not_grow_with_case_studies(moderator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(reverse("admin:casestudies_casestudy_dashboard")).status_code == 200
        return len(captured)

    for _ in range(5):
        CaseStudyFactory()
        UnpublishedCaseStudyFactory()
    few = queries()
    for _ in range(45):
        CaseStudyFactory()
        UnpublishedCaseStudyFactory()
    assert queries() <= few
