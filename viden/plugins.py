"""What viden plugs into lower apps' sockets: the thread page (cards made from
it, "Make a knowledge card"), cards above search results and beside similar
threads (forum/extensions.py), the personal digest's "new knowledge cards"
section, the header menu and the member's data. Registered by VidenConfig.ready()."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from forum.permissions import read_levels
from netvaerk.extensions import MenuEntry, Panel
from netvaerk.prepared import Prepared
from viden.matching import stems as _stems
from viden.models import Card, CardSource
from viden.permissions import can_make_card, visible_cards

SHOWN = 3
CANDIDATES = 500  # newest cards compared with a search


def matching_cards(user, text: str, *, limit: int = SHOWN) -> list[Card]:
    """The visible cards whose title or tags share the most words (Danish
    stems) with `text`: with two words or more, at least two must match. One
    query (the stems are kept on the card: `Card.match_words`)."""
    wanted = _stems(text)
    if not wanted:
        return []
    cards = _NEWEST_CARDS.list(tuple(read_levels(user)))
    need = min(2, len(wanted))
    scored = []
    for card in cards:
        score = len(set(card.match_words.split()) & wanted)
        if score >= need:
            scored.append((-score, card.title.lower(), card))
    return [card for *_key, card in sorted(scored, key=lambda row: row[:2])[:limit]]


def _newest_cards(levels: tuple[str, ...]):
    return (
        visible_cards(None, levels=levels)
        .only("pk", "title", "review_by", "match_words")
        .order_by("-updated_at", "-pk")[:CANDIDATES]
    )


# Built and compiled once per set of readable levels (netvaerk.prepared): the
# cards beside every search and similar-threads list.
_NEWEST_CARDS = Prepared(_newest_cards, lambda levels: levels, model=Card)


def thread_cards_known(*, user, **_objects) -> dict:
    """Whether any card was made from the thread, loaded with the thread page's
    thread (so the usual thread without cards costs no query)."""
    return {"viden_has_cards": Exists(CardSource.objects.filter(thread=OuterRef("pk")))}


def thread_cards(*, request, thread, **_objects):
    """Cards made from this thread, and "Make a knowledge card" for those who may."""
    if thread.__dict__.get("viden_has_cards") is False:
        can_make = can_make_card(request.user, thread)
        return {"cards": [], "thread": thread, "can_make": True} if can_make else None
    cards = list(
        visible_cards(request.user)
        .filter(pk__in=CardSource.objects.filter(thread=thread).values("card_id"))
        .only("pk", "title", "review_by")
        .order_by("title")
    )
    can_make = can_make_card(request.user, thread)
    if not cards and not can_make:
        return None
    return {"cards": cards, "thread": thread, "can_make": can_make}


def search_cards(*, request, text, **_objects):
    cards = matching_cards(request.user, text)
    return {"cards": cards, "heading": _("Knowledge cards")} if cards else None


def similar_cards(*, request, title, **_objects):
    cards = matching_cards(request.user, title)
    if not cards:
        return None
    return {"cards": cards, "heading": _("Knowledge cards on this topic")}


def register() -> None:
    """Plug in (idempotent: the same names replace themselves)."""
    from accounts.extensions import personal_data
    from forum import extensions as forum
    from netvaerk.menus import main_menu
    from viden import digest
    from viden.personal_data import PART

    forum.thread_panels.register(
        Panel("viden.thread_cards", "viden/_thread_cards.html", thread_cards, order=50)
    )
    forum.thread_page_annotations.connect("viden.thread_cards", thread_cards_known)
    forum.search_panels.register(
        Panel("viden.search_cards", "viden/_cards_box.html", search_cards, order=10)
    )
    forum.similar_panels.register(
        Panel("viden.similar_cards", "viden/_cards_box.html", similar_cards, order=10)
    )
    main_menu.register(MenuEntry("viden.cards", _("Knowledge"), "viden:card_list", order=35))
    personal_data.register(PART)
    digest.register()
