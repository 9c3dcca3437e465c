"""Records and signed-in clients for the security tests."""

import pytest
from django.test import Client

from alerts.services import CONFIRM_PURPOSE as ALERT_CONFIRM_PURPOSE
from alerts.services import MANAGE_PURPOSE as ALERT_MANAGE_PURPOSE
from alerts.services import UNSUBSCRIBE_PURPOSE as ALERT_UNSUBSCRIBE_PURPOSE
from casestudies.notifications import EDIT_PURPOSE
from casestudies.review import REVIEW_PURPOSE
from directory.services import (
    CONFIRM_PURPOSE,
    CONTACT_CONFIRM_PURPOSE,
    CONTACT_REPORT_PURPOSE,
    MANAGE_PURPOSE,
)
from feedback.models import Feedback, Problem
from linkup.audit import AuditEvent, audit_record
from linkup.moderation import Status, moderation_record_submission
from linkup.notifications import email_send
from linkup.tokens import make_token
from tests.alerts.factories import SubscriptionFactory, topic_for
from tests.casestudies.factories import CaseStudyFactory
from tests.directory.factories import CaseStudyQuestionFactory, ContactRequestFactory, ListingFactory


@pytest.fixture
def fixtures(django_user_model, moderator, otp_client):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from toolkit.models import Page

    superuser = django_user_model.objects.create_superuser(
        "root", "root@linkup.test", "a-long-enough-password"
    )
    case_study = CaseStudyFactory(title="Published example for the matrix")
    hidden = CaseStudyFactory(
        title="Waiting example for the matrix", status=Status.SUBMITTED, published_at=None
    )
    changes = CaseStudyFactory(
        title="Changes requested example", status=Status.CHANGES_REQUESTED, published_at=None
    )
    listing = ListingFactory(show_contact=True)
    private_listing = ListingFactory()
    hidden_listing = ListingFactory(status=Status.SUBMITTED)
    contact_request = ContactRequestFactory(listing=private_listing)
    askable = CaseStudyFactory(title="Example open to questions", contact_through_portal=True)
    hidden_askable = CaseStudyFactory(
        title="Waiting example open to questions",
        status=Status.SUBMITTED,
        published_at=None,
        contact_through_portal=True,
    )
    question = CaseStudyQuestionFactory(case_study=askable)
    alert = SubscriptionFactory(topic=topic_for("region=east-midlands"))
    unconfirmed_alert = SubscriptionFactory(confirmed_at=None, token_version=0)
    report = Feedback.objects.create(
        path=listing.get_absolute_url(), listing=listing, problem=Problem.WRONG, email="reporter@example.test"
    )
    moderation_record_submission(obj=hidden)
    StaticDevice.objects.create(user=moderator, name="Backup codes")
    audit_record(kind=AuditEvent.Kind.SIGN_IN_FAILED, username="someone")
    audit_record(kind=AuditEvent.Kind.PERSONAL_DATA_EXPORTED, user=superuser, detail="3 records exported")
    AccessAttempt.objects.create(username="someone", ip_address="192.0.2.1", failures_since_start=1)
    AccessLog.objects.create(username="someone", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="someone", ip_address="192.0.2.1")
    email_send(
        template="directory/email/manage_link.txt",
        to=private_listing.email,
        context={"listing": private_listing, "link": "https://example.test/", "hours": 72},
        log_as=f"manage-link {private_listing.pk}",
    )
    clients = {
        "anonymous": Client(),
        "submitter": Client(),
        "moderator": otp_client(moderator),
        "superuser": otp_client(superuser),
    }
    tokens = {
        "casestudy_edit": make_token(changes, EDIT_PURPOSE),
        "casestudy_review": make_token(case_study, REVIEW_PURPOSE),
        "listing_manage": make_token(private_listing, MANAGE_PURPOSE),
        "listing_confirm": make_token(private_listing, CONFIRM_PURPOSE),
        "contact_confirm": make_token(contact_request, CONTACT_CONFIRM_PURPOSE),
        "contact_report": make_token(contact_request, CONTACT_REPORT_PURPOSE),
        "question_confirm": make_token(question, CONTACT_CONFIRM_PURPOSE),
        "alert_confirm": make_token(unconfirmed_alert, ALERT_CONFIRM_PURPOSE),
        "alert_manage": make_token(alert, ALERT_MANAGE_PURPOSE),
        "alert_unsubscribe": make_token(alert, ALERT_UNSUBSCRIBE_PURPOSE),
    }
    return {
        "clients": clients,
        "case_study": case_study,
        "hidden_case_study": hidden,
        "listing": listing,
        "private_listing": private_listing,
        "hidden_listing": hidden_listing,
        "report": report,
        "askable_case_study": askable,
        "hidden_askable_case_study": hidden_askable,
        "toolkit_page": Page.objects.published().select_related("section").first(),
        "device": TOTPDevice.objects.filter(user=superuser).first(),
        "superuser": superuser,
        "moderator": moderator,
        "tokens": tokens,
    }
