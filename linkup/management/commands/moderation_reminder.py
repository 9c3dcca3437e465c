from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.defaultfilters import pluralize
from django.utils import timezone

from linkup.moderation import moderation_queue, working_days_waiting
from linkup.notifications import email_send


class Command(BaseCommand):
    help = (
        "E-mail the taskforce how many submissions await review and how old the oldest is. "
        "Safe to run daily from cron; sends nothing when the queue is empty."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        waiting = [
            {"line": self.line(row, now), "overdue": [self.overdue_line(obj) for obj in row["overdue"]]}
            for row in moderation_queue()
            if row["count"]
        ]
        if not waiting:
            self.stdout.write("Nothing awaits review.")
            return
        queued = email_send(
            template="admin/moderation/reminder_email.txt",
            to=settings.TASKFORCE_EMAIL,
            context={
                "waiting": waiting,
                "target": settings.MODERATION_TARGET_WORKING_DAYS,
                "admin_url": f"{settings.SITE_URL}/{settings.ADMIN_PATH}/",
            },
            log_as="moderation reminder",
        )
        lines = "; ".join(row["line"] for row in waiting)
        if queued:
            self.stdout.write(f"Reminder queued: {lines}")
        else:
            self.stderr.write(f"The reminder could not be queued (no TASKFORCE_EMAIL): {lines}")

    @staticmethod
    def overdue_line(obj) -> str:
        days = working_days_waiting(obj)
        return f"{obj.reference}: {obj} (waiting {days} working days)"

    @staticmethod
    def line(row: dict, now) -> str:
        opts = row["model"]._meta
        days = (now - row["oldest"]).days if row["oldest"] else 0
        noun = opts.verbose_name if row["count"] == 1 else opts.verbose_name_plural
        return f"{row['count']} {noun} (the oldest waiting {days} day{pluralize(days)})"
