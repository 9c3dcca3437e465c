from django.urls import path

from toolkit import views

app_name = "toolkit"
urlpatterns = [
    path("", views.home, name="home"),
    path("who-should-i-contact/", views.finder, name="finder"),
    path("business-case/", views.business_case, name="business_case"),
    path("<slug:section>/", views.section, name="section"),
    path("<slug:section>/<slug:page>/", views.page, name="page"),
]
