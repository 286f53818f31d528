"""Moderation's part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by ModerationConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from moderation.models import Flag, ModeratorNote, QueuedPost


def export(user) -> dict[str, list[dict]]:
    return {
        "flags_made": rows(
            Flag.objects.filter(flagger=user).order_by("created_at", "pk"),
            "post_id",
            "reason",
            "text",
            "created_at",
            "resolved_at",
            "outcome",
        ),
        "posts_awaiting_approval": rows(
            QueuedPost.objects.filter(author=user).order_by("created_at", "pk"),
            "thread_id",
            "title",
            "body",
            "created_at",
            "state",
            "reject_reason",
        ),
    }


def erase(*, user, keep_posts: bool) -> None:
    # Flags made stay for the moderators: their flagger is now "Former member".
    QueuedPost.objects.filter(author=user).delete()
    ModeratorNote.objects.filter(member=user).delete()


PART = PersonalData(
    name="moderation",
    label=_("Moderation"),
    export=export,
    erase=erase,
    covers=("moderation.Flag", "moderation.QueuedPost"),
    left_out={
        "moderation.ModeratorNote": "Moderators' private notes about a member are the "
        "moderators' working notes, not shown to the member; they are deleted with the account.",
    },
    order=40,
)
