"""Date polls' part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by DatepollsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from datepolls.models import PollVote


def export(user) -> dict[str, list[dict]]:
    return {
        "poll_votes": rows(
            PollVote.objects.filter(member=user).order_by("updated_at", "pk"),
            "option__poll__meetup__title",
            "option__kind",
            "option__starts_at",
            "option__venue_name",
            "value",
            "updated_at",
        )
    }


def erase(*, user, keep_posts: bool) -> None:
    PollVote.objects.filter(member=user).delete()


PART = PersonalData(
    name="datepolls",
    label=_("Date and venue polls"),
    export=export,
    erase=erase,
    covers=("datepolls.PollVote",),
    order=70,
)
