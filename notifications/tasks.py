"""Background tasks of the notifications (run by `manage.py db_worker`)."""

from django.tasks import task

from notifications import digest, services


@task()
def send_daily_digests() -> int:
    return services.send_daily_digests()


@task()
def send_digests() -> int:
    """The personal digests due now, then the daily notification summaries
    (in that order: a member never gets both the same day)."""
    return digest.send_personal_digests() + services.send_daily_digests()


@task()
def email_notifications(notification_ids: list[int]) -> int:
    return services.email_notifications(notification_ids=notification_ids)
