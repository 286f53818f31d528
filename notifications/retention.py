"""Old notifications go after NETVAERK_RETENTION["notifications_days"]
(accounts.extensions.retention; registered by NotificationsConfig.ready())."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest

from accounts.extensions import Retention
from accounts.models import User
from notifications.models import Conversation, Notification


@transaction.atomic
def purge_notifications(*, now) -> int:
    old = Notification.objects.filter(
        created_at__lt=now - timedelta(days=settings.NETVAERK_RETENTION["notifications_days"])
    )
    unread = dict(
        old.filter(read_at__isnull=True)
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    removed = old.delete()[0]
    for user_id, n in unread.items():
        User.objects.filter(pk=user_id).update(
            unread_notifications=Greatest(F("unread_notifications") - n, 0)
        )
    return removed


RULE = Retention("notifications.old", purge_notifications, 20)


@transaction.atomic
def purge_conversations(*, now) -> int:
    """Conversations silent for NETVAERK_RETENTION["conversations_days"] go with
    their messages, seats and reports (their files follow in the uploads purge)."""
    days = settings.NETVAERK_RETENTION["conversations_days"]
    old = Conversation.objects.filter(last_message_at__lt=now - timedelta(days=days))
    # Notifications about them are older than their own retention by then; any
    # left resolve to "a private conversation" that no longer opens.
    return old.delete()[0]


CONVERSATIONS_RULE = Retention("notifications.conversations", purge_conversations, 25)
