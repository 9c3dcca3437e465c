from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "E-mail alerts"

    def ready(self):
        from alerts.digests import case_study_decided
        from casestudies.models import CaseStudy
        from linkup.moderation import moderation_decided

        # A case study just published goes at once to those who asked for that.
        moderation_decided.connect(case_study_decided, sender=CaseStudy, dispatch_uid="alerts.published")
