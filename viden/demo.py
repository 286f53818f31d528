"""A few knowledge cards for the demo network (for `manage.py seed_demo`),
made from its solved threads; one is overdue for review."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from forum.models import Thread
from viden import services
from viden.models import Card, CardSource


@transaction.atomic
def seed() -> bool:
    if Card.objects.exists():
        return False
    threads = list(
        Thread.objects.solved()
        .filter(state="published")
        .select_related("accepted_post", "author", "category")
        .prefetch_related("tags")
        .order_by("pk")[:3]
    )
    for n, thread in enumerate(threads):
        if CardSource.objects.filter(thread=thread).exists():
            continue
        draft = services.prefill(thread)
        card = services.create_card(
            thread=thread,
            author=thread.author,
            title=draft["title"],
            body=draft["body"] or thread.title,
            tags_text=draft["tags_text"],
        )
        if n == 0:
            Card.objects.filter(pk=card.pk).update(
                review_by=timezone.localdate() - timedelta(days=10)
            )
    return bool(threads)
