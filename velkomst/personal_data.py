"""The newcomer path's part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by VelkomstConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from velkomst.models import Welcome


def export(user) -> dict[str, list[dict]]:
    return {
        "welcome": rows(
            Welcome.objects.filter(member=user),
            "created_at",
            "greeter__display_name",
            "checkin_sent_at",
        ),
        "greeted": rows(
            Welcome.objects.filter(greeter=user).order_by("created_at", "pk"),
            "member__display_name",
            "created_at",
        ),
    }


def erase(*, user, keep_posts: bool) -> None:
    Welcome.objects.filter(member=user).delete()
    Welcome.objects.filter(greeter=user).update(greeter=None)


PART = PersonalData(
    name="velkomst",
    label=_("Welcome"),
    export=export,
    erase=erase,
    covers=("velkomst.Welcome",),
    order=60,
)
