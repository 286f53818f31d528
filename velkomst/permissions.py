"""Who sees the welcome page."""

from accounts.permissions import is_member


def can_see_welcome(user) -> bool:
    """Every member has their own welcome page (only their own)."""
    return is_member(user)
