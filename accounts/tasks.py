"""Background tasks of accounts (run by `manage.py db_worker`)."""

from django.tasks import task

from accounts import privacy


@task()
def build_export(export_id: int) -> bool:
    """Queued when a member (or a leader for them) asks for their data."""
    return privacy.build_export(export_id=export_id)


@task()
def purge_expired() -> dict[str, int]:
    """Queued once a day by `manage.py purge_expired` (cron or a systemd timer)."""
    from accounts.retention import purge_all

    return purge_all()
