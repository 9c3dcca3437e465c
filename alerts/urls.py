from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("check-your-email/", views.check_email, name="check_email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("get-updates/", views.updates, name="updates"),
]
