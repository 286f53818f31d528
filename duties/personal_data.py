"""The duty rota's part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by DutiesConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from duties.models import DutySlot


def export(user) -> dict[str, list[dict]]:
    return {
        "duty_slots": rows(
            DutySlot.objects.filter(member=user).order_by("starts_at", "pk"),
            "duty__name",
            "starts_at",
            "ends_at",
            "handover_note",
        )
    }


def erase(*, user, keep_posts: bool) -> None:
    # The slots stay on the rota, free for others to take.
    DutySlot.objects.filter(member=user).update(member=None, handover_note="")


PART = PersonalData(
    name="duties",
    label=_("Duty rota"),
    export=export,
    erase=erase,
    covers=("duties.DutySlot",),
    order=50,
)
