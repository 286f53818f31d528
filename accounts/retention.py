"""Retention: nothing personal is kept longer than NETVAERK_RETENTION says.
`manage.py purge_expired` queues accounts.tasks.purge_expired, which runs every
rule registered in accounts.extensions.retention; accounts' own rules are here."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from accounts.extensions import Retention, retention
from accounts.models import DataExport


def days(name: str) -> timedelta:
    return timedelta(days=settings.NETVAERK_RETENTION[name])


def purge_all(*, now=None) -> dict[str, int]:
    """Run every registered rule; ``{rule: rows touched}``."""
    now = now or timezone.now()
    return {rule.name: rule.purge(now=now) for rule in retention}


def purge_exports(*, now) -> int:
    """Exports go when their link expired, and a week after they were asked
    for whatever happened to them (downloaded, never built)."""
    expired = DataExport.objects.filter(
        models.Q(expires_at__lte=now) | models.Q(created_at__lte=now - days("exports_days"))
    )
    return expired.delete()[0]


def purge_sessions(*, now) -> int:
    """Expired sessions, as Django's clearsessions does."""
    from importlib import import_module

    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    return 0


def purge_rate_counts(*, now) -> int:
    """Rate-limit counts (keyed by member or IP address) once their window is
    over; the database cache's expired rows too (allauth counts by IP there)."""
    from netvaerk.models import RateCount

    removed = RateCount.objects.filter(expires_at__lt=now).delete()[0]
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("DatabaseCache"):
        table = connection.ops.quote_name(cache["LOCATION"])
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])  # noqa: S608
            removed += max(cursor.rowcount, 0)
    return removed


def purge_task_results(*, now) -> int:
    """Finished background task rows (they carry mail addresses and texts)."""
    from django_tasks_db.models import DBTaskResult

    finished = DBTaskResult.objects.filter(finished_at__lt=now - days("task_results_days"))
    return finished.delete()[0]


RULES = [
    Retention("accounts.exports", purge_exports, 10),
    Retention("accounts.sessions", purge_sessions, 10),
    Retention("accounts.rate_counts", purge_rate_counts, 10),
    Retention("accounts.task_results", purge_task_results, 90),
]
