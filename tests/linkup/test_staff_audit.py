"""The audit trail: entries for sign-ins, failures, moderation decisions;
read-only, and only for superusers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from linkup.audit import AuditEvent
from tests.conftest import staff_otp_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="chief", email="", password="correct-horse-battery-staple"
    )


def test_sign_in_and_failed_sign_in_are_recorded_without_secrets(client, moderator):
    client.post(reverse("admin:login"), {"username": "moderator", "password": "not-the-password-9"})
    token = staff_otp_token(moderator)
    response = client.post(
        reverse("admin:login"), {"username": "moderator", "password": moderator.plain_password}
    )
    client.post(response["Location"], {"code": token}, REMOTE_ADDR="127.0.0.1")

    failed = AuditEvent.objects.get(kind="sign_in_failed")
    assert failed.username == "moderator" and failed.user == moderator
    assert failed.ip_address == "127.0.0.1"
    signed_in = AuditEvent.objects.get(kind="signed_in")
    assert signed_in.user == moderator and signed_in.created_at
    everything = " ".join(f"{event.username} {event.detail}" for event in AuditEvent.objects.all())
    for secret in ["not-the-password-9", moderator.plain_password, token]:
        assert secret not in everything


def test_failed_sign_in_for_unknown_account_keeps_the_username(client):
    client.post(reverse("admin:login"), {"username": "ghost", "password": "whatever-it-is"})
    event = AuditEvent.objects.get(kind="sign_in_failed")
    assert event.username == "ghost" and event.user is None


# moderation_decided is sent when the transaction commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moderation_decision_is_recorded_without_the_note(moderator):
    from linkup.moderation import submission_reject
    from tests.casestudies.factories import UnpublishedCaseStudyFactory

    case_study = UnpublishedCaseStudyFactory()
    submission_reject(submission=case_study, moderator=moderator, note="Private reason from the moderator")
    event = AuditEvent.objects.get(kind="moderation_decision")
    assert event.user == moderator
    assert case_study.reference in event.detail and "Rejected" in event.detail
    assert "Private reason" not in event.detail


def test_audit_entries_cannot_be_changed_or_deleted(moderator):
    event = AuditEvent.objects.create(kind="signed_in", user=moderator, username="moderator")
    event.detail = "edited"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()


def test_superuser_reads_the_audit_trail_read_only(otp_client, superuser):
    client = otp_client(superuser)
    event = AuditEvent.objects.create(kind="signed_in", user=superuser, username="chief")
    response = client.get(reverse("admin:linkup_auditevent_changelist"))
    assert response.status_code == 200
    assert "Signed in" in response.content.decode()
    detail = client.get(reverse("admin:linkup_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:linkup_auditevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:linkup_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_other_staff_cannot_see_the_audit_trail(otp_client, moderator):
    client = otp_client(moderator)
    assert client.get(reverse("admin:linkup_auditevent_changelist")).status_code == 403
    assert "auditevent" not in client.get(reverse("admin:index")).content.decode()
