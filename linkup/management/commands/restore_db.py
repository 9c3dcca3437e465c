import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linkup import backup


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by backup_db. Stop the portal first."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, file, yes, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        if not yes:
            answer = input("This replaces everything in the database. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Nothing was changed.")
        try:
            backup.restore(file)
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_restore failed: {error.stderr.decode(errors='replace')}") from error
        self.stdout.write(self.style.SUCCESS(f"Restored the database from {file}."))
