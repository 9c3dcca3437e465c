from django.apps import AppConfig


class ToolkitConfig(AppConfig):
    name = "toolkit"
    verbose_name = "Toolkit"

    def ready(self):
        from linkup.search import register
        from toolkit.search import PROVIDER

        register(PROVIDER)
