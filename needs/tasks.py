"""Background tasks of the needs board (run by `manage.py db_worker`)."""

from django.tasks import task

from needs import services


@task()
def ask_follow_up(meetup_id: int) -> int:
    """Queued for an hour after a meetup planned from a need has ended."""
    return services.ask_follow_up(meetup_id=meetup_id)
