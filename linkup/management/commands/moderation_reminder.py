from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone

from linkup.moderation import moderation_queue


class Command(BaseCommand):
    help = (
        "E-mail the taskforce how many submissions await review and how old the oldest is. "
        "Safe to run daily from cron; sends nothing when the queue is empty."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        lines = [
            f"- {row['count']} {self.noun(row['model'], row['count'])} "
            f"(the oldest waiting {(now - row['oldest']).days if row['oldest'] else 0} days)"
            for row in moderation_queue()
            if row["count"]
        ]
        if not lines:
            self.stdout.write("Nothing awaits review.")
            return
        body = (
            "These submissions are waiting for a moderator:\n\n"
            + "\n".join(lines)
            + f"\n\nReview them in admin: {settings.SITE_URL}/{settings.ADMIN_PATH}/\n"
        )
        send_mail("Submissions waiting for review", body, None, [settings.TASKFORCE_EMAIL])
        self.stdout.write(f"Reminder sent: {'; '.join(lines)}")

    @staticmethod
    def noun(model, count: int) -> str:
        return str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural)
