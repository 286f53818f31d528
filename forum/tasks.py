"""Background tasks of the forum (run by `manage.py db_worker`)."""

from django.tasks import task

from forum import notifications


@task()
def deliver_post_notifications(post_id: int) -> int:
    return len(notifications.notify_about_post(post_id=post_id))
