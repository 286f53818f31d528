"""Demo history for the network health page: a year of answered questions whose
first replies come faster month by month, and flags handled along the way, so
that `make run` shows real curves."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from forum import services
from forum.models import Category, Thread, ThreadKind
from moderation.models import Flag, FlagReason

MARKER = " mdr. siden)"
TOPICS = [
    "kassesystem", "fakturaprogram", "revisor", "bankskifte", "forsikring", "hjemmeside",
    "lønsystem", "leasing af bil", "kontorfællesskab", "rykkerprocedure", "e-handel",
    "kundeportal",
]  # fmt: skip
PEOPLE = ["jonas", "camilla", "ahmed", "louise", "peter", "karen", "mikkel", "ida", "henrik"]
HELPERS = ["mette", "anne", "soeren", "nadia", "thomas"]


def _user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


@transaction.atomic
def seed() -> bool:
    """Create the history once. Returns whether anything was new."""
    if Thread.objects.filter(title__endswith=MARKER).exists():
        return False
    category = Category.objects.filter(slug="spoergsmaal-og-svar").first() or (
        Category.objects.order_by("position").first()
    )
    if category is None or not User.objects.filter(email=demo_email("mette")).exists():
        return False
    now = timezone.now()
    moderator = _user("lars")
    for months_ago in range(11, 0, -1):
        for n in range(3):
            index = months_ago * 3 + n
            asked = now - timedelta(days=30 * months_ago + 3 + 7 * n, hours=n)
            author = _user(PEOPLE[index % len(PEOPLE)])
            topic = TOPICS[(index + n) % len(TOPICS)]
            thread = services.start_thread(
                category=category,
                author=author,
                title=f"Hvem bruger I til {topic}? ({months_ago}{MARKER}",
                kind=ThreadKind.QUESTION,
                body="Hvad har I gode og dårlige erfaringer med? Jeg skal vælge inden længe.",
                created_at=asked,
            )
            if n == 2 and months_ago > 8:
                continue  # a few old questions never got an answer
            # Older questions waited longer: from about two days down to a few hours.
            wait = timedelta(hours=(2 + months_ago * 3) * (1 + n))
            reply = services.post_reply(
                thread=thread,
                author=_user(HELPERS[index % len(HELPERS)]),
                body="Vi har gode erfaringer – skriv endelig, så fortæller jeg mere.",
                created_at=asked + wait,
            )
            Thread.objects.filter(pk=thread.pk).update(
                first_reply_at=asked + wait, last_posted_at=asked + wait
            )
            if n == 0:
                services.accept_answer(thread=thread, post=reply)
            if n == 1:
                Flag.objects.create(
                    post=reply,
                    flagger=author,
                    reason=FlagReason.OFF_TOPIC,
                    created_at=asked + wait + timedelta(hours=1),
                    resolved_at=asked + wait + timedelta(hours=1 + months_ago * 2),
                    resolved_by=moderator,
                    outcome="dismissed",
                )
    return True
