""" "Ask about this example": the directory's relay with a case study as its
target. The question reaches the person who shared the example only after
the sender confirms their address; their address is never shown."""

import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from directory.models import ContactRequest
from linkup.moderation import Status
from linkup.personal_data import personal_data_erase, personal_data_find
from linkup.retention import REMOVED, retention_apply
from tests.casestudies.factories import CaseStudyFactory
from tests.casestudies.submission_helpers import fill_in, send, valid_answers
from tests.directory.factories import CaseStudyQuestionFactory, ContactRequestFactory, ListingFactory
from tests.hostile import HOSTILE, IDENTIFYING

pytestmark = pytest.mark.django_db

ASK = {
    "sender_name": "Sam Sender",
    "sender_job_title": "Work coach",
    "sender_organisation": "Jobcentre Plus",
    "sender_email": "sam@example.gov.test",
    "message": "How did you fund the housing link worker?",
}
SUBMITTER = "priya.private@example.nhs.test"
LINK = re.compile(r"https?://\S+")


def askable(**fields):
    defaults = {
        "title": "Derby homes first",
        "contact_through_portal": True,
        "submitter_name": "Priya Private",
        "submitter_email": SUBMITTER,
        "submitter_phone": "01632 960123",
    }
    return CaseStudyFactory(**{**defaults, **fields})


def ask_url(study):
    return reverse("casestudies:ask", args=[study.slug])


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def link_in(message, part):
    return path_of(next(url for url in LINK.findall(message.body) if part in url))


def assert_private(text):
    for private in (SUBMITTER, "Priya Private", "01632 960123"):
        assert private not in text


def ask_and_confirm_link(client, run_jobs, study, data=ASK):
    response = client.post(ask_url(study), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_jobs()
    (confirm,) = mail.outbox
    mail.outbox.clear()
    return response, confirm, link_in(confirm, "/ask/confirm/")


def test_the_page_offers_it_only_where_the_sender_agreed_and_hid_their_address(client):
    offered = askable()
    html = client.get(offered.get_absolute_url()).content.decode()
    assert "Ask about this example" in html and ask_url(offered) in html
    assert_private(html)
    not_agreed = askable(contact_through_portal=False, slug="not-agreed")
    shown = askable(show_contact=True, slug="shown")
    erased = askable(submitter_email="", slug="erased")
    for study in (not_agreed, shown, erased):
        html = client.get(study.get_absolute_url()).content.decode()
        assert ask_url(study) not in html and "Ask about this example" not in html
        # The form itself sends them back to the example.
        response = client.get(ask_url(study))
        assert response.status_code == 302 and response.url == study.get_absolute_url()
    # The address shown is the route when they agreed to show it.
    assert SUBMITTER in client.get(shown.get_absolute_url()).content.decode()
    assert set(CaseStudy.objects.open_to_questions()) == {offered}
    assert [s.open_to_questions for s in (offered, not_agreed, shown, erased)] == [True, False, False, False]


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN]
)
def test_unpublished_examples_never_offer_it(client, status):
    study = askable(status=status, published_at=None)
    assert not study.open_to_questions
    assert client.get(ask_url(study)).status_code == 404
    assert client.post(ask_url(study), ASK).status_code == 404
    assert not ContactRequest.objects.exists()


def test_the_form_has_gov_uk_errors_and_keeps_the_answers(client, run_jobs):
    study = askable()
    page = client.get(ask_url(study)).content.decode()
    assert "Ask about this example" in page and "Derby homes first" in page
    assert "Why do you want to connect?" not in page  # a question needs no reason
    assert_private(page)
    html = client.post(
        ask_url(study), {**ASK, "sender_name": "", "message": "", "sender_email": "nope"}
    ).content
    html = html.decode()
    assert "There is a problem" in html
    for message in (
        "Enter your name",
        "Enter your question",
        "Enter an e-mail address in the correct format",
    ):
        assert message in html
    assert "Jobcentre Plus" in html  # kept
    assert not run_jobs() and not mail.outbox and not ContactRequest.objects.exists()


