"""The needs board's cards, rendered once per set of shown values and kept
(netvaerk.fragments.render_rows)."""

from netvaerk.fragments import render_rows

CARD_TEMPLATE = "needs/_need_card.html"
# The need's own values the card templates read (tests/needs/test_fragments.py
# compares this with the templates).
NEED_FIELDS = (
    "pk",
    "slug",
    "title",
    "language",
    "status",
    "created_at",
    "region",
    "comment_count",
    "support_count",
    "show_meetup",
    "is_supported",
    "can_support",
)


def _parts(need, can_see_people: bool, next_url: str) -> tuple:
    meetup = need.meetup if need.show_meetup else None
    return (
        tuple(getattr(need, name, None) for name in NEED_FIELDS),
        (need.author.pk, need.author.display_name),
        tuple(tag.name for tag in need.tag_list),
        tuple(
            (s.member.pk, s.member.display_name, s.member.language)
            for s in (getattr(need, "support_list", None) or [])
        )
        if can_see_people
        else None,
        (meetup.pk, meetup.slug, meetup.title, meetup.language) if meetup else None,
        can_see_people,
        next_url,
    )


def render_cards(request, needs, *, can_see_people: bool, next_url: str) -> None:
    """Set ``html`` on each need of a board page."""
    render_rows(
        request,
        needs,
        template=CARD_TEMPLATE,
        name="need",
        prefix="need-card",
        parts=lambda need: _parts(need, can_see_people, next_url),
        context={"can_see_people": can_see_people, "next": next_url},
    )
