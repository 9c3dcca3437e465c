from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from directory import freshness
from directory.models import searchword_refresh


class Command(BaseCommand):
    help = (
        "Ask listed people to confirm their details after a year, and hide listings not confirmed "
        "for 18 months. Safe to run daily: each reminder is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--remind-after-days", type=int, default=None)
        parser.add_argument("--hide-after-days", type=int, default=None)

    def handle(self, *args, remind_after_days=None, hide_after_days=None, **options):
        remind = settings.DIRECTORY_REMIND_AFTER_DAYS if remind_after_days is None else remind_after_days
        hide = settings.DIRECTORY_HIDE_AFTER_DAYS if hide_after_days is None else hide_after_days
        if remind <= 0 or hide <= 0:
            raise CommandError("Days must be more than 0.")
        if hide <= remind:
            raise CommandError(
                f"Listings would be hidden ({hide} days) before anyone is reminded ({remind} days): "
                "the days to hide after must be more than the days to remind after."
            )
        hidden = freshness.listings_hide_stale(days=hide)
        sent = freshness.listings_remind(days=remind, hide_days=hide)
        # The typo vocabulary: drop the words of hidden or withdrawn listings, recount the rest.
        searchword_refresh()
        self.stdout.write(
            f"Sent {sent} reminder{pluralize(sent)}; hid {hidden} listing{pluralize(hidden)} "
            f"not confirmed for {hide} day{pluralize(hide)}."
        )
