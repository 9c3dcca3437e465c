"""Hostile input against every public page, query parameter and form.

The pages come from the permission matrix (every public URL); the form
fields are read from each page's own HTML, so a new field is covered
without changing this test. Nothing may answer 5xx, nothing may come back
unescaped, and every form refuses a POST without a CSRF token.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client

from tests.hostile import DANGEROUS_MARKUP, HOSTILE, MALFORMED_UTF8
from tests.security.test_permission_matrix import PUBLIC, _path_for

pytestmark = pytest.mark.django_db

# Every query parameter any public page reads.
QUERY_PARAMETERS = [
    "q",
    "page",
    "sort",
    "region",
    "client_group",
    "agency",
    "outcome",
    "indicator",
    "level",
    "figures",
    "view",
    "area",
    "open_to",
    "modified_after",
    "step",
    "need",
    "where",
    "evidence_q",
    "useful",
]
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', re.IGNORECASE)
FORM = re.compile(r'<form[^>]*method="post"[^>]*>(.*?)</form>', re.IGNORECASE | re.DOTALL)
PAYLOADS = {k: v for k, v in HOSTILE.items() if k != "huge"}


def public_paths(fixtures, *, with_query=False):
    paths = []
    for name, (builder, expected) in sorted(PUBLIC.items()):
        if expected["anonymous"] == 200:
            path = _path_for(builder, fixtures, "anonymous")
            paths.append((name, path if with_query else path.split("?")[0]))
    return paths


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def assert_safe(response, label):
    assert response.status_code < 500, f"{label}: {response.status_code}"
    content_type = response.headers.get("Content-Type", "")
    if "html" not in content_type and "xml" not in content_type:
        return  # JSON and CSV carry text as data, served with nosniff
    body = body_of(response)
    for marker in DANGEROUS_MARKUP:
        assert marker not in body, f"{label}: {marker!r} reflected unescaped"


def test_every_query_parameter_with_every_payload(client, fixtures):
    for name, path in public_paths(fixtures):
        for parameter in QUERY_PARAMETERS:
            for label, payload in PAYLOADS.items():
                response = client.get(f"{path}?{parameter}={quote(payload)}")
                assert_safe(response, f"{name} ?{parameter}= {label}")
            response = client.get(f"{path}?{parameter}={MALFORMED_UTF8}")
            assert_safe(response, f"{name} ?{parameter}= malformed UTF-8")
            response = client.get(
                f"{path}?{parameter}=a&{parameter}=b&{parameter}={quote(HOSTILE['script'])}"
            )
            assert_safe(response, f"{name} repeated ?{parameter}=")


def test_a_huge_query_and_a_very_long_url(client, fixtures):
    for name, path in public_paths(fixtures):
        assert_safe(client.get(f"{path}?q={'x' * 100_000}"), f"{name} huge q")
    assert client.get("/" + "a" * 10_000 + "/").status_code == 404
    assert client.get("/case-studies/" + "b" * 5_000 + "/").status_code == 404


def forms_on(client, path):
    """(field names) of each POST form on the page."""
    html = body_of(client.get(path))
    return [sorted(set(FIELD.findall(form)) - {"csrfmiddlewaretoken"}) for form in FORM.findall(html)]


def test_every_form_field_with_every_payload(fixtures):
    client = Client()
    tried = 0
    for name, path in public_paths(fixtures):
        for fields in forms_on(client, path):
            for field in fields:
                for label, payload in HOSTILE.items():
                    response = client.post(path, {field: payload})
                    assert_safe(response, f"{name} POST {field}={label}")
                    tried += 1
                response = client.generic(
                    "POST",
                    path,
                    f"{field}={MALFORMED_UTF8}",
                    content_type="application/x-www-form-urlencoded",
                )
                assert_safe(response, f"{name} POST {field}= malformed UTF-8")
    # The public forms: share an example (each step), status look-up, business
    # case, directory self-listing, request to connect, manage-link request.
    assert tried > 200


def test_forms_refuse_a_post_without_a_csrf_token(fixtures):
    strict = Client(enforce_csrf_checks=True)
    checked = 0
    for name, path in public_paths(fixtures):
        if not forms_on(Client(), path):
            continue
        response = strict.post(path, {"q": "housing"})
        assert response.status_code == 403, f"{name} accepted a POST without a CSRF token"
        assert "Sorry, your form could not be sent" in response.content.decode()
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
def test_wrong_methods_are_refused(client, fixtures, method):
    wrong = []
    for name, path in public_paths(fixtures):
        status = client.generic(method, path).status_code
        if status >= 500 or (status == 200 and method != "OPTIONS"):
            wrong.append(f"{name}: {status}")
    assert not wrong, f"{method} answered by: {wrong}"


SEARCH_ENDPOINTS = {
    "case-study list": ("/case-studies/browse/", {}),
    "case-study JSON": ("/case-studies/data.json", {}),
    "case-study CSV": ("/case-studies/browse.csv", {}),
    "site search": ("/search/", {}),
    "site search, case studies": ("/search/", {"type": "casestudies"}),
    "site search, directory": ("/search/", {"type": "directory"}),
    "site search, toolkit": ("/search/", {"type": "toolkit"}),
    "directory search": ("/directory/search/", {}),
}


@pytest.mark.parametrize("endpoint", SEARCH_ENDPOINTS)
def test_no_search_query_of_any_shape_is_an_error(client, endpoint, settings, no_page_cache):
    from tests.casestudies.factories import CaseStudyFactory
    from tests.directory.factories import ListingFactory
    from tests.hostile import HOSTILE_QUERIES

    settings.DIRECTORY_RATE_LIMIT_PER_MINUTE = 100_000
    CaseStudyFactory(title="Housing for care leavers", summary="Accommodation and care.")
    ListingFactory(full_name="Ada Housing", expertise="Accommodation for care leavers.")
    path, params = SEARCH_ENDPOINTS[endpoint]
    for label, query in {**HOSTILE_QUERIES, **PAYLOADS}.items():
        response = client.get(path, {**params, "q": query})
        assert_safe(response, f"{endpoint}, {label}")
        if path.endswith(".json"):
            assert response.headers["Content-Type"].startswith("application/json"), label
            response.json()


# --- Control characters in every one-line answer ------------------------------------

ONE_LINE_INPUT = re.compile(r'<input(?=[^>]*\btype="(?:text|email|search|tel|url)")[^>]*>', re.IGNORECASE)
NAME = re.compile(r'\bname="([^"]+)"')
UNLIMITED = dict.fromkeys(
    [
        "DIRECTORY_RATE_LIMIT_PER_MINUTE",
        "DIRECTORY_CONTACT_LIMIT_PER_HOUR",
        "DIRECTORY_ADD_LIMIT_PER_HOUR",
        "DIRECTORY_MANAGE_LIMIT_PER_HOUR",
        "DIRECTORY_MANAGE_EMAIL_LIMIT_PER_HOUR",
        "CASE_STUDY_SUBMIT_LIMIT_PER_HOUR",
        "CASE_STUDY_STATUS_LIMIT_PER_15_MINUTES",
    ],
    1_000_000,
)


def form_pages(fixtures):
    """Every public page with a form, every step of sharing an example, and
    the submitter's edit page."""
    from django.urls import reverse

    from casestudies.forms import STEP_FORMS

    pages = dict(public_paths(fixtures))
    pages.update({f"share {step}": reverse("casestudies:submit_step", args=[step]) for step in STEP_FORMS})
    pages["edit"] = reverse("casestudies:edit", args=[fixtures["tokens"]["casestudy_edit"]])
    return pages


