from django.urls import path, register_converter
from django.views.generic import TemplateView

from linkup.pagecache import cached_page

from . import views


class ReferenceConverter:
    """A listing's reference (``K7QM-4TZP``): letters, digits and hyphens,
    so anything else (a NUL character, say) is a 404 before any query."""

    regex = "[0-9A-Za-z-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "reference")

app_name = "directory"
urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("search/", views.search, name="search"),
    path("add/", views.add, name="add"),
    path("add/sent/", TemplateView.as_view(template_name="directory/add_sent.html"), name="add_sent"),
    path("manage/", views.manage_request, name="manage_request"),
    path(
        "manage/sent/",
        TemplateView.as_view(template_name="directory/manage_request_sent.html"),
        name="manage_request_sent",
    ),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/edit/", views.manage_edit, name="manage_edit"),
    path("manage/<str:token>/withdraw/", views.manage_withdraw, name="manage_withdraw"),
    path("manage/<str:token>/confirm/", views.confirm, {"purpose": "manage"}, name="manage_confirm"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("people/<reference:reference>/", views.profile, name="profile"),
    path("people/<reference:key>/connect/", views.connect, name="connect"),
    path("people/<reference:key>/connect/sent/", views.connect_sent, name="connect_sent"),
    path(
        "people/<reference:key>/connect/confirm/<str:token>/",
        views.connect_confirm,
        name="connect_confirm",
    ),
    path("report/<str:token>/", views.report, name="report"),
]
