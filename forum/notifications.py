"""Who hears about what, in the app and by email. Runs in background tasks."""

import logging
import re

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import HANDLE_PATTERN, EmailFrequency, User
from forum.models import (
    CategoryFollow,
    Notification,
    NotificationKind,
    Post,
    TagFollow,
    Thread,
    ThreadFollow,
)
from forum.permissions import can_read_category

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "netvaerk.unsubscribe"
_QUOTED_POST = re.compile(r"\(/(?:[a-z]{2}/)?forum/p/(\d+)/\)")
_MENTION = re.compile(rf"(?<![\w@/.])@({HANDLE_PATTERN})\b")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
MAX_MENTIONS = 10


def mentioned_handles(body: str) -> list[str]:
    """@handles in a post's source, outside code, at most MAX_MENTIONS."""
    handles = []
    for handle in _MENTION.findall(_CODE.sub(" ", body)):
        if handle not in handles:
            handles.append(handle)
    return handles[:MAX_MENTIONS]


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first()


def _readers(user_ids: set[int], thread: Thread) -> dict[int, User]:
    """The users among `user_ids` who may still read the thread."""
    users = User.objects.with_access().filter(pk__in=user_ids, is_active=True)
    return {u.pk: u for u in users if can_read_category(u, thread.category)}


def _create(recipients: dict[int, str], *, thread, post, actor) -> list[Notification]:
    notifications = Notification.objects.bulk_create(
        Notification(recipient_id=uid, kind=kind, thread=thread, post=post, actor=actor)
        for uid, kind in recipients.items()
    )
    User.objects.filter(pk__in=list(recipients)).update(
        unread_notifications=F("unread_notifications") + 1
    )
    return notifications


@transaction.atomic
def notify_about_post(*, post_id: int) -> list[Notification]:
    """Fan out a new post: followers of the thread (or of its category and tags
    for a new thread), and members whose posts it quotes."""
    post = Post.objects.select_related("thread__category", "author").filter(pk=post_id).first()
    if post is None:
        return []
    thread = post.thread
    recipients: dict[int, str] = {}
    if post.number == 1:
        for uid in CategoryFollow.objects.filter(category=thread.category_id).values_list(
            "user_id", flat=True
        ):
            recipients[uid] = NotificationKind.NEW_THREAD
        for uid in TagFollow.objects.filter(tag__in=thread.tags.all()).values_list(
            "user_id", flat=True
        ):
            recipients[uid] = NotificationKind.NEW_THREAD
    else:
        for uid in ThreadFollow.objects.filter(thread=thread, is_muted=False).values_list(
            "user_id", flat=True
        ):
            recipients[uid] = NotificationKind.REPLY
    quoted_ids = [int(pk) for pk in _QUOTED_POST.findall(post.body)]
    for uid in Post.objects.filter(pk__in=quoted_ids, thread=thread).values_list(
        "author_id", flat=True
    ):
        recipients[uid] = NotificationKind.QUOTE
    handles = mentioned_handles(post.body)
    if handles:
        for uid in User.objects.filter(handle__in=handles).values_list("pk", flat=True):
            recipients[uid] = NotificationKind.MENTION
    muted = set(
        ThreadFollow.objects.filter(thread=thread, is_muted=True).values_list("user_id", flat=True)
    )
    recipients = {
        uid: kind for uid, kind in recipients.items() if uid != post.author_id and uid not in muted
    }
    readers = _readers(set(recipients), thread)
    recipients = {uid: kind for uid, kind in recipients.items() if uid in readers}
    notifications = _create(recipients, thread=thread, post=post, actor=post.author)
    _email_now(notifications, readers)
    return notifications


@transaction.atomic
def notify_accepted(*, post: Post) -> list[Notification]:
    if post.author_id == post.thread.author_id:
        return []
    return _create(
        {post.author_id: NotificationKind.ACCEPTED},
        thread=post.thread,
        post=post,
        actor=post.thread.author,
    )


