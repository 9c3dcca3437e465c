"""Case-study URLs: browsing (urls_browse) and sharing an example (urls_submit).
The detail page's "<slug>/" comes last so it catches nothing else."""

from casestudies import urls_browse, urls_submit

app_name = "casestudies"
urlpatterns = urls_browse.urlpatterns + urls_submit.urlpatterns + urls_browse.detail_urlpatterns
