"""The periodic jobs, for cron or a systemd timer (deploy/netvaerk-*.timer).

    manage.py run_periodic daily     # daily summaries by mail
    manage.py run_periodic cleanup   # old task rows, expired sessions and rate counts
    manage.py run_periodic counters  # thread views and failed searches gathered in the cache

Each job runs in this process under a lock shared by every server (the cache),
so two timers firing at once on two machines, or a run that overlaps the last,
do the work once: the second caller says so and exits 0. The jobs themselves
are safe to repeat (a summary marks what it mailed; cleanup deletes only what
has expired). Reminders, a duty slot's start and a tentative meetup's decision
are not here: they are tasks enqueued with a due time that the worker runs.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from netvaerk.locks import exclusive
from notifications import services as notification_services

LOCK_SECONDS = 3600


def run_daily(command: BaseCommand) -> None:
    sent = notification_services.send_daily_digests()
    command.stdout.write(f"Sent {sent} daily summaries.")


def run_cleanup(command: BaseCommand) -> None:
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        call_command("prune_db_task_results", min_age_days=14, verbosity=0)
    sessions, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM netvaerk_ratecount WHERE expires_at < %s", [datetime.now(tz=UTC)]
        )
        counts = cursor.rowcount
    command.stdout.write(
        f"Pruned task results older than 14 days, {sessions} expired sessions, "
        f"{counts} expired rate counts."
    )


def run_counters(command: BaseCommand) -> None:
    from forum.search import flush_failed_searches
    from forum.services import flush_view_counts

    views = flush_view_counts()
    failed = flush_failed_searches()
    command.stdout.write(f"Wrote {views} thread views and {failed} failed searches.")


LOCK_TIMEOUTS = {"counters": 300}  # a run killed midway blocks the next for at most this
JOBS = {"daily": run_daily, "cleanup": run_cleanup, "counters": run_counters}


class Command(BaseCommand):
    help = "Run a periodic job (daily, cleanup, counters) once, even when started twice at once."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS))

    def handle(self, *args, job, **options):
        with exclusive(f"periodic:{job}", timeout=LOCK_TIMEOUTS.get(job, LOCK_SECONDS)) as mine:
            if not mine:
                self.stdout.write(f"Job {job} is already running elsewhere; nothing to do.")
                return
            JOBS[job](self)
