"""The periodic jobs, for cron or a systemd timer (deploy/netvaerk-*.timer).

    manage.py run_periodic daily     # daily summaries by mail, knowledge card reminders
    manage.py run_periodic cleanup   # old task rows, expired sessions and rate counts,
                                     # expired counter files, the search index merged (SQLite)
    manage.py run_periodic mail      # replies by e-mail (fetch_mail), every few minutes
    manage.py run_periodic relay     # the help relay: unanswered questions (every 10 minutes)
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
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from forum.search.index import tidy_index
from kaffe import services as coffee_services
from letters import services as letter_services
from mailin.fetch import fetch as fetch_mail
from netvaerk.locks import exclusive
from notifications import services as notification_services
from velkomst import services as welcome_services
from viden import services as viden_services

LOCK_SECONDS = 3600


def run_daily(command: BaseCommand) -> None:
    sent = notification_services.send_daily_digests()
    command.stdout.write(f"Sent {sent} daily summaries.")
    checkins = welcome_services.send_checkins()
    command.stdout.write(f"Sent {checkins} newcomer check-in mails.")
    coffee = coffee_services.run_due()  # the month's coffee pairs, once a month
    if coffee is not None:
        command.stdout.write(f"Paired {coffee.paired} of {coffee.signed_up} for coffee.")
    reminded = viden_services.send_review_reminders()
    command.stdout.write(f"Reminded owners of {reminded} knowledge cards due for review.")
    resumed = letter_services.resume_sending()
    command.stdout.write(f"Resumed sending {resumed} network letters.")


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
    counters_cache = caches["counters"]
    if hasattr(counters_cache, "purge_expired"):  # files (no Redis)
        removed = counters_cache.purge_expired()
        command.stdout.write(f"Removed {removed} expired counter files.")
    if tidy_index():
        command.stdout.write("Merged the search index's segments.")


def run_mail(command: BaseCommand) -> None:
    if not settings.NETVAERK_REPLY_DOMAIN:
        command.stdout.write("Reply by e-mail is off (NETVAERK_REPLY_DOMAIN is empty).")
        return
    counts = fetch_mail(delete=None)
    command.stdout.write(f"Processed {sum(counts.values())} incoming mails.")


def run_relay(command: BaseCommand) -> None:
    from relay.services import run_relay as relay

    result = relay() or {"asked": 0, "answered": 0}
    command.stdout.write(
        f"Asked {result['asked']} members about unanswered questions; "
        f"{result['answered']} earlier requests answered."
    )


def run_counters(command: BaseCommand) -> None:
    from forum.search import flush_failed_searches
    from forum.services import flush_view_counts

    views = flush_view_counts()
    failed = flush_failed_searches()
    command.stdout.write(f"Wrote {views} thread views and {failed} failed searches.")


LOCK_TIMEOUTS = {"counters": 300}  # a run killed midway blocks the next for at most this
JOBS = {
    "daily": run_daily,
    "cleanup": run_cleanup,
    "mail": run_mail,
    "relay": run_relay,
    "counters": run_counters,
}


class Command(BaseCommand):
    help = (
        "Run a periodic job (daily, cleanup, mail, relay, counters) once, "
        "even when started twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS))

    def handle(self, *args, job, **options):
        with exclusive(f"periodic:{job}", timeout=LOCK_TIMEOUTS.get(job, LOCK_SECONDS)) as mine:
            if not mine:
                self.stdout.write(f"Job {job} is already running elsewhere; nothing to do.")
                return
            JOBS[job](self)
