import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linkup import backup


class Command(BaseCommand):
    help = "Write a backup of the database (pg_dump custom format). Restore it with restore_db."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="File to write (default: var/backups/linkup-<date-time>.dump)."
        )

    def handle(self, *args, output, **options):
        from django.conf import settings

        if output is None:
            output = settings.VAR_DIR / "backups" / f"linkup-{timezone.now():%Y%m%d-%H%M%S}.dump"
        output.parent.mkdir(parents=True, exist_ok=True)
        try:
            backup.backup(output)
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_dump failed: {error.stderr.decode(errors='replace')}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {output} ({output.stat().st_size:,} bytes).")
        )
