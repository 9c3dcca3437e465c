from django.apps import AppConfig


class LinkupConfig(AppConfig):
    name = "linkup"
    verbose_name = "Reference data"
    default_auto_field = "django.db.models.BigAutoField"
