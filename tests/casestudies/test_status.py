"""Checking a submission without an account, and the e-mailed edit link."""

import datetime
import re
import time
from email.utils import parsedate_to_datetime

import pytest
from django.conf import settings
from django.core import mail, signing
from django.urls import reverse

from casestudies.models import CaseStudy
from casestudies.notifications import EDIT_PURPOSE
from linkup.models import QueuedEmail
from linkup.moderation import Status, submission_reject, submission_request_changes
from linkup.tokens import make_token
from tests.casestudies.factories import UnpublishedCaseStudyFactory

pytestmark = pytest.mark.django_db


def look_up(client, case_study, email=None):
    return client.post(
        reverse("casestudies:status"),
        {
            "reference": case_study.reference.lower().replace("-", " "),
            "email": email or case_study.submitter_email,
        },
    )


def status_email(client, run_jobs, case_study):
    """Look the example up; the one e-mail that sends, to the submitter."""
    run_jobs()  # what earlier steps queued
    mail.outbox.clear()
    response = look_up(client, case_study)
    assert response.status_code == 302 and response.url == reverse("casestudies:status_sent")
    run_jobs()
    (message,) = mail.outbox
    assert message.to == [case_study.submitter_email]
    return message


def test_received(client, run_jobs):
    case_study = UnpublishedCaseStudyFactory()
    message = status_email(client, run_jobs, case_study)
    assert "Status: Received" in message.body and case_study.title in message.body
    assert case_study.reference in message.subject


def test_changes_requested_e_mails_the_note_and_edit_link_and_never_shows_them(client, moderator, run_jobs):
    case_study = UnpublishedCaseStudyFactory()
    submission_request_changes(
        submission=case_study, moderator=moderator, note="Remove the <b>street</b> name."
    )
    response = look_up(client, case_study)
    page = client.get(response.url).content.decode()
    assert "We have sent you an e-mail" in page
    for secret in ("Remove the", "street", "/case-studies/share/change/", case_study.title):
        assert secret not in page
    message = status_email(client, run_jobs, case_study)
    assert "Changes requested" in message.body
    assert "Remove the <b>street</b> name." in message.body
    edit_link = re.search(r"https?://\S+/case-studies/share/change/\S+/", message.body).group()
    assert edit_link.startswith(settings.SITE_URL)
    # The link works: it opens the example to change.
    assert client.get(edit_link.removeprefix(settings.SITE_URL)).status_code == 200


def test_rejected_e_mails_the_reason(client, moderator, run_jobs):
    case_study = UnpublishedCaseStudyFactory()
    submission_reject(submission=case_study, moderator=moderator, note="It is an advert.")
    message = status_email(client, run_jobs, case_study)
    assert "Not published" in message.body and "It is an advert." in message.body
    assert "/case-studies/share/change/" not in message.body


def test_a_match_and_no_match_get_exactly_the_same_response(client, moderator, run_jobs):
    """The form cannot tell anyone whether an example exists."""
    case_study = UnpublishedCaseStudyFactory()
    submission_request_changes(submission=case_study, moderator=moderator, note="More detail.")
    status_url = reverse("casestudies:status")
    answers = {
        "match": {"reference": case_study.reference, "email": case_study.submitter_email},
        "wrong e-mail": {"reference": case_study.reference, "email": "someone.else@example.test"},
        "wrong reference": {"reference": "AAAA-BBBB", "email": case_study.submitter_email},
    }
    responses = {}
    run_jobs()  # the e-mail about the moderator's decision
    mail.outbox.clear()
    expires = []
    for label, data in answers.items():
        queued = QueuedEmail.objects.count()
        response = client.post(status_url, data)
        followed = client.get(response.url)
        # Expires follows the clock, not the answer: compared apart, below.
        for each in (response, followed):
            if "Expires" in each.headers:
                expires.append(parsedate_to_datetime(each.headers["Expires"]))
                del each.headers["Expires"]
        responses[label] = (
            response.status_code,
            sorted(response.headers.items()),
            response.content,
            followed.status_code,
            sorted(followed.headers.items()),
            followed.content,
        )
        assert QueuedEmail.objects.count() - queued == (1 if label == "match" else 0), label
    assert responses["match"] == responses["wrong e-mail"] == responses["wrong reference"]
    # Each answer's pages carry the same Expires headers, set moments apart.
    assert len(expires) % 3 == 0
    if expires:
        assert max(expires) - min(expires) <= datetime.timedelta(seconds=5)
    run_jobs()
    (message,) = mail.outbox
    assert message.to == [case_study.submitter_email]
    assert b"We have sent you an e-mail" in responses["match"][5]


def test_status_look_ups_are_rate_limited(client, settings):
    settings.CASE_STUDY_STATUS_LIMIT_PER_15_MINUTES = 2
    for _ in range(2):
        assert (
            client.post(reverse("casestudies:status"), {"reference": "x", "email": "a@b.test"}).status_code
            == 302
        )
    assert (
        client.post(reverse("casestudies:status"), {"reference": "x", "email": "a@b.test"}).status_code == 429
    )


