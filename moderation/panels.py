"""What moderation shows on other apps' pages, through their sockets
(registered in ModerationConfig.ready)."""

from accounts.permissions import is_silenced
from moderation.permissions import can_manage_members


def member_notes(*, request, member, **objects) -> dict | None:
    """accounts.extensions.member_panels: the latest private notes on the member,
    for moderators and network leaders only. One query."""
    if not can_manage_members(request.user):
        return None
    notes = list(member.moderator_notes.select_related("author")[:3])
    return {"member": member, "moderator_notes": notes}


def silenced_banner(*, request, **objects) -> dict | None:
    """accounts.extensions.banners: the member is silenced, with a link to why."""
    return {} if is_silenced(request.user) else None
