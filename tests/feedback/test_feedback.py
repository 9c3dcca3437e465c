"""Page feedback without JavaScript: the block on every page, the form and
its errors, the honeypot and the rate limit, reports tied to their record,
the queue in admin, the e-mail when a report leads to a change, and nothing
about a report on any public page."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, FeedbackStatus, Problem
from linkup.moderation import Status
from linkup.retention import months_ago, retention_apply
from tests.casestudies.factories import CaseStudyFactory
from tests.directory.factories import ListingFactory
from tests.hostile import DANGEROUS_MARKUP, HOSTILE

pytestmark = pytest.mark.django_db

URL = "/feedback/"


def report(client, page="/toolkit/", **answers):
    data = {"page": page, "useful": "", "problem": "", "details": "", "email": "", "website": "", **answers}
    return client.post(URL, data)


# --- The block on every page ------------------------------------------------------------


def test_every_page_asks_and_offers_to_report_a_problem(client):
    case_study = CaseStudyFactory()
    listing = ListingFactory()
    for path in ["/", "/toolkit/", case_study.get_absolute_url(), listing.get_absolute_url(), "/privacy/"]:
        html = client.get(path).content.decode()
        assert "Is this page useful?" in html, path
        quoted = path.replace("/", "%2F")
        assert f'href="/feedback/?page={quoted}&amp;useful=yes"' in html, path
        assert f'href="/feedback/?page={quoted}&amp;useful=no"' in html, path
        assert f'href="/feedback/?page={quoted}"' in html, path


def test_case_study_and_profile_pages_link_to_a_report_on_their_record(client):
    for record in [CaseStudyFactory(), ListingFactory()]:
        html = client.get(record.get_absolute_url()).content.decode()
        # The record's own link as well as the block's.
        assert html.count(">Report a problem with this page</a>") == 2


def test_the_block_keeps_pages_shareable_from_the_cache(client, django_assert_max_num_queries):
    """No token, no cookie: the block is the same for everyone, so the page
    is still kept and served from the shared cache."""
    first = client.get("/toolkit/")
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies
    with django_assert_max_num_queries(2):  # the content version, then the cache
        again = client.get("/toolkit/")
    assert again.content == first.content


def test_the_feedback_page_is_never_cached_and_carries_a_token(client):
    response = client.get(URL, {"page": "/toolkit/", "useful": "no"})
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "csrftoken" in response.cookies


@pytest.mark.parametrize(
    "page",
    [
        "",
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "toolkit/",
        "/a b/",
        "/x\r\nSet-Cookie:x",
    ],
)
def test_an_address_that_is_not_a_page_here_is_a_bad_request(client, page):
    assert client.get(URL, {"page": page}).status_code == 400
    assert report(client, page=page, problem=Problem.WRONG).status_code == 400
    assert not Feedback.objects.exists()


def test_a_forged_answer_is_a_bad_request(client):
    assert client.get(URL, {"page": "/", "useful": "maybe"}).status_code == 400
    assert report(client, useful="maybe", problem=Problem.WRONG).status_code == 400


# --- Answers and reports, without JavaScript ---------------------------------------------


def test_yes_is_kept_and_the_page_says_thank_you(client):
    form = client.get(URL, {"page": "/toolkit/", "useful": "yes"}).content.decode()
    assert 'name="useful" value="yes"' in form

    response = report(client, useful="yes", problem=Problem.WRONG, details="ignored", email="a@b.test")
    assert response.status_code == 302
    assert response["Location"] == "/toolkit/#feedback"
    answer = Feedback.objects.get()
    assert (answer.useful, answer.problem, answer.details, answer.email) == (True, "", "", "")

    back = client.get(response["Location"]).content.decode()
    assert "Thank you for your feedback" in back
    assert "Is this page useful?" not in back
    # Once: the next page asks again.
    assert "Is this page useful?" in client.get("/toolkit/").content.decode()


def test_no_leads_to_what_went_wrong(client):
    html = client.get(URL, {"page": "/toolkit/", "useful": "no"}).content.decode()
    assert "Help us improve this page" in html
    assert "What is wrong with this page?" in html
    response = report(
        client, useful="no", problem=Problem.BROKEN_LINK, details="The link to the NI guidance", email=""
    )
    assert response.status_code == 302
    answer = Feedback.objects.get()
    assert (answer.useful, answer.problem, answer.status) == (False, Problem.BROKEN_LINK, FeedbackStatus.NEW)
    assert answer.email == ""  # nothing personal kept unless given


def test_no_answer_to_what_is_wrong_is_an_error_in_the_govuk_pattern(client):
    response = report(client, useful="no", details="Something about housing", email="me@example.gov.test")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Help us improve this page" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_problem_0">Select what is wrong with this page</a>' in html
    assert 'id="id_problem-error"' in html
    # The other answers are kept.
    assert "Something about housing</textarea>" in html
    assert 'value="me@example.gov.test"' in html
    assert not Feedback.objects.exists()


def test_something_else_needs_saying_what(client):
    html = report(client, problem=Problem.OTHER).content.decode()
    assert '<a href="#id_details">Tell us what is wrong with this page</a>' in html


def test_a_bad_email_address_is_an_error(client):
    html = report(client, problem=Problem.WRONG, email="not an address").content.decode()
    assert "Enter an e-mail address in the correct format, like name@example.gov.uk" in html


@pytest.mark.parametrize(
    "details",
    ["Call me on 01632 960001", "write to jo.bloggs@example.gov.test please", "+44 1632 960 001"],
)
def test_contact_details_in_what_they_tell_us_are_refused(client, details):
    html = report(client, problem=Problem.WRONG, details=details).content.decode()
    assert "Remove the e-mail address or phone number from what you tell us" in html
    assert not Feedback.objects.exists()


def test_the_honeypot_thanks_and_keeps_nothing(client):
    response = report(client, problem=Problem.WRONG, website="http://spam.example")
    assert response.status_code == 302
    assert not Feedback.objects.exists()


def test_the_shared_rate_limit(client, settings):
    settings.FEEDBACK_LIMIT_PER_HOUR = 2
    assert report(client, problem=Problem.WRONG).status_code == 302
    assert report(client, useful="yes").status_code == 302
    refused = report(client, problem=Problem.WRONG)
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert Feedback.objects.count() == 2


def test_a_report_on_a_case_study_or_profile_is_tied_to_the_record(client):
    case_study = CaseStudyFactory()
    listing = ListingFactory()
    form = client.get(URL, {"page": case_study.get_absolute_url()}).content.decode()
    assert f"Case study: {case_study.title}" in form
    report(client, page=case_study.get_absolute_url(), problem=Problem.OUT_OF_DATE)
    report(client, page=listing.get_absolute_url(), problem=Problem.WRONG)
    report(client, page="/toolkit/", problem=Problem.WRONG)
    by_path = {f.path: f for f in Feedback.objects.all()}
    assert by_path[case_study.get_absolute_url()].case_study == case_study
    assert by_path[listing.get_absolute_url()].listing == listing
    assert by_path["/toolkit/"].record is None


def test_an_unpublished_record_is_never_tied_or_named(client):
    hidden = CaseStudyFactory(status=Status.SUBMITTED, published_at=None)
    hidden_listing = ListingFactory(status=Status.SUBMITTED)
    for record, name in [(hidden, hidden.title), (hidden_listing, hidden_listing.full_name)]:
        path = record.get_absolute_url()
        form = client.get(URL, {"page": path}).content.decode()
        assert name not in form
        report(client, page=path, problem=Problem.WRONG)
    assert Feedback.objects.filter(case_study=None, listing=None).count() == 2


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_refused_or_kept_as_text(client, name):
    text = HOSTILE[name]
    response = report(client, page="/toolkit/", problem=Problem.OTHER, details=text)
    assert response.status_code in {200, 302}
    html = response.content.decode()
    for markup in DANGEROUS_MARKUP:
        assert markup not in html
    if response.status_code == 302:
        assert Feedback.objects.get().details == text.strip()
    # As the page address, it is a bad request, never an error.
    assert client.get(URL, {"page": f"/{text}"}).status_code in {200, 400}


def test_hostile_text_is_escaped_for_staff(otp_client, moderator):
    Feedback.objects.create(path="/toolkit/", problem=Problem.OTHER, details=HOSTILE["script"])
    client = otp_client(moderator)
    item = Feedback.objects.get()
    html = client.get(reverse("admin:feedback_feedback_change", args=[item.pk])).content.decode()
    assert "&lt;script&gt;alert" in html
    for markup in DANGEROUS_MARKUP:
        assert markup not in html


# --- Nothing public --------------------------------------------------------------------------


def test_nothing_about_a_report_is_shown_publicly(client):
    case_study = CaseStudyFactory()
    listing = ListingFactory()
    for record in [case_study, listing]:
        Feedback.objects.create(
            path=record.get_absolute_url(),
            problem=Problem.WRONG,
            details="Secret detail of the report",
            email="reporter@example.gov.test",
            **({"case_study": record} if record is case_study else {"listing": record}),
        )
    pages = [
        "/",
        case_study.get_absolute_url(),
        listing.get_absolute_url(),
        reverse("casestudies:api"),
        reverse("casestudies:export_csv"),
        reverse("casestudies:feed"),
        reverse("search:results") + "?q=Secret",
        reverse("directory:search") + "?q=Secret",
        URL + "?page=" + case_study.get_absolute_url(),
    ]
    for path in pages:
        response = client.get(path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode()
        assert "Secret detail" not in body, path
        assert "reporter@example.gov.test" not in body, path


# --- Staff -------------------------------------------------------------------------------------


@pytest.fixture
def reports():
    case_study = CaseStudyFactory(submitter_email="author@example.gov.test")
    listing = ListingFactory(email="listed@example.gov.test")
    return {
        "case_study": Feedback.objects.create(
            path=case_study.get_absolute_url(), case_study=case_study, problem=Problem.OUT_OF_DATE
        ),
        "listing": Feedback.objects.create(
            path=listing.get_absolute_url(),
            listing=listing,
            problem=Problem.WRONG,
            details="The phone number is old",
            email="reporter@example.gov.test",
        ),
        "page": Feedback.objects.create(path="/toolkit/", useful=False, problem=Problem.BROKEN_LINK),
        "yes": Feedback.objects.create(path="/toolkit/", useful=True),
    }


def test_the_queue_lists_reports_and_filters_by_status_and_record_type(otp_client, moderator, reports):
    client = otp_client(moderator)
    url = reverse("admin:feedback_feedback_changelist")
    html = client.get(url).content.decode()
    assert "3 page feedback and problem reports" in html  # "yes" alone is not a report
    listing = reports["listing"].listing
    assert f"Directory listing {listing.reference}" in html
    assert client.get(url, {"record": "listing"}).context["cl"].result_count == 1
    assert client.get(url, {"record": "case_study"}).context["cl"].result_count == 1
    assert client.get(url, {"record": "page"}).context["cl"].result_count == 1
    assert client.get(url, {"status__exact": "new"}).context["cl"].result_count == 3
    assert client.get(url, {"status__exact": "no_action"}).context["cl"].result_count == 0
    found = client.get(url, {"q": listing.reference}).context["cl"].result_list
    assert list(found) == [reports["listing"]]


def test_a_report_shows_its_record_and_page(otp_client, moderator, reports):
    client = otp_client(moderator)
    item = reports["listing"]
    html = client.get(reverse("admin:feedback_feedback_change", args=[item.pk])).content.decode()
    assert reverse("admin:directory_listing_change", args=[item.listing.pk]) in html
    assert f'href="{item.path}"' in html
    assert "The phone number is old" in html
    assert "No warnings" in html


def test_staff_see_the_safeguarding_warnings_of_a_report(otp_client, moderator):
    item = Feedback.objects.create(
        path="/toolkit/",
        problem=Problem.PERSONAL_INFORMATION,
        details="It names client Jordan, born 3 May 1990",
    )
    html = (
        otp_client(moderator).get(reverse("admin:feedback_feedback_change", args=[item.pk])).content.decode()
    )
    assert "looks like a person&#x27;s name" in html or "looks like a person's name" in html
    assert "looks like a date of birth" in html


def test_usefulness_counts_per_page(otp_client, moderator):
    for useful in [True, True, False]:
        Feedback.objects.create(path="/toolkit/", useful=useful, problem="" if useful else Problem.WRONG)
    Feedback.objects.create(path="/", useful=True)
    Feedback.objects.create(path="/privacy/", problem=Problem.WRONG)  # a report with no answer
    response = otp_client(moderator).get(reverse("admin:feedback_feedback_usefulness"))
    rows = [(row["path"], row["yes"], row["no"]) for row in response.context["page"].object_list]
    assert rows == [("/toolkit/", 2, 1), ("/", 1, 0)]


def _decide(client, item, status):
    return client.post(reverse("admin:feedback_feedback_change", args=[item.pk]), {"status": status})


def test_led_to_a_change_tells_the_listed_person_once(
    otp_client, moderator, reports, django_capture_on_commit_callbacks, run_jobs
):
    client = otp_client(moderator)
    item = reports["listing"]
    with django_capture_on_commit_callbacks(execute=True):
        assert _decide(client, item, FeedbackStatus.ACTED_ON).status_code == 302
    item.refresh_from_db()
    assert item.status == FeedbackStatus.ACTED_ON and item.decided_by == moderator and item.decided_at
    assert [job.status for job in run_jobs()] == ["succeeded"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["listed@example.gov.test"]
    assert "reporter@example.gov.test" not in message.body + str(message.reply_to) + message.subject
    assert "The phone number is old" not in message.body  # what the reporter wrote is for staff
    assert "the information is wrong" in message.body
    assert item.listing.reference in message.body
    # Back and forth: told once.
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, item, FeedbackStatus.IN_REVIEW)
        _decide(client, item, FeedbackStatus.ACTED_ON)
    assert run_jobs() == []
    assert len(mail.outbox) == 1


def test_led_to_a_change_tells_the_submitter_who_gave_an_address(
    otp_client, moderator, reports, django_capture_on_commit_callbacks, run_jobs
):
    client = otp_client(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, reports["case_study"], FeedbackStatus.ACTED_ON)
        _decide(client, reports["page"], FeedbackStatus.ACTED_ON)  # no record: nobody to tell
    run_jobs()
    assert [m.to for m in mail.outbox] == [["author@example.gov.test"]]
    assert reports["case_study"].case_study.title in mail.outbox[0].body


def test_no_action_and_a_case_study_without_an_address_send_nothing(
    otp_client, moderator, reports, django_capture_on_commit_callbacks, run_jobs
):
    client = otp_client(moderator)
    anonymous = CaseStudyFactory(submitter_email="")
    silent = Feedback.objects.create(
        path=anonymous.get_absolute_url(), case_study=anonymous, problem=Problem.WRONG
    )
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, reports["listing"], FeedbackStatus.NO_ACTION)
        _decide(client, silent, FeedbackStatus.ACTED_ON)
    assert run_jobs() == [] and mail.outbox == []
    silent.refresh_from_db()
    assert silent.status == FeedbackStatus.ACTED_ON


def test_the_queue_actions_decide_in_bulk(
    otp_client, moderator, reports, django_capture_on_commit_callbacks, run_jobs
):
    client = otp_client(moderator)
    chosen = [reports["listing"].pk, reports["page"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:feedback_feedback_changelist"),
            {"action": "mark_acted_on", "_selected_action": chosen},
        )
    assert set(Feedback.objects.filter(status=FeedbackStatus.ACTED_ON).values_list("pk", flat=True)) == set(
        chosen
    )
    run_jobs()
    assert [m.to for m in mail.outbox] == [["listed@example.gov.test"]]


def test_staff_without_the_moderators_group_see_no_report(otp_client, moderator, reports):
    moderator.groups.remove(Group.objects.get(name="Moderators"))
    client = otp_client(moderator)
    assert client.get(reverse("admin:feedback_feedback_changelist")).status_code == 403
    assert client.get(reverse("admin:feedback_feedback_usefulness")).status_code == 403
    change = reverse("admin:feedback_feedback_change", args=[reports["listing"].pk])
    assert client.get(change).status_code == 403
    assert _decide(client, reports["listing"], FeedbackStatus.NO_ACTION).status_code == 403
    assert Feedback.objects.get(pk=reports["listing"].pk).status == FeedbackStatus.NEW


# --- Retention -----------------------------------------------------------------------------


def test_reporters_addresses_are_removed_after_their_period(settings):
    now = timezone.now()
    old = Feedback.objects.create(path="/", problem=Problem.WRONG, email="old@example.gov.test")
    young = Feedback.objects.create(path="/", problem=Problem.WRONG, email="young@example.gov.test")
    months = settings.RETENTION["FEEDBACK_EMAIL_MONTHS"]
    Feedback.objects.filter(pk=old.pk).update(created_at=months_ago(now, months) - datetime.timedelta(days=1))
    counts = retention_apply(now=now)
    assert counts["problem reporters' addresses removed"] == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.email, old.problem) == ("", Problem.WRONG)
    assert young.email == "young@example.gov.test"
    assert retention_apply(now=now)["problem reporters' addresses removed"] == 0


def test_the_privacy_notice_states_the_period(client, settings, no_page_cache):
    settings.RETENTION = {**settings.RETENTION, "FEEDBACK_EMAIL_MONTHS": 3}
    html = client.get(reverse("privacy")).content.decode()
    assert "3 months after the report, then removed" in html
