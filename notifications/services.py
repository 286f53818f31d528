"""Creating, showing and mailing notifications; preferences and unsubscribing.

Apps above send through `create` (their own kinds, a subject they resolve) or
`notice` (a free-text message). Mail goes out from the task worker after the
transaction commits, never while a transaction is open.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import EmailFrequency, User
from netvaerk.mail import enqueue_message
from netvaerk.site import absolute_url, base_url
from notifications.extensions import kinds, subjects
from notifications.models import NOTICE, Notification

logger = logging.getLogger(__name__)

EMAILED_RECEIPT = "notifications.emailed"

UNSUBSCRIBE_SALT = "netvaerk.unsubscribe"
# Set on the mails we send, so a mail coming back to us is known as a loop.
OUR_MAIL_HEADER = "X-Netvaerk-Mail"
DEFAULT_LINE_TEMPLATE = "notifications/_message_line.txt"


# --- Creating -------------------------------------------------------------------


def _subject_fields(subject) -> dict:
    if subject is None:
        return {"subject_type": None, "subject_id": None}
    return {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}


def create(
    *, recipients: dict[int, str], subject=None, actor: User | None = None
) -> list[Notification]:
    """One notification per recipient id (value: its kind) about `subject`.
    The caller decided who may hear about it; mail is the caller's choice
    (`email_after_commit`)."""
    if not recipients:
        return []
    fields = _subject_fields(subject)
    created = Notification.objects.bulk_create(
        Notification(recipient_id=uid, kind=kind, actor=actor, **fields)
        for uid, kind in recipients.items()
    )
    User.objects.filter(pk__in=list(recipients)).update(
        unread_notifications=F("unread_notifications") + 1
    )
    return created


def add_to_unread(*, recipient_id: int, kind: str, subject, actor: User | None) -> bool:
    """Batch into the recipient's unread notification of this kind about
    `subject` (count + 1, newest actor); False when there is none to batch into."""
    return bool(
        Notification.objects.about(subject)
        .filter(recipient_id=recipient_id, kind=kind, read_at=None)
        .update(count=F("count") + 1, actor=actor, created_at=timezone.now())
    )


def notice(
    *,
    recipient: User,
    kind: str = NOTICE,
    message,
    subject=None,
    actor: User | None = None,
    link: str = "",
) -> Notification:
    """A free-text notice (moderation, meetups, needs, polls, roles) in the
    recipient's own language, mailed like other notifications. `message` is a
    callable returning the text, called once in each language of the site: the
    notice reads in the language of the page or mail that shows it."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(message())[:500]
    text = texts.get(recipient.language) or texts[settings.LANGUAGE_CODE]
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, message=text, texts=texts, link=link,
        **_subject_fields(subject),
    )  # fmt: skip
    User.objects.filter(pk=recipient.pk).update(unread_notifications=F("unread_notifications") + 1)
    email_after_commit([notification])
    return notification


def email_after_commit(notifications: list[Notification]) -> None:
    """Queue the mail for these notifications once the transaction commits."""
    from notifications import tasks

    ids = [n.pk for n in notifications]
    if ids:
        transaction.on_commit(lambda: tasks.email_notifications.enqueue(notification_ids=ids))


def retarget(*, old, new) -> int:
    """Point notifications about `old` at `new` (a merged thread, say)."""
    return Notification.objects.about(old).update(subject_id=new.pk)


# --- Reading ----------------------------------------------------------------------


