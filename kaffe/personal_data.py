"""Coffee pairs' part of a member's data export and account deletion, and how
long old pairs are kept (accounts.extensions; registered by KaffeConfig.ready())."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData, Retention
from accounts.privacy import rows
from kaffe.models import CoffeeMatch, CoffeePair, CoffeeSignup


def export(user) -> dict[str, list[dict]]:
    return {
        "signup": rows(CoffeeSignup.objects.filter(member=user), "place", "created_at"),
        "pairs": rows(
            CoffeeMatch.objects.filter(member=user).order_by("pair__round__month", "pk"),
            "pair__round__month",
            "pair__place",
            "met_at",
        ),
    }


def erase(*, user, keep_posts: bool) -> None:
    CoffeeSignup.objects.filter(member=user).delete()
    CoffeeMatch.objects.filter(member=user).delete()


def purge_pairs(*, now) -> int:
    """Who was paired with whom goes after NETVAERK_RETENTION["coffee_pairs_days"];
    the rounds keep their counts."""
    days = settings.NETVAERK_RETENTION["coffee_pairs_days"]
    return CoffeePair.objects.filter(round__ran_at__lt=now - timedelta(days=days)).delete()[0]


PART = PersonalData(
    name="kaffe",
    label=_("Coffee pairs"),
    export=export,
    erase=erase,
    covers=("kaffe.CoffeeSignup", "kaffe.CoffeeMatch"),
    order=70,
)
RULE = Retention("kaffe.pairs", purge_pairs, 60)
