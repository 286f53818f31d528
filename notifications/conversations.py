"""Private conversations: the writes (each in one transaction) and the
notifications they send. Views check permission (notifications.permissions)
first; these trust the caller."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from netvaerk.markup import render_markdown
from notifications import services
from notifications.models import Block, Conversation, Message, Notification, Participant

MESSAGE_KIND = "message"


def _notify(*, conversation: Conversation, message: Message, author: User) -> None:
    """Each participant still in the conversation who has not muted it hears of
    the message: batched into their unread notification of it, else a new one
    (mailed as their notification settings say)."""
    recipient_ids = list(
        Participant.objects.filter(conversation=conversation, left_at=None, muted=False)
        .exclude(user=author)
        .values_list("user_id", flat=True)
    )
    fresh = {
        uid: MESSAGE_KIND
        for uid in recipient_ids
        if not services.add_to_unread(
            recipient_id=uid, kind=MESSAGE_KIND, subject=conversation, actor=author
        )
    }
    services.email_after_commit(
        services.create(recipients=fresh, subject=conversation, actor=author)
    )


@transaction.atomic
def start_conversation(
    *, author: User, recipients: list[User], subject: str, body: str, body_html: str | None = None
) -> Conversation:
    now = timezone.now()
    conversation = Conversation.objects.create(
        subject=subject, started_by=author, created_at=now, last_message_at=now
    )
    Participant.objects.bulk_create(
        Participant(conversation=conversation, user=user, joined_at=now, last_read_at=now)
        for user in [author, *recipients]
    )
    _post(conversation=conversation, author=author, body=body, body_html=body_html, now=now)
    return conversation


def _post(*, conversation, author, body, body_html, now) -> Message:
    message = Message.objects.create(
        conversation=conversation,
        author=author,
        body=body,
        body_html=render_markdown(body) if body_html is None else body_html,
        created_at=now,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    Participant.objects.filter(conversation=conversation, user=author).update(last_read_at=now)
    _notify(conversation=conversation, message=message, author=author)
    return message


@transaction.atomic
def post_message(
    *, conversation: Conversation, author: User, body: str, body_html: str | None = None
) -> Message:
    return _post(
        conversation=conversation, author=author, body=body, body_html=body_html, now=timezone.now()
    )


@transaction.atomic
def mark_read(*, conversation: Conversation, user: User) -> None:
    """`user` has read the conversation: its messages and their notifications of it."""
    now = timezone.now()
    Participant.objects.filter(conversation=conversation, user=user).update(last_read_at=now)
    read = (
        Notification.objects.about(conversation)
        .filter(recipient=user, read_at=None)
        .update(read_at=now)
    )
    if read:
        User.objects.filter(pk=user.pk, unread_notifications__gte=read).update(
            unread_notifications=F("unread_notifications") - read
        )


@transaction.atomic
def add_participant(*, conversation: Conversation, member: User) -> None:
    """Add `member` (back) to the conversation; they read it from the start."""
    Participant.objects.update_or_create(
        conversation=conversation,
        user=member,
        defaults={"left_at": None, "muted": False, "joined_at": timezone.now()},
    )


@transaction.atomic
def leave(*, conversation: Conversation, user: User) -> None:
    Participant.objects.filter(conversation=conversation, user=user).update(left_at=timezone.now())
    mark_read(conversation=conversation, user=user)


@transaction.atomic
def set_muted(*, conversation: Conversation, user: User, muted: bool) -> None:
    Participant.objects.filter(conversation=conversation, user=user).update(muted=muted)


@transaction.atomic
def block(*, blocker: User, blocked: User) -> None:
    Block.objects.get_or_create(blocker=blocker, blocked=blocked)


@transaction.atomic
def unblock(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
