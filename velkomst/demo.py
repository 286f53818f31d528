"""The newcomer path and closing the loop in the demo network (`manage.py seed_demo`):
introductions in "Præsentation", a welcomed newcomer, outcome notes on solved questions."""

from django.db import transaction

from accounts.demo import demo_email
from accounts.models import User
from forum import services as forum_services
from forum.models import Category, Thread
from velkomst.models import Welcome

INTRODUCTIONS = [
    ("ida", "Hej fra Ida", "Hej allesammen! Jeg er Ida og har lige startet min egen "
     "grafiske virksomhed. Jeg leder efter gode råd om de første kunder.",
     [("anne", "Velkommen, Ida! Kig forbi månedsmødet, så hilser vi på dig.")]),
]  # fmt: skip

OUTCOME = (
    "Jeg fulgte rådet og fik det på plads. Tak for hjælpen – det tog kortere tid, end jeg frygtede."
)


def _user(local: str) -> User | None:
    return User.objects.filter(email=demo_email(local)).first()


@transaction.atomic
def seed() -> bool:
    """Once: introductions, a greeter for the newest member and outcomes on the
    first solved questions. Returns whether anything was new."""
    if Welcome.objects.exists():
        return False
    category = Category.objects.filter(slug="praesentation").first()
    if category is not None:
        for author, title, body, replies in INTRODUCTIONS:
            if (member := _user(author)) is None:
                continue
            thread = forum_services.start_thread(
                category=category, author=member, title=title, kind="discussion", body=body
            )
            for replier, text in replies:
                if (other := _user(replier)) is not None:
                    forum_services.post_reply(thread=thread, author=other, body=text)
    newcomer = _user("ida")
    if newcomer is not None:
        Welcome.objects.create(member=newcomer, greeter=_user("anne"))
    for thread in Thread.objects.filter(accepted_post__isnull=False, outcome="").order_by("pk")[:2]:
        forum_services.write_outcome(thread=thread, text=OUTCOME)
    return True
