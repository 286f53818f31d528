"""The help relay's rules."""

from accounts.permissions import can_view_members, is_member, is_suspended
from forum.permissions import can_post


def can_see_relay_status(user, thread) -> bool:
    """Only the asker sees that the network is working on their question (and
    never who was asked)."""
    return is_member(user) and thread.author_id == user.pk


def can_ask_member(user, member) -> bool:
    """ "Spørg et medlem": any member who may post, about anyone else active."""
    return (
        can_view_members(user)
        and can_post(user)
        and not is_suspended(user)
        and member.pk != user.pk
        and member.is_active
    )


def can_decline(user, request) -> bool:
    """The signed link is the member's; signed in as someone else, it is refused."""
    return not user.is_authenticated or user.pk == request.member_id
