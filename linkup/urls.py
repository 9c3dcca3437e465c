from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from linkup import views
from linkup.pagecache import cached_page

PAGES = ["accessibility", "privacy", "cookies", "contact"]

urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("healthz", views.healthz, name="healthz"),
    *[path(f"{name}/", cached_page(views.page), {"template": name}, name=name) for name in PAGES],
    path("search/", include("linkup.search_urls")),
    path("toolkit/", include("toolkit.urls")),
    path("case-studies/", include("casestudies.urls")),
    path("directory/", include("directory.urls")),
    path("email-alerts/", include("alerts.urls")),
    path("feedback/", include("feedback.urls")),
    path(f"{settings.ADMIN_PATH}/", admin.site.urls),
]

handler400 = "linkup.views.bad_request"
handler403 = "linkup.views.permission_denied"
handler404 = "linkup.views.page_not_found"
handler500 = "linkup.views.server_error"
