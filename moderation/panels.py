"""What moderation shows on other apps' pages, through their sockets
(registered in ModerationConfig.ready)."""

from moderation.permissions import can_manage_members


def member_notes(*, request, member, **objects) -> dict | None:
    """accounts.extensions.member_panels: the latest private notes on the member,
    for moderators and network leaders only. One query."""
    if not can_manage_members(request.user):
        return None
    notes = list(member.moderator_notes.select_related("author")[:3])
    return {"member": member, "moderator_notes": notes}

