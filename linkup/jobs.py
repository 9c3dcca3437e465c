"""The portal's scheduled jobs, and the one list of them: the module the job
queue's workers import (``PROCRASTINATE_IMPORT_PATHS``).

Each scheduled job is a procrastinate periodic task that runs the same code
as its management command (kept for running by hand). Every worker runs the
periodic deferrer, and the queue records each period's job once, so a job
runs once per period however many workers there are; its queueing lock also
keeps a second one from waiting while the first has not run. Times are UTC.

E-mail jobs are declared with ``email_send`` in ``linkup/notifications.py``.

Workers run with ``manage.py worker``: procrastinate's worker on a connection
that waits out a database restart (``ReconnectingConnector``), so a worker
outlives the database going away and carries on when it is back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import psycopg
from asgiref.sync import sync_to_async
from django.core.management import call_command
from django.db import transaction
from django.utils.module_loading import import_string
from procrastinate import PsycopgConnector, exceptions, utils
from procrastinate.contrib.django import app
from procrastinate.tasks import configure_task

from linkup import notifications  # declares the e-mail job the workers run

SCHEDULED_QUEUE = "scheduled"


@dataclass(frozen=True)
class ScheduledJob:
    """One periodic job: what it runs is a management command (``command``,
    with ``args``) or a function taking no arguments (``function``, a dotted
    path)."""

    name: str
    cron: str
    description: str
    command: str = ""
    args: tuple[str, ...] = ()
    function: str = ""

    def run(self) -> None:
        if self.command:
            call_command(self.command, *self.args)
        else:
            import_string(self.function)()


# The one list of scheduled jobs: a name, a cron line (UTC) and what it runs.
SCHEDULE: list[ScheduledJob] = [
    ScheduledJob(
        "directory_freshness",
        "15 6 * * *",
        "Remind and hide unconfirmed listings",
        command="directory_freshness",
    ),
    ScheduledJob(
        "moderation_review_dates",
        "20 6 * * *",
        "Ask about published case studies coming up for review",
        command="moderation_review_dates",
    ),
    ScheduledJob(
        "alerts_daily",
        "0 7 * * *",
        "Send the daily e-mail alerts",
        command="send_alerts",
        args=("--frequency", "daily"),
    ),
    ScheduledJob(
        "alerts_weekly",
        "30 7 * * 1",
        "Send the weekly e-mail alerts",
        command="send_alerts",
        args=("--frequency", "weekly"),
    ),
    ScheduledJob(
        "alerts_immediate",
        "10 * * * *",
        "Catch up on alerts the moment of publishing could not send",
        command="send_alerts",
        args=("--frequency", "immediate"),
    ),
    ScheduledJob(
        "moderation_reminder",
        "30 8 * * 1-5",
        "Tell the taskforce what awaits review",
        command="moderation_reminder",
    ),
    ScheduledJob("backup_db", "0 2 * * *", "Back up the database", command="backup_db"),
    ScheduledJob(
        "apply_retention",
        "45 3 * * *",
        "Apply the retention schedule, sessions and rate-limit counters included",
        command="apply_retention",
    ),
]


def scheduled_task(job: ScheduledJob):
    async def run(timestamp: int) -> None:
        # In Django's thread-sensitive executor, like the e-mail job: all the
        # worker's Django work shares one thread and its connection.
        await sync_to_async(job.run, thread_sensitive=True)()

    run.__doc__ = job.description
    task = app.task(name=job.name, queue=SCHEDULED_QUEUE, queueing_lock=job.name, pass_context=False)(run)
    return app.periodic(cron=job.cron, periodic_id=job.name)(task)


TASKS = {job.name: scheduled_task(job) for job in SCHEDULE}


def scheduled_job_queue(*, name: str) -> bool:
    """Queue the scheduled job ``name`` to run now, besides its schedule (staff
    asking for it in admin). False when one is already waiting: its queueing
    lock allows one at a time."""
    deferrer = configure_task(
        name=name, job_manager=notifications.in_transaction, queue=SCHEDULED_QUEUE, queueing_lock=name
    )
    try:
        with transaction.atomic():
            deferrer.defer(timestamp=int(time.time()))
    except exceptions.AlreadyEnqueued:
        return False
    return True


logger = logging.getLogger(__name__)

RECONNECT_SECONDS = 1.0


def lost_connection(error: BaseException) -> bool:
    """A failure of the connection (the server stopped, restarting or out of
    reach), as opposed to an error in the query."""
    return any(isinstance(cause, psycopg.OperationalError) for cause in utils.causes(error))


class ReconnectingConnector(PsycopgConnector):
    """procrastinate's connector for workers, which waits for the database
    when the connection is lost instead of stopping the worker: each query is
    tried again once a second (its transaction was rolled back with the
    connection), and the listener for new jobs starts again."""

    async def until_reachable(self, run, query, **arguments):
        while True:
            try:
                return await run(query, **arguments)
            except exceptions.ConnectorException as error:
                if not lost_connection(error):
                    raise
                logger.warning("The job queue lost its database connection; trying again")
                await asyncio.sleep(RECONNECT_SECONDS)

    async def execute_query_async(self, query, **arguments):
        return await self.until_reachable(super().execute_query_async, query, **arguments)

    async def execute_query_one_async(self, query, **arguments):
        return await self.until_reachable(super().execute_query_one_async, query, **arguments)

    async def execute_query_all_async(self, query, **arguments):
        return await self.until_reachable(super().execute_query_all_async, query, **arguments)

    async def listen_notify(self, on_notification, channels):
        while True:
            try:
                return await super().listen_notify(on_notification, channels)
            except exceptions.ConnectorException as error:
                if not lost_connection(error):
                    raise
                logger.warning("The job queue lost its listening connection; trying again")
                await asyncio.sleep(RECONNECT_SECONDS)
