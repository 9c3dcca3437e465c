"""Send the e-mail alerts due for one frequency: the daily or weekly digest,
or a catch-up of "as soon as published" alerts."""

from django.core.management.base import BaseCommand

from alerts.digests import alerts_send_digest
from alerts.models import Frequency


class Command(BaseCommand):
    help = "Send the e-mail alerts of one frequency (a digest of what is new and not yet sent)."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", required=True, choices=Frequency.values)

    def handle(self, *args, frequency, **options):
        sent = alerts_send_digest(frequency=frequency)
        self.stdout.write(f"{sent} alert e-mail{'' if sent == 1 else 's'} sent ({frequency}).")