def test_status_e_mails_to_one_address_are_limited_without_saying_so(client, settings, run_jobs):
    settings.CASE_STUDY_STATUS_EMAIL_LIMIT_PER_HOUR = 2
    case_study = UnpublishedCaseStudyFactory()
    answers = []
    # From three client addresses, so the limit per client is not what stops the third.
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        response = client.post(
            reverse("casestudies:status"),
            {"reference": case_study.reference, "email": case_study.submitter_email.upper()},
            REMOTE_ADDR=address,
        )
        answers.append((response.status_code, response.url))
    run_jobs()
    assert len(mail.outbox) == 2
    assert len(set(answers)) == 1


def test_null_bytes_in_the_look_up_are_an_error_not_a_crash(client):
    response = client.post(reverse("casestudies:status"), {"reference": "AB\x00", "email": "a\x00@b.test"})
    assert response.status_code == 200
    assert "Remove the hidden control characters" in response.content.decode()


def edit_answers(case_study, **changes):
    data = {
        "region": case_study.region.pk,
        "client_groups": [g.pk for g in case_study.client_groups.all()],
        "organisations": case_study.organisations,
        "example_title": case_study.title,
        "summary": case_study.summary,
        "challenge": case_study.challenge,
        "approach": case_study.approach,
        "results": case_study.results,
        "lessons": case_study.lessons,
        "costs": "",
        "figure-TOTAL_FORMS": "0",
        "figure-INITIAL_FORMS": "0",
    }
    return data | changes


def test_edit_link_resubmits_once(client, moderator, django_capture_on_commit_callbacks, run_jobs):
    case_study = UnpublishedCaseStudyFactory()
    submission_request_changes(submission=case_study, moderator=moderator, note="Say how many people.")
    url = reverse("casestudies:edit", args=[make_token(case_study, EDIT_PURPOSE)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Say how many people." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, edit_answers(case_study, results="Twelve people moved in."))
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED
    assert case_study.results == "Twelve people moved in."
    assert client.get(response.url).status_code == 200
    # Used once: the same link now explains itself.
    again = client.get(url)
    assert again.status_code == 410
    assert "This link has stopped working" in again.content.decode()
    assert "Status: In review" in status_email(client, run_jobs, case_study).body


def test_edit_form_errors_are_shown(client, moderator):
    case_study = UnpublishedCaseStudyFactory()
    submission_request_changes(submission=case_study, moderator=moderator, note="More detail.")
    url = reverse("casestudies:edit", args=[make_token(case_study, EDIT_PURPOSE)])
    response = client.post(url, edit_answers(case_study, summary=""))
    assert response.status_code == 200
    assert "Enter a summary" in response.content.decode()


def test_tampered_and_expired_links_get_a_clear_page(client, moderator, monkeypatch):
    case_study = UnpublishedCaseStudyFactory()
    submission_request_changes(submission=case_study, moderator=moderator, note="More detail.")
    token = make_token(case_study, EDIT_PURPOSE)
    tampered = client.get(reverse("casestudies:edit", args=[token[:-2] + "xx"]))
    assert tampered.status_code == 410
    monkeypatch.setattr(signing, "loads", _expired)
    expired = client.get(reverse("casestudies:edit", args=[token]))
    assert expired.status_code == 410
    assert "This link has stopped working" in expired.content.decode()


def _expired(*args, **kwargs):
    raise signing.SignatureExpired("expired")


def test_the_edit_link_lasts_as_long_as_the_setting_says(client, moderator, settings, run_jobs):
    from unittest import mock

    from django.core import mail

    settings.CASE_STUDY_EDIT_LINK_DAYS = 2
    case_study = UnpublishedCaseStudyFactory()
    submission_request_changes(submission=case_study, moderator=moderator, note="More detail.")
    run_jobs()
    assert "stops working after 2 days" in mail.outbox[-1].body
    url = reverse("casestudies:edit", args=[make_token(case_study, EDIT_PURPOSE)])
    now = time.time()
    with mock.patch("django.core.signing.time.time", return_value=now + 1.9 * 86400):
        assert client.get(url).status_code == 200
    with mock.patch("django.core.signing.time.time", return_value=now + 2.1 * 86400):
        expired = client.get(url)
    assert expired.status_code == 410
    assert "work once, for 2 days" in expired.content.decode()


def test_edit_link_when_no_changes_are_wanted(client):
    case_study = UnpublishedCaseStudyFactory()
    response = client.get(reverse("casestudies:edit", args=[make_token(case_study, EDIT_PURPOSE)]))
    assert response.status_code == 409
    assert CaseStudy.objects.get().status == Status.SUBMITTED
