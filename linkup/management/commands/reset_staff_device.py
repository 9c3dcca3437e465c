from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from linkup.staff_auth import staff_device_reset


class Command(BaseCommand):
    help = (
        "Remove a member of staff's authenticator app and backup codes and sign them out "
        "everywhere. They set up a new authenticator at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist as error:
            raise CommandError(f"There is no account with the username {username!r}.") from error
        staff_device_reset(user=user, actor_label="manage.py reset_staff_device")
        self.stdout.write(
            f"Second factor reset for {username}: they set up an authenticator app at their next sign-in."
        )
