import logging
import sys

import psycopg
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from linkup.context_processors import site, url_if_installed
from linkup.models import ClientGroup, directory_region_names

logger = logging.getLogger(__name__)


WAYS_IN = [
    (
        "Read the toolkit",
        "toolkit:home",
        "Practical guidance on joint working: who to contact, how to make the business case, "
        "how to share information safely and how to measure what you achieve together.",
    ),
    (
        "Find a case study",
        "casestudies:home",
        "Examples of agencies working together that helped people into settled homes and work, "
        "by region and client group.",
    ),
    (
        "Search the directory",
        "directory:home",
        "Find a professional in {regions} to work with on a case, across a boundary, or for expert advice.",
    ),
]


@require_safe
def home(request):
    client_groups = ClientGroup.objects.ordered().prefetch_related("indicators")
    regions = directory_region_names()
    ways_in = [
        {"title": title, "url": url, "text": text.format(regions=regions)}
        for title, name, text in WAYS_IN
        if (url := url_if_installed(name))
    ]
    return render(request, "pages/home.html", {"client_groups": client_groups, "ways_in": ways_in})


@require_safe
def page(request, template):
    return render(request, f"pages/{template}.html", {"taskforce_email": settings.TASKFORCE_EMAIL})


@never_cache
@require_safe
def healthz(request):
    """Database reachability, for load balancers and monitoring."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("Health check: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error_page(request, template, status):
    return render(request, template, status=status)


def bad_request(request, exception):
    return _error_page(request, "errors/400.html", 400)


def permission_denied(request, exception):
    return _error_page(request, "errors/403.html", 403)


def page_not_found(request, exception):
    return _error_page(request, "errors/404.html", 404)


def csrf_failure(request, reason=""):
    return _error_page(request, "errors/403_csrf.html", 403)


# The database is unreachable: Django's wrapped errors, and the driver's own
# where they reach us unwrapped.
UNAVAILABLE = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error``, or an exception it was raised from or while
    handling, says the database is unreachable. A lost connection inside a
    template lookup surfaces with the lookup's own error in its chain."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    """500, or 503 when the database is down. Renders without the database."""
    unavailable = database_unavailable(sys.exc_info()[1])
    template = "errors/503.html" if unavailable else "errors/500.html"
    context = site(request)
    html = loader.get_template(template).render(context)
    if unavailable:
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(html)
