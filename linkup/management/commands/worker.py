import asyncio

from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app
from procrastinate.contrib.django.utils import connector_params

from linkup.jobs import ReconnectingConnector


class Command(BaseCommand):
    help = (
        "Run a job queue worker: it sends every e-mail and runs the scheduled jobs (linkup/jobs.py). "
        "Run as many as needed, on any servers; each waits out a database restart. Stop with Ctrl+C "
        "or SIGTERM: the job in hand finishes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues", help="Only this queue (repeatable).")
        parser.add_argument("--name", default=None, help="The worker's name in its log lines.")

    def handle(self, *args, queues=None, name=None, **options):
        connector = ReconnectingConnector(kwargs=connector_params(app.connector.alias))
        with app.replace_connector(connector):
            asyncio.run(self.run(queues=queues, name=name))

    @staticmethod
    async def run(**worker_options):
        options = {key: value for key, value in worker_options.items() if value}
        async with app.open_async():
            await app.run_worker_async(**options)
