"""Viden's section of the personal digest: new knowledge cards on topics
(categories) and tags the member follows, only those they may read. A fixed
number of queries per batch of members."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from forum.digest import follows_of, matches_by_follows
from forum.models import Tag
from forum.permissions import read_levels
from notifications.extensions import DigestSection, absolute_link
from viden.models import Card
from viden.permissions import visible_cards

CANDIDATES = 300


def _url(card):
    return absolute_link(card)


def new_cards(users, now) -> dict[int, list]:
    categories, tags, following = follows_of(users)
    if not following:
        return {}
    since = min(u.digest_since for u in following)
    groups = defaultdict(list)
    for user in following:
        groups[tuple(read_levels(user))].append(user)
    found: dict[int, list] = {}
    for _levels, group in groups.items():
        cards = list(
            visible_cards(group[0], Card.objects.filter(created_at__gte=since, created_at__lte=now))
            .select_related("category")
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
            .order_by("-created_at", "-pk")[:CANDIDATES]
        )
        for card in cards:
            card.digest_url = _url(card)
            card.digest_tag_ids = {t.pk for t in card.tags.all()}
        found.update(
            matches_by_follows(
                group, cards, categories=categories, tags=tags, when=lambda c: c.created_at
            )
        )
    return found


SECTION = DigestSection(
    "viden.cards",
    _("New knowledge cards on topics you follow"),
    "viden/email/_digest_cards.txt",
    new_cards,
    html_template="viden/email/_digest_cards.html",
    order=25,
)


def register() -> None:
    from notifications.extensions import digest_sections

    digest_sections.register(SECTION)
