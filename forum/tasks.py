"""Background tasks of the forum (run by `manage.py db_worker`)."""

from django.tasks import task

from forum import notifications


@task()
def deliver_post_notifications(post_id: int) -> int:
    return len(notifications.notify_about_post(post_id=post_id))


@task()
def send_daily_digests() -> int:
    return notifications.send_daily_digests()


@task()
def email_notifications(notification_ids: list[int]) -> None:
    notifications.email_notifications(notification_ids=notification_ids)
