"""The platform's own pages, error pages, health check and security headers."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from linkup import views
from linkup.models import ClientGroup, NationalIndicator

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

PAGES = {
    "home": "Working together for socially excluded adults",
    "accessibility": "Accessibility statement",
    "privacy": "Privacy notice",
    "cookies": "Cookies",
    "contact": "Contact the taskforce",
}


@pytest.mark.parametrize(("name", "heading"), PAGES.items())
def test_page_renders_with_the_layout(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert heading in html
    assert 'class="govuk-skip-link"' in html
    assert "govuk-phase-banner" in html and ">Pilot<" in html
    for footer_link in ("accessibility", "privacy", "cookies", "contact"):
        assert f'href="{reverse(footer_link)}"' in html
    # Brand-neutral: no crown, no GDS Transport.
    assert "govuk-header__logotype" not in html
    assert "GDS Transport" not in html


def test_home_explains_every_psa16_indicator(client):
    html = client.get(reverse("home")).content.decode()
    codes = list(NationalIndicator.objects.values_list("code", flat=True))
    assert codes == [f"NI {n}" for n in range(143, 151)]
    for code in codes:
        assert code in html


def test_home_makes_as_many_queries_for_50_client_groups_as_for_5(client, no_page_cache, count_queries):
    def add(rows):
        for _ in range(rows):
            number = ClientGroup.objects.count()
            group = ClientGroup.objects.create(
                name=f"Group {number}", slug=f"group-{number}", position=number
            )
            NationalIndicator.objects.create(
                code=f"T {number}", client_group=group, title="A test indicator", plain_english="Counts."
            )

    def home():
        assert client.get(reverse("home")).status_code == 200

    add(5 - ClientGroup.objects.count())
    few = count_queries(home)
    add(45)
    assert count_queries(home) <= few


def test_privacy_notice_covers_submitters_and_directory(client):
    html = client.get(reverse("privacy")).content.decode()
    assert "People who share a case study" in html
    assert "Professionals in the directory" in html


@pytest.mark.parametrize("name", [*PAGES, "healthz"])
def test_security_headers_on_every_page(client, name):
    response = client.get(reverse(name))
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_pages_have_no_inline_scripts_or_styles(client):
    for name in PAGES:
        html = client.get(reverse(name)).content.decode()
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert '<script type="module" src="/static/js/app.js">' in html


def test_unknown_page_is_a_govuk_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_healthz_reports_database_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_reports_database_down(client):
    with mock.patch.object(views.connection, "ensure_connection", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_server_error_renders_without_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            response = views.server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_database_outage_is_a_503_page(client):
    client.raise_request_exception = False
    with mock.patch.object(views.ClientGroup.objects, "ordered", side_effect=OperationalError("gone")):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_csrf_failure_is_a_govuk_page():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Sorry, your form could not be sent" in response.content.decode()


def test_wrong_method_is_refused(client):
    assert client.post(reverse("home")).status_code == 405


@pytest.mark.parametrize("path", ["/privacy/", "/case-studies/", "/case-studies/browse.csv", "/nowhere/"])
def test_head_gets_the_headers_of_get_and_no_body(path):
    """Through the whole WSGI application, as gunicorn serves it (the test
    client, like Django's own server, takes a HEAD body off itself)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory

    def serve(method):
        status_headers = {}

        def start_response(status, headers, exc_info=None):
            status_headers.update(status=status, headers=dict(headers))

        # As the test client does: the test's transaction stays open.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = WSGIHandler()(getattr(RequestFactory(), method)(path).environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return status_headers["status"], status_headers["headers"], body

    get_status, get_headers, get_body = serve("get")
    head_status, head_headers, head_body = serve("head")
    assert head_body == b""
    assert head_status == get_status and head_headers["Content-Type"] == get_headers["Content-Type"]
    if "Content-Length" in get_headers:
        assert head_headers["Content-Length"] == str(len(get_body))


def test_public_copy_names_the_regions_the_directory_covers(client, no_page_cache, settings):
    from linkup.models import LocalAuthority, Region

    london = Region.objects.get(slug="london")
    LocalAuthority.objects.create(name="Camden", slug="camden", region=london)
    settings.DIRECTORY_REGIONS = ["east-midlands", "london"]
    pages = {
        "home": "Find a professional in the East Midlands and London to work with",
        "directory:home": "It is a pilot in the East Midlands and London.",
        "directory:add": "learning disabilities in the East Midlands and London find each other.",
        "privacy": "The directory of professionals in the East Midlands and London lists",
    }
    for name, text in pages.items():
        assert text in client.get(reverse(name)).content.decode(), name
    add = client.get(reverse("directory:add")).content.decode()
    assert "Camden" in add and "Derbyshire" in add
    settings.DIRECTORY_REGIONS = ["london"]
    assert "Are you a professional in London?" in client.get(reverse("directory:home")).content.decode()
    assert list(LocalAuthority.objects.open_to_listings()) == [LocalAuthority.objects.get(slug="camden")]