def email_notifications(*, notification_ids: list[int]) -> None:
    """Email the given notifications to members who want mail right away."""
    notifications = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at=None)
        .select_related("thread__category", "actor", "post")
        .defer("post__body", "post__body_html")
    )
    users = User.objects.in_bulk({n.recipient_id for n in notifications})
    _email_now(notifications, users)


@transaction.atomic
def notify_reaction(*, post: Post, actor: User) -> None:
    """Thanks are batched: one unread notification per post, with a count."""
    batched = Notification.objects.filter(
        recipient_id=post.author_id, post=post, kind=NotificationKind.REACTION, read_at=None
    ).update(count=F("count") + 1, actor=actor, created_at=timezone.now())
    if not batched:
        _create(
            {post.author_id: NotificationKind.REACTION}, thread=post.thread, post=post, actor=actor
        )


@transaction.atomic
def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        User.objects.filter(pk=notification.recipient_id, unread_notifications__gt=0).update(
            unread_notifications=F("unread_notifications") - 1
        )


@transaction.atomic
def mark_all_read(*, user: User) -> None:
    Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())
    User.objects.filter(pk=user.pk).update(unread_notifications=0)


@transaction.atomic
def unsubscribe(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(notification_email=EmailFrequency.NEVER)


# --- Email --------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.NETVAERK_BASE_URL.rstrip("/") + path


def _message(user: User, notifications: list[Notification], *, digest: bool):
    token_url = _absolute(reverse("forum:unsubscribe", kwargs={"token": unsubscribe_token(user)}))
    with translation.override(user.language):
        context = {
            "user": user,
            "notifications": notifications,
            "digest": digest,
            "base_url": settings.NETVAERK_BASE_URL.rstrip("/"),
            "unsubscribe_url": token_url,
            "settings_url": _absolute(reverse("accounts:profile_edit")),
        }
        subject = " ".join(render_to_string("forum/email/subject.txt", context).split())
        body = render_to_string("forum/email/notification.txt", context)
    return EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{token_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def _email_now(notifications: list[Notification], readers: dict[int, User]) -> None:
    sent = []
    for notification in notifications:
        user = readers.get(notification.recipient_id)
        if user is None or user.notification_email != EmailFrequency.IMMEDIATELY:
            continue
        try:
            _message(user, [notification], digest=False).send()
        except Exception:  # one bad address must not stop the others
            logger.exception("notification mail to user %s failed", user.pk)
            continue
        sent.append(notification.pk)
    Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


def send_daily_digests() -> int:
    """Email each daily-summary member their unread, unmailed notifications."""
    pending = (
        Notification.objects.unread()
        .filter(
            emailed_at=None,
            recipient__notification_email=EmailFrequency.DAILY,
            recipient__is_active=True,
        )
        .select_related("recipient", "thread", "actor", "post")
        .defer("post__body", "post__body_html")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    users: dict[int, User] = {}
    for notification in pending:
        by_user.setdefault(notification.recipient_id, []).append(notification)
        users[notification.recipient_id] = notification.recipient
    sent = 0
    for uid, items in by_user.items():
        try:
            _message(users[uid], items, digest=True).send()
        except Exception:
            logger.exception("digest mail to user %s failed", uid)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
        sent += 1
    return sent


def notice(
    *,
    recipient: User,
    kind: str,
    message,
    thread: Thread | None = None,
    post: Post | None = None,
    actor: User | None = None,
    link: str = "",
) -> Notification:
    """A free-text notice (moderation, meetups, needs, polls, roles) in the
    recipient's own language, mailed like other notifications. `message` is a
    callable returning the text (called with their language on)."""
    from forum import tasks

    with translation.override(recipient.language):
        text = str(message())[:500]
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        thread=thread,
        post=post,
        actor=actor,
        message=text,
        link=link,
    )
    User.objects.filter(pk=recipient.pk).update(unread_notifications=F("unread_notifications") + 1)
    ids = [notification.pk]
    transaction.on_commit(lambda: tasks.email_notifications.enqueue(notification_ids=ids))
    return notification
