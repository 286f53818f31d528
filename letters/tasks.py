"""Background tasks of the network letter (run by `manage.py db_worker`)."""

from django.tasks import task

from letters import services


@task()
def send_batch(letter_id: int) -> int:
    """One batch of the letter, then the next (a task each, so a restart loses
    at most the batch in hand, and `resume_sending` picks it up again)."""
    sent = services.send_next_batch(letter_id=letter_id)
    if sent:
        send_batch.enqueue(letter_id)
    return sent
