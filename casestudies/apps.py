from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = "Case studies"

    def ready(self):
        # Connects the e-mails sent when a moderator decides.
        from casestudies import notifications  # noqa: F401
        from casestudies.search import PROVIDER
        from linkup.search import register

        register(PROVIDER)
