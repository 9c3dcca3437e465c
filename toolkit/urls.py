from django.urls import path

from linkup.pagecache import cached_page
from toolkit import views

app_name = "toolkit"
urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("who-should-i-contact/", cached_page(views.finder), name="finder"),
    path("business-case/", views.business_case, name="business_case"),
    path("<slug:section>/", cached_page(views.section), name="section"),
    path("<slug:section>/<slug:page>/", cached_page(views.page), name="page"),
]
