"""A test-only page behind linkup.ratelimit, for test_ratelimit.py's servers."""

import os

from django.http import HttpResponse
from django.urls import include, path

from linkup import ratelimit

LIMIT = 10


def limited(request):
    if not ratelimit.hit("two-servers", ratelimit.client_address(request), limit=LIMIT, window=86400):
        return ratelimit.too_many_requests(request)
    return HttpResponse(f"ok from {os.getpid()}")


def ready(request):
    return HttpResponse("ready")


# The site's own pages too: the 429 page links to them.
urlpatterns = [path("limited/", limited), path("ready/", ready), path("", include("linkup.urls"))]