def test_the_whole_journey_relays_the_question_once_to_the_person_who_shared_it(client, settings, run_jobs):
    study = askable()
    response, confirm, confirm_path = ask_and_confirm_link(client, run_jobs, study)
    sent_page = client.get(response.url).content.decode()
    assert "Check your e-mail to send your question" in sent_page
    assert confirm.to == ["sam@example.gov.test"]
    assert "How did you fund" not in confirm.body  # nothing the sender typed
    assert_private(confirm.subject + confirm.body + sent_page)
    request = ContactRequest.objects.get()
    assert request.case_study == study and request.listing is None and request.confirmed_at is None

    # Opening the link changes nothing.
    page = client.get(confirm_path)
    assert page.status_code == 200 and "Send your question about this example" in page.content.decode()
    assert_private(page.content.decode())
    assert not run_jobs() and not mail.outbox

    done = client.post(confirm_path).content.decode()
    assert "Question sent" in done
    assert_private(done)
    assert [job.status for job in run_jobs()] == ["succeeded", "succeeded"]
    relay, copy = mail.outbox
    assert relay.to == [SUBMITTER] and relay.reply_to == ["sam@example.gov.test"]
    assert "How did you fund the housing link worker?" in relay.body and "Derby homes first" in relay.body
    assert settings.SITE_URL + study.get_absolute_url() in relay.body
    assert "/directory/report/" in relay.body
    assert copy.to == ["sam@example.gov.test"] and "How did you fund" in copy.body
    assert_private(copy.subject + copy.body)
    request.refresh_from_db()
    assert request.emailed_at is not None

    mail.outbox.clear()
    again = client.post(confirm_path).content.decode()
    assert "Your question has already been sent" in again
    assert not run_jobs() and not mail.outbox

    # The report link works as the directory's does, and tells the taskforce.
    report_path = link_in(relay, "/directory/report/")
    form = client.get(report_path).content.decode()
    assert "question about your example ‘Derby homes first’" in form
    assert "Report sent" in client.post(report_path, {"reason": "spam"}).content.decode()
    run_jobs()
    (notice,) = mail.outbox
    assert notice.to == [settings.TASKFORCE_EMAIL] and study.reference in notice.body
    assert reverse("admin:directory_contactrequest_change", args=[request.pk]) in notice.body
    assert SUBMITTER not in notice.body
    request.refresh_from_db()
    assert request.reported_at is not None


def test_a_confirm_link_works_only_for_its_example_and_while_it_takes_questions(client, run_jobs):
    study, other = askable(), askable(slug="another-example")
    _, _, confirm_path = ask_and_confirm_link(client, run_jobs, study)
    moved = confirm_path.replace(study.slug, other.slug)
    assert client.post(moved).status_code == 404
    expired = client.post(confirm_path[:-4] + "xyz/")
    assert expired.status_code == 404 and "Ask your question again" in expired.content.decode()
    # The sender of the example changes their mind before the link is used.
    CaseStudy.objects.filter(pk=study.pk).update(contact_through_portal=False)
    response = client.post(confirm_path)
    assert response.status_code == 404 and "This link has expired" in response.content.decode()
    assert not run_jobs() and not mail.outbox
    assert ContactRequest.objects.get().confirmed_at is None


def test_a_directory_confirm_link_is_not_a_case_study_one(client, run_jobs):
    listing = ListingFactory()
    client.post(reverse("directory:connect", args=[listing.reference]), {**ASK, "reason": "case"})
    run_jobs()
    (confirm,) = mail.outbox
    token = link_in(confirm, "/connect/confirm/").rstrip("/").rsplit("/", 1)[1]
    study = askable()
    assert client.post(reverse("casestudies:ask_confirm", args=[study.slug, token])).status_code == 404


def test_the_relay_limits_are_shared_with_the_directory(client):
    study = askable()
    listing = ListingFactory()
    with override_settings(DIRECTORY_CONTACT_LIMIT_PER_HOUR=2):
        assert (
            client.post(
                reverse("directory:connect", args=[listing.reference]), {**ASK, "reason": "case"}
            ).status_code
            == 302
        )
        assert client.post(ask_url(study), ASK).status_code == 302
        assert client.post(ask_url(study), ASK).status_code == 429
        other = {**ASK, "sender_email": "other@example.gov.test"}
        assert client.post(ask_url(study), other).status_code == 429  # the same client address
        assert client.post(ask_url(study), ASK, REMOTE_ADDR="10.0.0.9").status_code == 429  # the same sender
    assert ContactRequest.objects.count() == 2


