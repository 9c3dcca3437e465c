"""Import directory listings from a CSV file. See directory/importing.py
for the header; the README has an example."""

import csv

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from directory.importing import (
    HEADER,
    RowRules,
    batches,
    import_record_audit,
    listings_upsert,
    places_map,
    repeated_emails,
    validate_row,
)
from directory.models import searchword_refresh


class Command(BaseCommand):
    help = (
        "Import directory listings from a CSV file with the header: " + ",".join(HEADER) + ". "
        "Rows are matched to existing listings by e-mail address. Imported listings are published "
        "and marked confirmed unless --pending is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row; change nothing.")
        parser.add_argument("--pending", action="store_true", help="Send listings to moderation instead.")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, file, dry_run, pending, batch_size, **options):
        try:
            handle = open(file, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot open {file}: {error.strerror}") from error
        with handle:
            reader = csv.DictReader(handle)
            try:
                fieldnames = reader.fieldnames or []
                missing = [name for name in HEADER if name not in fieldnames]
                if missing:
                    raise CommandError(
                        f"The header is missing: {', '.join(missing)}. Expected: {','.join(HEADER)}"
                    )
                rows = list(reader)
            except (UnicodeDecodeError, csv.Error) as error:
                raise CommandError(f"The file is not valid UTF-8 CSV: {error}") from error
            rules = RowRules()
            errors, valid, created, updated, seen = [], [], 0, 0, 0
        total = len(rows)
        for number, raw in enumerate(rows, start=2):  # row 1 is the header
            clean, row_errors = validate_row(raw, number, rules)
            errors.extend(row_errors)
            if clean:
                valid.append(clean)
        valid, repeated = repeated_emails(valid)
        errors = sorted([*errors, *repeated], key=lambda error: error.row)
        for error in errors:
            self.stderr.write(str(error))
        if dry_run:
            refused = total - len(valid)
            self.stdout.write(
                f"Dry run: {len(valid)} of {total} row{pluralize(total)} {pluralize(len(valid), 'is,are')} "
                f"valid, {refused} {pluralize(refused, 'has,have')} errors. Nothing was changed."
            )
            return
        places = places_map()
        skipped = []
        for batch in batches(valid, batch_size):
            result = listings_upsert(rows=batch, publish=not pending, places=places)
            created += result.created
            updated += result.updated
            skipped += result.skipped
            seen += len(batch)
            self._progress(seen, len(valid))
        if skipped:
            self.stdout.write("")
        for error in skipped:
            self.stderr.write(str(error))
        # The import's writes send no model signals, so nothing else
        # brings the new words into the vocabulary.
        searchword_refresh()
        import_record_audit(
            created=created, updated=updated, refused=total - len(valid), skipped=len(skipped)
        )
        refused = total - len(valid)
        summary = (
            f"\nImported {created} new listing{pluralize(created)} and updated {updated} existing "
            f"listing{pluralize(updated)}; "
            f"{refused} row{pluralize(refused)} had errors and {pluralize(refused, 'was,were')} skipped."
        )
        if skipped:
            were = pluralize(len(skipped), "was,were")
            summary += (
                f" {len(skipped)} row{pluralize(len(skipped))} {were} for listings that were withdrawn, "
                f"rejected or waiting for a moderator's decision, and {were} skipped."
            )
        self.stdout.write(summary)

    def _progress(self, done, total):
        width = 30
        filled = int(width * done / total) if total else width
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush()