def one_line_fields(client, path):
    html = body_of(client.get(path))
    names = set()
    for form in FORM.findall(html):
        names.update(NAME.search(tag).group(1) for tag in ONE_LINE_INPUT.findall(form) if NAME.search(tag))
    return sorted(names - {"website"})  # the honeypot: filling it in is quietly ignored


HIDDEN_INPUT = re.compile(r'<input(?=[^>]*\btype="hidden")[^>]*>', re.IGNORECASE)
VALUE = re.compile(r'\bvalue="([^"]*)"')


def hidden_values(client, path):
    """The form's hidden inputs (a formset's management form), sent as they are."""
    html = body_of(client.get(path))
    values = {}
    for form in FORM.findall(html):
        for tag in HIDDEN_INPUT.findall(form):
            name, value = NAME.search(tag), VALUE.search(tag)
            if name and name.group(1) != "csrfmiddlewaretoken":
                values[name.group(1)] = value.group(1) if value else ""
    return values


def error_id(field: str) -> str:
    """The error message's id: a date's day, month and year share the date's."""
    return f'id="id_{re.sub(r"_(day|month|year)$", "", field)}-error"'


def test_every_one_line_answer_refuses_every_control_character(fixtures, settings):
    """Each C0 and C1 control and Unicode line separator, inside an answer,
    gets that field's GOV.UK error (NUL may instead be removed): a value that
    goes into an e-mail header can never carry a line break. One POST per
    form and character, with the character in every one-line answer."""
    from tests.hostile import CONTROL_CHARACTERS

    for name, value in UNLIMITED.items():
        setattr(settings, name, value)
    client = Client()
    failures, tried = [], set()
    for page, path in form_pages(fixtures).items():
        fields = one_line_fields(client, path)
        hidden = hidden_values(client, path)
        tried.update(f"{page} {field}" for field in fields)
        for code, character in CONTROL_CHARACTERS.items() if fields else ():
            values = {
                field: f"eve{character}bcc@example.org" if "email" in field else f"Eve{character}Bcc: x"
                for field in fields
            }
            response = client.post(path, hidden | values)
            assert_safe(response, f"{page}: {code} in {fields}")
            html = body_of(response)
            for field, value in values.items():
                if error_id(field) in html:
                    continue
                if character == "\x00" and "\x00" not in html:
                    continue  # removed before validation (the business case)
                failures.append(f"{page}: {field} = {value!r} ({code})")
    assert not failures, "accepted:\n" + "\n".join(failures)
    # Names, job titles, organisations, e-mail addresses, phone numbers,
    # references, tags, titles, dates: on every public form.
    assert len(tried) >= 25, sorted(tried)


