"""Background tasks of the duty rota (run by `manage.py db_worker`)."""

from datetime import datetime

from django.tasks import task

from duties import services


@task()
def notify_slot_start(slot_id: int, member_id: int, starts_at: str) -> bool:
    """Queued for the slot's start when a member takes or is handed it."""
    return services.send_start_notice(
        slot_id=slot_id, member_id=member_id, starts_at=datetime.fromisoformat(starts_at)
    )
