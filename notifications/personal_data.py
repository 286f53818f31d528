"""Notifications' part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by NotificationsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from notifications.models import (
    Block,
    Conversation,
    DigestSent,
    DigestSetting,
    Message,
    MessageReport,
    Notification,
    Participant,
)


def export(user) -> dict[str, list[dict]]:
    return {
        "notifications": rows(
            Notification.objects.filter(recipient=user).order_by("created_at", "pk"),
            "kind",
            "message",
            "link",
            "count",
            "created_at",
            "read_at",
            "emailed_at",
        ),
        # Private conversations: the member's seats and what they wrote (never others' words).
        "conversations": rows(
            Participant.objects.filter(user=user).order_by("joined_at", "pk"),
            "conversation_id",
            "conversation__subject",
            "joined_at",
            "last_read_at",
            "left_at",
            "muted",
        ),
        "messages": rows(
            Message.objects.filter(author=user).order_by("created_at", "pk"),
            "conversation_id",
            "body",
            "created_at",
        ),
        "blocked_members": rows(
            Block.objects.filter(blocker=user).order_by("created_at", "pk"),
            "blocked__display_name",
            "created_at",
        ),
        "message_reports": rows(
            MessageReport.objects.filter(reporter=user).order_by("created_at", "pk"),
            "message_id",
            "reason",
            "created_at",
            "resolution",
        ),
        "digest_setting": rows(DigestSetting.objects.filter(user=user), "frequency"),
        "digests_sent": rows(
            DigestSent.objects.filter(user=user).order_by("created_at", "pk"),
            "period",
            "sections",
            "created_at",
        ),
    }


def erase(*, user, keep_posts: bool) -> None:
    Notification.objects.filter(recipient=user).delete()
    DigestSetting.objects.filter(user=user).delete()
    DigestSent.objects.filter(user=user).delete()
    # Others' notifications about what the member did no longer name them.
    Notification.objects.filter(actor=user).update(actor=None)
    # Conversations: what they wrote stays for the others only when posts are kept.
    messages = Message.objects.filter(author=user)
    if keep_posts:
        messages.update(author=None)
    else:
        messages.delete()
    Participant.objects.filter(user=user).delete()
    Block.objects.filter(blocker=user).delete()
    Block.objects.filter(blocked=user).delete()
    Conversation.objects.filter(started_by=user).update(started_by=None)
    Conversation.objects.filter(participants=None).delete()
    # Reports they made stay for the moderators' record, without their name.
    MessageReport.objects.filter(reporter=user).update(reporter=None)
    MessageReport.objects.filter(resolved_by=user).update(resolved_by=None)


PART = PersonalData(
    name="notifications",
    label=_("Notifications"),
    export=export,
    erase=erase,
    covers=(
        "notifications.Notification",
        "notifications.Conversation",
        "notifications.Participant",
        "notifications.Message",
        "notifications.Block",
        "notifications.DigestSetting",
        "notifications.DigestSent",
        "notifications.MessageReport",
    ),
    order=20,
)
