from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Add fictional demo content for a local instance. Each app may provide a demo module "
        "with a seed(stdout) function; running the command again adds nothing twice."
    )

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            try:
                demo = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                demo.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
