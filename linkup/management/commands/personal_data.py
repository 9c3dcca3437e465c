from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from linkup.personal_data import personal_data_erase, personal_data_export, personal_data_find

ACTOR = "Command line"


class Command(BaseCommand):
    help = (
        "Answer a person's request about their personal data: search shows what is held for "
        "an e-mail address, export writes it as JSON or a readable summary, erase removes or "
        "anonymises it (after asking, unless --yes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["search", "export", "erase"])
        parser.add_argument("email")
        parser.add_argument("--format", choices=["json", "text"], default="json", help="For export.")
        parser.add_argument("--output", help="For export: write to this file rather than the screen.")
        parser.add_argument("--yes", action="store_true", help="For erase: do not ask first.")

    def handle(self, *args, action, email, **options):
        try:
            validate_email(email.strip())
        except ValidationError as error:
            raise CommandError(
                "Enter an e-mail address in the correct format, like name@example.com"
            ) from error
        if action == "search":
            self.stdout.write(personal_data_find(email=email).as_text())
        elif action == "export":
            found = personal_data_export(email=email, actor_label=ACTOR)
            exported = found.as_text() if options["format"] == "text" else found.as_json()
            if options["output"]:
                Path(options["output"]).write_text(exported + "\n", encoding="utf-8")
                self.stdout.write(f"{found.total} records written to {options['output']}")
            else:
                self.stdout.write(exported)
        else:
            self._erase(email, ask=not options["yes"])

    def _erase(self, email, *, ask):
        found = personal_data_find(email=email)
        if not found.total:
            self.stdout.write(f"Nothing is held for {found.email}.")
            return
        self.stdout.write(f"Erasing the data held for {found.email} will do this:")
        for what, happens in found.erasure_plan():
            self.stdout.write(f"- {what}: {happens}")
        if ask and input("Type yes to erase it: ").strip().lower() != "yes":
            raise CommandError("Nothing was erased.")
        total = personal_data_erase(email=email, actor_label=ACTOR)
        self.stdout.write(
            f"{total} records erased or anonymised. The request is recorded in the audit trail."
        )
