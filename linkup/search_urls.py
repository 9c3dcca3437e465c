from django.urls import path

from linkup.search import results_view

app_name = "search"
urlpatterns = [path("", results_view, name="results")]
