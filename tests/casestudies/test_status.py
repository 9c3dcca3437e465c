"""Checking a submission without an account, and the e-mailed edit link."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from casestudies.models import CaseStudy
from casestudies.notifications import EDIT_PURPOSE
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


def test_received(client):
    case_study = UnpublishedCaseStudyFactory()
    html = look_up(client, case_study).content.decode()
    assert "Received" in html
    assert case_study.title in html


def test_changes_requested_shows_note_and_edit_link(client, moderator):
    case_study = UnpublishedCaseStudyFactory()
    submission_request_changes(
        submission=case_study, moderator=moderator, note="Remove the <b>street</b> name."
    )
    html = look_up(client, case_study).content.decode()
    assert "Changes requested" in html
    assert "Remove the &lt;b&gt;street&lt;/b&gt; name." in html
    assert "/case-studies/share/change/" in html


def test_rejected_shows_reason(client, moderator):
    case_study = UnpublishedCaseStudyFactory()
    submission_reject(submission=case_study, moderator=moderator, note="It is an advert.")
    html = look_up(client, case_study).content.decode()
    assert "Not published" in html and "It is an advert." in html


def test_wrong_pairs_get_one_generic_message(client):
    case_study = UnpublishedCaseStudyFactory()
    wrong_email = look_up(client, case_study, email="someone.else@example.test").content.decode()
    wrong_reference = client.post(
        reverse("casestudies:status"), {"reference": "AAAA-BBBB", "email": case_study.submitter_email}
    ).content.decode()
    message = "We could not find an example with that reference number and e-mail address"
    assert message in wrong_email and message in wrong_reference
    assert case_study.title not in wrong_email


def test_status_look_ups_are_rate_limited(client, settings):
    settings.CASE_STUDY_STATUS_LIMIT_PER_15_MINUTES = 2
    for _ in range(2):
        assert (
            client.post(reverse("casestudies:status"), {"reference": "x", "email": "a@b.test"}).status_code
            == 200
        )
    assert (
        client.post(reverse("casestudies:status"), {"reference": "x", "email": "a@b.test"}).status_code == 429
    )


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
    }
    return data | changes


def test_edit_link_resubmits_once(client, moderator, django_capture_on_commit_callbacks):
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
    html = look_up(client, case_study).content.decode()
    assert "In review" in html


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