# --- Cookies ------------------------------------------------------------------------


def test_every_public_page_refuses_abusive_cookies_before_parsing_them(fixtures):
    from unittest import mock

    from tests.hostile import HOSTILE_COOKIES

    def parsed(raw):
        raise AssertionError("the Cookie header was parsed")

    client = Client()
    with mock.patch("django.core.handlers.wsgi.parse_cookie", parsed):
        for page, path in public_paths(fixtures):
            for label, cookie in HOSTILE_COOKIES.items():
                for method in ("get", "post"):
                    response = getattr(client, method)(path, HTTP_COOKIE=cookie)
                    assert response.status_code == 400, f"{page} {method.upper()} cookie {label}"


# --- The Host header ----------------------------------------------------------------


def test_no_public_page_feed_or_export_follows_the_host_header(fixtures, settings, no_page_cache):
    settings.SITE_URL = "https://linkup.example"
    client = Client()
    for page, path in public_paths(fixtures, with_query=True):
        response = client.get(path, HTTP_HOST="localhost:9999")
        assert response.status_code == 200, page
        assert "localhost:9999" not in body_of(response), f"{page} shows the request's Host header"


# --- Search boxes in forms ----------------------------------------------------------


def test_the_business_case_evidence_search_takes_every_hostile_query(client, no_page_cache):
    from django.urls import reverse

    from tests.hostile import HOSTILE_QUERIES

    path = reverse("toolkit:business_case")
    for label, query in {**HOSTILE_QUERIES, **PAYLOADS}.items():
        response = client.post(path, {"action": "search", "evidence_query": query})
        assert_safe(response, f"business case evidence search, {label}")
        assert response.status_code == 200, label
