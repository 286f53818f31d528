"""The relay's part of a member's data export and account deletion."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from relay.models import RelayRequest


def export(user) -> dict[str, list[dict]]:
    return {
        "help_requests": rows(
            RelayRequest.objects.filter(member=user).order_by("asked_at", "pk"),
            "thread_id",
            "step",
            "asked_at",
            "answered_at",
            "declined_at",
        )
    }


def erase(*, user, keep_posts: bool) -> None:
    RelayRequest.objects.filter(member=user).delete()


PART = PersonalData(
    name="relay",
    label=_("Help requests"),
    export=export,
    erase=erase,
    covers=("relay.RelayRequest",),
    order=60,
)
