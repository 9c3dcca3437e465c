"""Case-study URLs: browsing (urls_browse) and sharing an example (urls_submit).
The detail page's "<slug>/" comes last so it catches nothing else."""

from django.urls import path

from casestudies import urls_browse, urls_submit, views_evidence
from linkup.pagecache import cached_page

app_name = "casestudies"
urlpatterns = [
    path("evidence-levels/", cached_page(views_evidence.evidence_levels), name="evidence_levels"),
    *urls_browse.urlpatterns,
    *urls_submit.urlpatterns,
    *urls_browse.detail_urlpatterns,
]
