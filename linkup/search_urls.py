from django.urls import path

from linkup.search import results_view

app_name = "search"
# results_view counts against the limits it must, then asks the page cache.
urlpatterns = [path("", results_view, name="results")]
