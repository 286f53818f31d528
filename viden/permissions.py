"""Who reads, makes, edits and renews knowledge cards.

A card follows the read rules of its source threads: it is shown only to
those who may see every one of them (a card from a members-only thread is
members-only; a hidden source thread hides the card)."""

from django.db.models import Exists, OuterRef, Q

from accounts.permissions import is_member, is_network_leader, is_organiser
from forum.models import State
from forum.permissions import can_moderate, is_listed_thread, read_levels


def visible_cards(user, qs=None, *, levels=None):
    """Cards all of whose source threads `user` may read (or a reader of
    `levels`, the category access levels, when given)."""
    from viden.models import Card, CardSource

    qs = Card.objects.all() if qs is None else qs
    levels = read_levels(user) if levels is None else levels
    sources = CardSource.objects.filter(card=OuterRef("pk"))
    unreadable = sources.filter(
        ~Q(thread__state=State.PUBLISHED) | ~Q(thread__category__read_access__in=levels)
    )
    return qs.filter(Exists(sources)).exclude(Exists(unreadable))


def can_make_card(user, thread) -> bool:
    """From a solved thread: its author, a moderator of it or an organiser."""
    return (
        is_member(user)
        and thread.is_solved
        and is_listed_thread(user, thread)
        and (
            thread.author_id == user.pk
            or can_moderate(user, thread.category_id)
            or is_organiser(user)
            or is_network_leader(user)
        )
    )


def can_edit_card(user, card) -> bool:
    """The owner keeps it true; whoever made it, moderators of its topic,
    organisers and leaders may edit too."""
    return is_member(user) and (
        card.owner_id == user.pk
        or card.created_by_id == user.pk
        or can_moderate(user, card.category_id)
        or is_organiser(user)
        or is_network_leader(user)
    )


def can_view_card_history(user, card) -> bool:
    return can_edit_card(user, card)