def resolve(notifications: list[Notification], user: User | None = None) -> list[Notification]:
    """Set `title`, `subject_url`, `readable` and `line_template` on each, with
    one query per kind of subject (the owning app's resolver)."""
    by_type: dict[int, list[Notification]] = defaultdict(list)
    for notification in notifications:
        notification.title = ""
        notification.subject_url = ""
        notification.readable = True
        kind = kinds._items.get(notification.kind)
        notification.kind_label = kind.label if kind else notification.kind
        notification.line_template = (kind and kind.line_template) or DEFAULT_LINE_TEMPLATE
        if notification.subject_type_id:
            by_type[notification.subject_type_id].append(notification)
    for type_id, items in by_type.items():
        label = ContentType.objects.get_for_id(type_id).model_class()._meta.label_lower
        resolver = subjects._items.get(label)
        if resolver is None:
            for notification in items:
                notification.readable = False
            continue
        resolver.resolve(items, user)
    for notification in notifications:
        kind = kinds._items.get(notification.kind)
        notification.mailable = notification.readable or bool(kind and kind.shown_when_unreadable)
        if not notification.mailable:
            # The stored text may quote what the reader may no longer see.
            notification.message = ""
    return notifications


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


# --- Unsubscribing -------------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first()


def unsubscribe_url(user: User) -> str:
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user)}))


@transaction.atomic
def unsubscribe(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(notification_email=EmailFrequency.NEVER)


# --- Email ------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return absolute_url(path)


def _message(user: User, notifications: list[Notification], *, digest: bool):
    token_url = unsubscribe_url(user)
    reply_to = getattr(notifications[0], "reply_to", "") if len(notifications) == 1 else ""
    with translation.override(user.language):
        context = {
            "reply_to": reply_to,
            "user": user,
            "notifications": notifications,
            "digest": digest,
            "base_url": base_url(),
            "unsubscribe_url": token_url,
            "settings_url": absolute(reverse("accounts:profile_edit")),
        }
        subject = " ".join(render_to_string("notifications/email/subject.txt", context).split())
        body = render_to_string("notifications/email/notification.txt", context)
    headers = {
        "List-Unsubscribe": f"<{token_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        OUR_MAIL_HEADER: "notification",
    }
    if reply_to:
        headers["Reply-To"] = reply_to
    return EmailMultiAlternatives(subject=subject, body=body, to=[user.email], headers=headers)


def email_notifications(*, notification_ids: list[int]) -> int:
    """Queue a mail for each of the given notifications whose recipient wants
    mail right away; each is marked as mailed once its mail went out (the
    receipt `notifications.emailed`). Returns how many were queued."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at=None)
        .select_related("recipient", "actor")
        .order_by("pk")
    )
    pending = [
        n
        for n in pending
        if n.recipient.is_active and n.recipient.notification_email == EmailFrequency.IMMEDIATELY
    ]
    # Each for its recipient, now: a moderator may have hidden the subject since.
    resolve(pending)
    queued = 0
    for notification in pending:
        if not notification.mailable:
            continue
        message = _message(notification.recipient, [notification], digest=False)
        enqueue_message(message, receipt=(EMAILED_RECEIPT, [notification.pk]))
        queued += 1
    return queued


def send_daily_digests(*, now=None) -> int:
    """Queue each daily-summary member's mail of their unread, unmailed
    notifications (marked as mailed once it went out). Members who got a
    personal digest today got their notifications in it: no second summary."""
    from notifications.digest import had_digest_today

    pending = (
        Notification.objects.unread()
        .filter(
            emailed_at=None,
            recipient__notification_email=EmailFrequency.DAILY,
            recipient__is_active=True,
        )
        .exclude(recipient_id__in=had_digest_today(now))
        .select_related("recipient", "actor")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    users: dict[int, User] = {}
    for notification in pending:
        by_user.setdefault(notification.recipient_id, []).append(notification)
        users[notification.recipient_id] = notification.recipient
    queued = 0
    for uid, items in by_user.items():
        items = [n for n in resolve(items, users[uid]) if n.mailable]
        if not items:
            continue
        message = _message(users[uid], items, digest=True)
        enqueue_message(message, receipt=(EMAILED_RECEIPT, [n.pk for n in items]))
        queued += 1
    return queued


def mark_emailed(*, ids: list[int]) -> None:
    """The receipt of a notification mail: it went out."""
    Notification.objects.filter(pk__in=ids, emailed_at=None).update(emailed_at=timezone.now())
