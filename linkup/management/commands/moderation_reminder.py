from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone

from linkup.moderation import Moderated


def moderation_queue() -> list[dict]:
    """What awaits review, per kind of record: how many and how old the oldest is."""
    queue = []
    for model in apps.get_models():
        if not issubclass(model, Moderated):
            continue
        waiting = model.objects.awaiting_review()
        count = waiting.count()
        if count:
            oldest = waiting.order_by("submitted_at").values_list("submitted_at", flat=True).first()
            queue.append(
                {
                    "name": model._meta.verbose_name_plural,
                    "count": count,
                    "oldest_days": (timezone.now() - oldest).days if oldest else 0,
                }
            )
    return queue


class Command(BaseCommand):
    help = (
        "E-mail the taskforce how many submissions await review and how old the oldest is. "
        "Safe to run daily from cron; sends nothing when the queue is empty."
    )

    def handle(self, *args, **options):
        queue = moderation_queue()
        if not queue:
            self.stdout.write("Nothing awaits review.")
            return
        lines = [
            f"- {item['count']} {item['name']} (the oldest waiting {item['oldest_days']} days)"
            for item in queue
        ]
        body = (
            "These submissions are waiting for a moderator:\n\n"
            + "\n".join(lines)
            + f"\n\nReview them in admin: {settings.SITE_URL}/{settings.ADMIN_PATH}/\n"
        )
        send_mail("Submissions waiting for review", body, None, [settings.TASKFORCE_EMAIL])
        self.stdout.write(f"Reminder sent: {'; '.join(lines)}")
