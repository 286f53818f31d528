"""Viden's part of a member's data export and account deletion."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from viden.models import Card, CardRevision


def export(user) -> dict[str, list[dict]]:
    return {
        "cards_owned_or_made": rows(
            Card.objects.filter(Q(owner=user) | Q(created_by=user)).order_by("pk"),
            "id",
            "title",
            "body",
            "review_by",
            "created_at",
        ),
        "card_edits": rows(
            CardRevision.objects.filter(editor=user).order_by("created_at", "pk"),
            "card_id",
            "number",
            "title",
            "body",
            "reason",
            "created_at",
        ),
    }


def erase(*, user, keep_posts: bool) -> None:
    # Cards are the network's curated knowledge, made from threads: they stay,
    # without the member (owner, maker and editor shown as Former member).
    Card.objects.filter(owner=user).update(owner=None)
    Card.objects.filter(created_by=user).update(created_by=None)
    CardRevision.objects.filter(editor=user).update(editor=None)


PART = PersonalData(
    name="viden",
    label=_("Knowledge cards"),
    export=export,
    erase=erase,
    covers=("viden.Card", "viden.CardRevision"),
    order=75,
)
