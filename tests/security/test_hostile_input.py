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


def public_paths(fixtures):
    paths = []
    for name, (builder, expected) in sorted(PUBLIC.items()):
        if expected["anonymous"] == 200:
            paths.append((name, _path_for(builder, fixtures, "anonymous").split("?")[0]))
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
