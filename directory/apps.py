from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Directory"

    def ready(self):
        from linkup.search import register

        # services connects the e-mails sent when a moderator decides.
        from . import services, signals  # noqa: F401
        from .search import PROVIDER

        register(PROVIDER)
