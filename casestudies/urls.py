"""Case-study URLs: browsing (urls_browse) and sharing an example (urls_submit)."""

from casestudies import urls_browse, urls_submit

app_name = "casestudies"
urlpatterns = urls_browse.urlpatterns + urls_submit.urlpatterns
