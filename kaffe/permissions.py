"""Coffee pairs: members sign up for themselves; leaders see only counts."""

from accounts.permissions import is_member, is_network_leader


def can_join(user) -> bool:
    return is_member(user)


def can_mark_met(user, match) -> bool:
    """Only the member in the match says "Vi mødtes" (never for someone else)."""
    return is_member(user) and match.member_id == user.pk


def can_see_counts(user) -> bool:
    return is_network_leader(user)
