"""A URL configuration that adds pages failing in each way, for error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from linkup.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def fail(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    path("fail/400/", fail(SuspiciousOperation("bad request"))),
    path("fail/403/", fail(PermissionDenied())),
    path("fail/500/", fail(RuntimeError("something broke"))),
    path("fail/503/", fail(OperationalError("database unavailable"))),
    *urlpatterns,
]
