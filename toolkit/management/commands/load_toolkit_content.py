from django.core.management.base import BaseCommand, CommandError

from toolkit.content_loader import ContentError, toolkit_content_load


class Command(BaseCommand):
    help = (
        "Add the toolkit pages and finder answers in toolkit/content/ that the database does not have yet. "
        "Pages already there are left as staff edited them, so running it again is safe."
    )

    def handle(self, *args, **options):
        try:
            added = toolkit_content_load()
        except ContentError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{kind} {number}" for kind, number in added.items())
        self.stdout.write(f"Toolkit content added: {counts}.")
