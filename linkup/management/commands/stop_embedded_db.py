from django.core.management.base import BaseCommand

from linkup import embedded_db


class Command(BaseCommand):
    help = "Stop the embedded PostgreSQL server that runs when DATABASE_URL is not set."
    # Stopping the database must not need a database connection first.
    requires_system_checks = []

    def handle(self, *args, **options):
        if embedded_db.stop():
            self.stdout.write(self.style.SUCCESS("Stopped the embedded PostgreSQL server."))
        else:
            self.stdout.write("The embedded PostgreSQL server was not running.")
