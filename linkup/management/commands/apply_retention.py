from django.core.management.base import BaseCommand

from linkup.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Remove or anonymise personal data past its period in the retention schedule "
        "(linkup/retention.py). Safe to run daily from cron: a second run does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="Rows per transaction.")

    def handle(self, *args, batch_size=None, **options):
        counts = retention_apply(batch_size=batch_size)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