def test_the_honeypot_accepts_quietly_and_sends_nothing(client, run_jobs):
    study = askable()
    response = client.post(ask_url(study), {**ASK, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not ContactRequest.objects.exists() and not run_jobs() and not mail.outbox


@pytest.mark.parametrize("label", sorted(IDENTIFYING))
def test_the_safeguarding_check_refuses_clear_identifiers(client, run_jobs, label):
    study = askable()
    html = client.post(ask_url(study), {**ASK, "message": IDENTIFYING[label]}).content.decode()
    assert "There is a problem" in html and "Remove what looks like" in html, label
    assert 'href="#id_message"' in html
    assert not ContactRequest.objects.exists() and not run_jobs() and not mail.outbox


@pytest.mark.parametrize("label", sorted(HOSTILE))
def test_hostile_answers_never_500_and_are_never_markup(client, label):
    study = askable()
    value = HOSTILE[label]
    response = client.post(ask_url(study), {**ASK, "sender_name": value, "message": value})
    assert response.status_code in {200, 302}, label
    assert "<script>alert" not in response.content.decode()


def test_a_message_must_have_exactly_one_target():
    study = askable()
    listing = ListingFactory()
    for targets in ({"listing": listing, "case_study": study}, {"listing": None, "case_study": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseStudyQuestionFactory(**targets)


def test_staff_see_questions_about_case_studies_in_admin(staff_client):
    question = CaseStudyQuestionFactory(case_study=askable())
    url = reverse("admin:directory_contactrequest_changelist")
    html = staff_client.get(url, {"q": question.case_study.reference}).content.decode()
    assert f"Case study {question.case_study.reference}: Derby homes first" in html
    ContactRequestFactory(listing=ListingFactory(full_name="Listed Person"))
    only_questions = staff_client.get(url, {"sent_to": "case_study"}).content.decode()
    assert "Derby homes first" in only_questions and "Listed Person" not in only_questions
    only_listings = staff_client.get(url, {"sent_to": "listing"}).content.decode()
    assert "Listed Person" in only_listings and "Derby homes first" not in only_listings
    assert (
        staff_client.get(reverse("admin:directory_contactrequest_change", args=[question.pk])).status_code
        == 200
    )


def test_the_consent_step_asks_and_check_your_answers_shows_it(client):
    answers = valid_answers()
    answers["permission"]["contact_through_portal"] = "on"
    check = fill_in(client, answers)
    html = check.content.decode()
    assert "People can ask me about this example through the portal" in html
    assert 'id="answer-contact_through_portal"' in html
    send(client, check)
    assert CaseStudy.objects.get().contact_through_portal is True


def test_without_the_tick_it_is_not_offered(client):
    check = fill_in(client)
    send(client, check)
    study = CaseStudy.objects.get()
    assert study.contact_through_portal is False
    study.status, study.published_at = Status.PUBLISHED, timezone.now()
    study.save()
    assert ask_url(study) not in client.get(study.get_absolute_url()).content.decode()


def test_find_and_erase_cover_questions_about_a_case_study(settings):
    study = askable()
    question = CaseStudyQuestionFactory(case_study=study, sender_email="sam@example.gov.test")
    found = personal_data_find(email=SUBMITTER)
    assert found.messages_received == [question] and found.messages_sent == []
    (received,) = next(s for s in found.sections() if s.key == "messages_received").rows
    assert received["to_case_study"] == study.reference and received["message"] == question.message
    assert "message sent to them about a case study" in " ".join(what for what, _ in found.erasure_plan())
    sender = personal_data_find(email="sam@example.gov.test")
    assert sender.messages_sent == [question] and sender.messages_received == []

    personal_data_erase(email=SUBMITTER)
    question.refresh_from_db()
    study.refresh_from_db()
    assert question.message == REMOVED and question.sender_name == "Sam Sender"
    assert study.submitter_email == "" and not study.contact_through_portal and not study.open_to_questions

    personal_data_erase(email="sam@example.gov.test")
    question.refresh_from_db()
    assert question.sender_email == "" and question.sender_name == REMOVED


def test_the_retention_schedule_covers_questions_about_a_case_study(settings):
    now = timezone.now()
    study = askable()
    old = CaseStudyQuestionFactory(case_study=study, created_at=now - datetime.timedelta(days=7 * 31))
    unconfirmed = CaseStudyQuestionFactory(
        case_study=study, created_at=now - datetime.timedelta(days=2), confirmed_at=None, emailed_at=None
    )
    young = CaseStudyQuestionFactory(case_study=study)
    retention_apply(now=now)
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.message == REMOVED and young.message != REMOVED
    assert not ContactRequest.objects.filter(pk=unconfirmed.pk).exists()
