from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from linkup.search import register

        from . import signals  # noqa: F401
        from .search import PROVIDER

        register(PROVIDER)
