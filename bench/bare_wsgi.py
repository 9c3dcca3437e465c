"""The ceiling: a bare Django view, served by the same gunicorn configuration
and the same settings and middleware as the portal."""

import os

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linkup.settings")


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare), path("healthz", bare)]

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = __name__
