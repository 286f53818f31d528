"""Moderation writes. Each action is one transaction that locks its target
first, so a second moderator acting on a stale page gets a clear message
(ModerationError) instead of a half-done or repeated action, and each one is
written to the audit log."""

from moderation.services.common import (
    ModerationError,
    notify,
)
from moderation.services.flags import (
    flag_post,
    is_established,
    settle_flags,
)
from moderation.services.members import (
    add_category_moderator,
    add_note,
    lift_sanction,
    remove_category_moderator,
    sanction_member,
    warn_member,
)
from moderation.services.merge import (
    merge_threads,
    split_posts,
)
from moderation.services.posts import (
    delete_post,
    hide_post,
    record_moderator_edit,
    restore_post,
    unhide_post,
)
from moderation.services.queue import (
    approval_reason,
    approve,
    count_links,
    hold_for_approval,
    queue_post,
    reject,
    render_body,
)
from moderation.services.threads import (
    delete_thread,
    hide_thread,
    lock_thread,
    move_thread,
    restore_thread,
    set_pinned,
    unhide_thread,
    unlock_thread,
)

__all__ = [
    "ModerationError",
    "add_category_moderator",
    "add_note",
    "approval_reason",
    "approve",
    "count_links",
    "delete_post",
    "delete_thread",
    "flag_post",
    "hide_post",
    "hide_thread",
    "hold_for_approval",
    "is_established",
    "lift_sanction",
    "lock_thread",
    "merge_threads",
    "move_thread",
    "notify",
    "queue_post",
    "record_moderator_edit",
    "reject",
    "remove_category_moderator",
    "render_body",
    "restore_post",
    "restore_thread",
    "sanction_member",
    "set_pinned",
    "settle_flags",
    "split_posts",
    "unhide_post",
    "unhide_thread",
    "unlock_thread",
    "warn_member",
]
