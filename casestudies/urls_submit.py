"""Sharing an example: the public form, status look-up and edit links."""

from django.urls import path
from django.views.generic import TemplateView

from casestudies import views_submit as views

urlpatterns = [
    path("share/", views.start, name="submit"),
    path("share/check-your-answers/", views.check, name="submit_check"),
    path("share/sent/", views.sent, name="submit_sent"),
    path("share/change/<str:token>/", views.edit, name="edit"),
    path("share/changes-sent/", views.edit_sent, name="edit_sent"),
    path("share/review/<str:token>/", views.review, name="review"),
    path("share/outcomes/add/", views.figure, name="submit_figure_add"),
    path("share/outcomes/<int:number>/", views.figure, name="submit_figure"),
    path("share/outcomes/<int:number>/remove/", views.figure_remove, name="submit_figure_remove"),
    path("share/<slug:step>/", views.step, name="submit_step"),
    path("check-your-submission/", views.status, name="status"),
    path(
        "check-your-submission/sent/",
        TemplateView.as_view(template_name="casestudies/submit/status_sent.html"),
        name="status_sent",
    ),
]
