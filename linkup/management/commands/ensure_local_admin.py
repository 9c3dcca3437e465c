import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = settings.VAR_DIR / "local-admin-password"


class Command(BaseCommand):
    help = (
        "On a local instance, make sure there is a way into admin: create the superuser "
        "'admin' once with a generated password, kept in var/local-admin-password."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Use 'manage.py createsuperuser' in production.")
        User = get_user_model()
        admin_url = f"{settings.SITE_URL}/{settings.ADMIN_PATH}/"
        if not User.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(18)
            User.objects.create_superuser(username="admin", email="", password=password)
            PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        self.stdout.write(f"Admin: {admin_url}")
        if PASSWORD_FILE.exists() and User.objects.filter(username="admin", is_superuser=True).exists():
            password = PASSWORD_FILE.read_text().strip()
            self.stdout.write(f"  Username: admin   Password: {password}")
            self.stdout.write(f"  (kept in var/{PASSWORD_FILE.name}; this local instance only)")
            self.stdout.write(
                "  At the first sign-in you set up an authenticator app (scan the QR code shown) "
                "and save your backup codes;"
            )
            self.stdout.write("  to start that again: manage.py reset_staff_device admin")
        else:
            self.stdout.write(
                "  Sign in with your superuser and a code from your authenticator app; reset a password "
                "with 'manage.py changepassword <username>', a lost authenticator with "
                "'manage.py reset_staff_device <username>'."
            )
