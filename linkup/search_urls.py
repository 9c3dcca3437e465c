from django.urls import path

from linkup.pagecache import cached_page
from linkup.search import results_view

app_name = "search"
urlpatterns = [path("", cached_page(results_view), name="results")]
