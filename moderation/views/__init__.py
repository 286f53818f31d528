"""Moderation pages. Every action: a confirmation page on GET, the action on
POST (works without JavaScript), a clear message when another moderator got
there first, and an entry in the audit log (written by the service)."""

from moderation.views.flags import (
    flag_post,
    flag_queue,
    flag_settle,
)
from moderation.views.members import (
    member_detail,
    member_note,
    member_sanction,
    member_warn,
    my_status,
    sanction_lift,
)
from moderation.views.overview import (
    audit_log,
    category_moderators,
    index,
)
from moderation.views.posts import (
    post_delete,
    post_hide,
    post_restore,
    post_unhide,
)
from moderation.views.queue import (
    approval_queue,
    queued_approve,
    queued_reject,
)
from moderation.views.threads import (
    thread_delete,
    thread_hide,
    thread_lock,
    thread_merge,
    thread_move,
    thread_pin,
    thread_restore,
    thread_split,
    thread_unhide,
    thread_unlock,
    thread_unpin,
)

__all__ = [
    "approval_queue",
    "audit_log",
    "category_moderators",
    "flag_post",
    "flag_queue",
    "flag_settle",
    "index",
    "member_detail",
    "member_note",
    "member_sanction",
    "member_warn",
    "my_status",
    "post_delete",
    "post_hide",
    "post_restore",
    "post_unhide",
    "queued_approve",
    "queued_reject",
    "sanction_lift",
    "thread_delete",
    "thread_hide",
    "thread_lock",
    "thread_merge",
    "thread_move",
    "thread_pin",
    "thread_restore",
    "thread_split",
    "thread_unhide",
    "thread_unlock",
    "thread_unpin",
]
