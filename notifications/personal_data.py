"""Notifications' part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by NotificationsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from notifications.models import DigestSent, DigestSetting, Notification


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


PART = PersonalData(
    name="notifications",
    label=_("Notifications"),
    export=export,
    erase=erase,
    covers=(
        "notifications.Notification",
        "notifications.DigestSetting",
        "notifications.DigestSent",
    ),
    order=20,
)
