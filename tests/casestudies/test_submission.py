"""The public "Share an example" form: steps, errors, check answers, saving
once, e-mails after the commit, spam and rate limits."""

import logging
import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse

from casestudies.models import CaseStudy
from linkup.moderation import ModerationEvent, Status
from tests.casestudies.submission_helpers import fill_in, send, valid_answers

pytestmark = pytest.mark.django_db


def test_start_page_explains_and_links_to_the_first_step(client):
    response = client.get(reverse("casestudies:submit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Share an example of joint working" in html
    assert reverse("casestudies:submit_step", args=["about-you"]) in html
    assert "could identify a person" in html


def test_every_step_page_has_novalidate_and_a_character_count(client):
    for step in ["about-you", "where-and-who", "what-you-did", "results-and-lessons", "permission"]:
        response = client.get(reverse("casestudies:submit_step", args=[step]))
        assert response.status_code == 200
        assert "novalidate" in response.content.decode()
    html = client.get(reverse("casestudies:submit_step", args=["what-you-did"])).content.decode()
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxlength="5000"' in html
    # GOV.UK Frontend's script finds the box by this class, in every limited textarea.
    textareas = re.findall(r"<textarea[^>]*>", html)
    assert textareas and all("govuk-js-character-count" in tag for tag in textareas)


def test_about_you_page_has_the_data_protection_statement(client):
    html = client.get(reverse("casestudies:submit_step", args=["about-you"])).content.decode()
    assert "What we do with your details" in html


def test_unknown_step_is_not_found(client):
    assert client.get("/case-studies/share/nonsense/").status_code == 404


def test_errors_use_govuk_wording_and_other_answers_are_kept(client):
    data = dict(valid_answers()["about-you"], submitter_name="", submitter_email="not-an-address")
    response = client.post(reverse("casestudies:submit_step", args=["about-you"]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_submitter_name">Enter your full name</a>' in html
    assert "Enter an e-mail address in the correct format, like name@example.gov.uk" in html
    assert 'value="Brackenford Council"' in html
    assert "<title>Error:" in html


def test_consent_is_required(client):
    response = client.post(reverse("casestudies:submit_step", args=["permission"]), {})
    assert "Confirm that you have permission to share this example" in response.content.decode()


def test_end_date_before_start_date_is_refused(client):
    data = dict(
        valid_answers()["what-you-did"], period_end_day="1", period_end_month="1", period_end_year="2009"
    )
    response = client.post(reverse("casestudies:submit_step", args=["what-you-did"]), data)
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_too_long_answer_gets_a_clear_message(client):
    data = dict(valid_answers()["what-you-did"], summary="x" * 601)
    response = client.post(reverse("casestudies:submit_step", args=["what-you-did"]), data)
    assert "Summary must be 600 characters or fewer" in response.content.decode()


def test_region_and_client_group_can_be_prefilled(client):
    client.get(reverse("casestudies:submit") + "?region=london&client_group=care-leavers")
    html = client.get(reverse("casestudies:submit_step", args=["where-and-who"])).content.decode()
    assert html.count("checked") == 2


def test_bad_prefill_values_are_ignored(client):
    response = client.get(reverse("casestudies:submit") + "?region=%00bad&client_group=" + "x" * 500)
    assert response.status_code == 200


def test_check_answers_lists_every_answer_with_change_links(client):
    response = fill_in(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check your answers before sending your example" in html
    assert "Sam Adviser" in html
    assert "1 April 2009" in html
    assert (
        'href="/case-studies/share/about-you/?return=check&amp;answer=submitter_name#id_submitter_name"'
        in html
    )
    assert 'id="answer-submitter_name"' in html
    assert "Accept and send" in html


def test_check_answers_sends_you_back_to_a_missing_step(client):
    client.post(reverse("casestudies:submit_step", args=["about-you"]), valid_answers()["about-you"])
    response = client.get(reverse("casestudies:submit_check"))
    assert response.status_code == 302
    assert response.url == reverse("casestudies:submit_step", args=["where-and-who"])


def test_change_link_returns_to_check_answers(client):
    fill_in(client)
    data = dict(valid_answers()["about-you"], submitter_name="Sam Changed")
    response = client.post(reverse("casestudies:submit_step", args=["about-you"]) + "?return=check", data)
    assert response.url == reverse("casestudies:submit_check")
    assert "Sam Changed" in client.get(response.url).content.decode()


def test_returning_from_a_change_lands_on_the_changed_answer(client):
    fill_in(client)
    step_url = reverse("casestudies:submit_step", args=["what-you-did"]) + "?return=check&answer=summary"
    page = client.get(step_url).content.decode()
    assert f'href="{reverse("casestudies:submit_check")}#answer-summary"' in page  # the back link
    data = dict(valid_answers()["what-you-did"], summary="A changed summary.")
    response = client.post(step_url, data)
    assert response.url == reverse("casestudies:submit_check") + "#answer-summary"
    check = client.get(reverse("casestudies:submit_check")).content.decode()
    assert 'id="answer-summary"' in check


@pytest.mark.parametrize("answer", ["submitter_name", "nothing", "x#y", "https://example.com/"])
def test_only_an_answer_of_the_step_names_the_row_to_return_to(client, answer):
    fill_in(client)
    url = (
        reverse("casestudies:submit_step", args=["what-you-did"])
        + "?"
        + urlencode({"return": "check", "answer": answer})
    )
    response = client.post(url, valid_answers()["what-you-did"])
    assert response.url == reverse("casestudies:submit_check")


def test_share_step_one_asks_for_contact_details_the_browser_can_fill_in(client):
    html = client.get(reverse("casestudies:submit_step", args=["about-you"])).content.decode()
    for name, token in [
        ("submitter_name", "name"),
        ("submitter_job_title", "organization-title"),
        ("submitter_organisation", "organization"),
        ("submitter_email", "email"),
        ("submitter_phone", "tel"),
    ]:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert f'autocomplete="{token}"' in tag
    assert 'type="tel"' in re.search(r'<input[^>]*name="submitter_phone"[^>]*>', html).group(0)


@pytest.mark.parametrize(
    ("phone", "valid"), [("call me maybe", False), ("0800 ABC", False), ("01632 960 001", True)]
)
def test_share_step_one_takes_a_phone_number_by_the_directory_rule(client, phone, valid):
    data = dict(valid_answers()["about-you"], submitter_phone=phone)
    response = client.post(reverse("casestudies:submit_step", args=["about-you"]), data)
    if valid:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "Enter a phone number, like 01632 960 001" in response.content.decode()


def test_sending_saves_once_and_queues_its_e_mails_with_it(client, run_jobs, settings):
    check = fill_in(client)
    response = send(client, check)
    assert response.status_code == 302
    case_study = CaseStudy.objects.get()
    assert case_study.status == Status.SUBMITTED
    assert case_study.submitted_at is not None
    assert case_study.title == "Joint housing panel gets care leavers into their own homes"
    assert case_study.slug.endswith(case_study.reference.lower())
    assert case_study.consent_to_publish is True
    assert case_study.client_groups.count() == 1
    assert [e.to_status for e in ModerationEvent.objects.for_object(case_study)] == [Status.SUBMITTED]
    assert mail.outbox == []  # queued with the example, sent by the worker
    assert len(run_jobs()) == 2
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(["sam.adviser@example.test", settings.TASKFORCE_EMAIL])
    assert all(case_study.reference in message.subject for message in mail.outbox)
    confirmation = client.get(response.url)
    assert case_study.reference in confirmation.content.decode()
    assert "What happens next" in confirmation.content.decode()


def test_double_submit_creates_one_submission(client):
    check = fill_in(client)
    first = send(client, check)
    second = send(client, check)
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("casestudies:submit_sent")
    assert CaseStudy.objects.count() == 1


def test_service_returns_the_same_submission_for_the_same_key():
    from casestudies.services import case_study_submit
    from linkup.models import Region

    data = {"title": "T", "summary": "S", "region": Region.objects.first(), "organisations": "O"}
    data |= {"challenge": "c", "approach": "a", "results": "r", "lessons": "l"}
    first = case_study_submit(data=data, submission_key="k1")
    again = case_study_submit(data=data, submission_key="k1")
    assert first.pk == again.pk
    assert CaseStudy.objects.count() == 1


def test_mail_failure_keeps_the_submission_and_logs_without_personal_data(
    client, run_jobs, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down for sam.adviser@example.test")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    check = fill_in(client)
    with caplog.at_level(logging.ERROR):
        response = send(client, check)
        jobs = run_jobs()
    assert response.status_code == 302
    assert CaseStudy.objects.count() == 1
    assert client.get(response.url).status_code == 200
    assert [job.status for job in jobs] == ["todo", "todo"]  # to be tried again
    assert "Could not send" in caplog.text
    assert "sam.adviser" not in caplog.text
    assert "Sam Adviser" not in caplog.text


def test_honeypot_is_accepted_quietly_and_not_saved(client):
    answers = valid_answers()
    answers["about-you"]["website"] = "http://spam.example"
    check = fill_in(client, answers)
    response = send(client, check)
    assert response.url == reverse("casestudies:submit_sent")
    assert CaseStudy.objects.count() == 0
    assert client.get(response.url).status_code == 200


def test_rate_limit_gives_a_polite_page(client, settings):
    settings.CASE_STUDY_SUBMIT_LIMIT_PER_HOUR = 1
    send(client, fill_in(client))
    response = send(client, fill_in(client))
    assert response.status_code == 429
    assert "Sorry, you have made too many requests" in response.content.decode()
    assert CaseStudy.objects.count() == 1


def test_confirmation_page_without_a_submission_goes_to_the_start(client):
    response = client.get(reverse("casestudies:submit_sent"))
    assert response.url == reverse("casestudies:submit")


def test_a_stale_key_does_not_save(client):
    fill_in(client)
    response = client.post(reverse("casestudies:submit_check"), {"submission_key": "made-up"})
    assert response.status_code == 200
    assert CaseStudy.objects.count() == 0
