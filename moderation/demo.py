"""Moderation demo data (used by `manage.py seed_demo`): a flagged post, a
new member's post awaiting approval and a moderator note."""

from django.db import transaction

from accounts.demo import demo_email
from accounts.models import User
from forum.models import Post, Thread
from moderation import services
from moderation.models import Flag, FlagReason, QueuedPost, QueueReason
from netvaerk.markup import render_markdown


def _user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


@transaction.atomic
def seed() -> bool:
    """Create the moderation examples once. Returns whether anything was new."""
    if Flag.objects.exists() or QueuedPost.objects.exists():
        return False
    thread = Thread.objects.filter(title__startswith="Hvilket regnskabsprogram").first()
    if thread is None:
        return False
    spam = Post.objects.filter(thread=thread, number__gt=1).order_by("-number").first()
    if spam is not None:
        services.flag_post(
            post=spam,
            flagger=_user("anne"),
            reason=FlagReason.OFF_TOPIC,
            text="Det her ligner mest en reklame for et bestemt program.",
        )
    body = (
        "Hej alle! Jeg har lige startet som selvstændig låsesmed i København. "
        "Hvordan finder I jeres første faste erhvervskunder?"
    )
    QueuedPost.objects.create(
        author=_user("viktor"),
        why=QueueReason.NEW_MEMBER,
        thread=Thread.objects.filter(title__startswith="ApS eller").first(),
        body=body,
        body_html=render_markdown(body),
    )
    services.add_note(
        member=_user("jonas"),
        actor=_user("lars"),
        text="Venlig påmindelse givet om at holde tilbud til markedspladsen. Tog det pænt.",
    )
    return True
