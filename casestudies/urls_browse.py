"""Reading case studies: the coverage grid, the list, region and client-group
pages, feeds, CSV and JSON, and the detail page."""

from django.urls import path
from django.views.decorators.http import require_safe

from casestudies import api, exports, feeds, views_browse
from directory import views as relay
from linkup.pagecache import cached_page

urlpatterns = [
    path("", cached_page(views_browse.home), name="home"),
    path("browse/", cached_page(views_browse.case_study_list), name="list"),
    path("browse.csv", exports.export_csv, name="export_csv"),
    path("data.json", api.case_studies_json, name="api"),
    path("data.schema.json", api.case_studies_schema, name="api_schema"),
    path("feed/", require_safe(feeds.CaseStudyFeed()), name="feed"),
    path("regions/<slug:slug>/", cached_page(views_browse.region), name="region"),
    path("regions/<slug:slug>/feed/", require_safe(feeds.RegionFeed()), name="region_feed"),
    path("client-groups/<slug:slug>/", cached_page(views_browse.client_group), name="client_group"),
    path("client-groups/<slug:slug>/feed/", require_safe(feeds.ClientGroupFeed()), name="client_group_feed"),
]

# Last of every case-study URL (see casestudies/urls.py), so "<slug>/" catches nothing else.
# "Ask about this example" is the directory's relay, with a case study as its target.
CASE_STUDY = {"kind": "case_study"}
detail_urlpatterns = [
    path("<slug:key>/ask/", relay.connect, CASE_STUDY, name="ask"),
    path("<slug:key>/ask/sent/", relay.connect_sent, CASE_STUDY, name="ask_sent"),
    path("<slug:key>/ask/confirm/<str:token>/", relay.connect_confirm, CASE_STUDY, name="ask_confirm"),
    path("<slug:slug>/", cached_page(views_browse.detail), name="detail"),
]
