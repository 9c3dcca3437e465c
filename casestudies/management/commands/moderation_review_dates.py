from django.core.management.base import BaseCommand

from casestudies.review import case_studies_review


class Command(BaseCommand):
    help = (
        "Ask the submitter and the taskforce about each published case study coming up for review, "
        "and update the pages of those past their review date. Run daily."
    )

    def handle(self, *args, **options):
        done = case_studies_review()
        self.stdout.write(
            f"Asked about {done['asked']} case stud{'y' if done['asked'] == 1 else 'ies'}; "
            f"{done['lapsed']} recently past the review date."
        )
