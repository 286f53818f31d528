"""Viden's section of the personal digest: new knowledge cards on topics
(categories) and tags the member follows, only those they may read. A fixed
number of queries per batch of members."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from forum.models import CategoryFollow, Tag, TagFollow
from forum.permissions import read_levels
from notifications.extensions import DigestSection, absolute_link
from viden.models import Card
from viden.permissions import visible_cards

CANDIDATES = 300


def _url(card):
    return absolute_link(card)


def new_cards(users, now) -> dict[int, list]:
    ids = [u.pk for u in users]
    categories, tags = defaultdict(set), defaultdict(set)
    for user_id, category_id in CategoryFollow.objects.filter(user_id__in=ids).values_list(
        "user_id", "category_id"
    ):
        categories[user_id].add(category_id)
    for user_id, tag_id in TagFollow.objects.filter(user_id__in=ids).values_list(
        "user_id", "tag_id"
    ):
        tags[user_id].add(tag_id)
    following = [u for u in users if categories[u.pk] or tags[u.pk]]
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
        matching: dict[tuple, list] = {}  # members who follow the same share the work
        for user in group:
            key = (user.digest_since, frozenset(categories[user.pk]), frozenset(tags[user.pk]))
            if key not in matching:
                since, followed, followed_tags = key
                matching[key] = [
                    c
                    for c in cards
                    if c.created_at >= since
                    and (c.category_id in followed or c.digest_tag_ids & followed_tags)
                ]
            if matching[key]:
                found[user.pk] = matching[key]
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
