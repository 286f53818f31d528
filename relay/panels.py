"""What the relay shows on other apps' pages (registered in RelayConfig.ready())."""

from relay.permissions import can_ask_member, can_see_relay_status
from relay.services import status_for_asker


def asker_status(*, request, thread, **objects) -> dict | None:
    """forum.thread_panels: "Vi har bedt 3 medlemmer …", to the asker only, while
    no one has replied. One query."""
    if thread.reply_count or not can_see_relay_status(request.user, thread):
        return None
    status = status_for_asker(thread)
    return {"status": status} if status else None


def ask_member(*, request, member, **objects) -> dict | None:
    """accounts.member_panels: the "Ask this member" link. No query."""
    if not can_ask_member(request.user, member):
        return None
    return {"member": member}
