"""The help relay in the demo network (for `manage.py seed_demo`): members who
want to be asked, and Louise's unanswered VAT question already relayed to them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from forum import services as forum_services
from forum.models import Category, Post, Thread
from notifications import services as notifications
from relay.models import RelayProgress, RelayRequest, Step
from relay.services import ASK_KIND, relay_candidates

HELPERS = {"mette": 3, "maja": 2, "peter": 3, "jonas": 1, "lars": 2}
TITLE = "Moms ved salg til Norge?"


@transaction.atomic
def seed() -> bool:
    if RelayRequest.objects.exists() or not Category.objects.exists():
        return False
    for local, cap in HELPERS.items():
        User.objects.filter(email=demo_email(local)).update(
            help_requests=True, help_requests_per_week=cap
        )
    louise = User.objects.filter(email=demo_email("louise")).first()
    if louise is None:
        return False
    category = Category.objects.order_by("position", "pk").first()
    thread = forum_services.start_thread(
        category=category,
        author=louise,
        title=TITLE,
        kind="question",
        body="Jeg har fået min første kunde i Norge. Skal jeg lægge dansk moms på fakturaen, "
        "og hvad med told og VAT på den norske side?",
        tags=["moms", "eksport"],
    )
    asked_at = timezone.now() - timedelta(hours=1)
    started = asked_at - timedelta(hours=3)
    Thread.objects.filter(pk=thread.pk).update(created_at=started, last_posted_at=started)
    Post.objects.filter(thread=thread).update(created_at=started)
    members, _ = relay_candidates(thread)
    RelayRequest.objects.bulk_create(
        RelayRequest(thread=thread, member=m, step=Step.RELAY, asked_at=asked_at) for m in members
    )
    RelayProgress.objects.create(thread=thread, step=1, topic="moms", updated_at=asked_at)
    notifications.create(recipients={m.pk: ASK_KIND for m in members}, subject=thread, actor=louise)
    return True
