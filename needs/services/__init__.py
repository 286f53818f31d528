"""Needs board writes, each in one transaction; notices go out via
notifications.services.notice (in-site notice + mail after commit).

Changes to a need lock its row first and check its state again, so a form
shown before the need was closed or planned gets a clear NeedError instead of
a half-done change.
"""

from needs.services.board import (  # noqa: F401
    add_comment,
    backer_ids,
    plan_need,
    post_need,
    set_status,
    support_need,
    update_need,
    withdraw_support,
)
from needs.services.common import (  # noqa: F401
    DEFAULT_SIGNAL_THRESHOLD,
    FOLLOW_UP_AFTER,
    FOLLOW_UP_EARLY,
    PLACEHOLDER_DAYS,
    PLACEHOLDER_END,
    PLACEHOLDER_START,
    PLACEHOLDER_VENUE,
    AlreadyPlanned,
    AlreadySupported,
    BadText,
    NeedChanged,
    NeedClosed,
    NeedError,
    NeedNotActive,
    OwnNeed,
    _lock,
    _notify,
    _render,
    _set_tags,
    _when,
    placeholder_times,
    signal_threshold,
)
from needs.services.meetups import (  # noqa: F401
    _schedule_follow_up,
    answer_follow_up,
    ask_follow_up,
    meetup_cancelled,
    meetup_moved,
    meetup_published,
)
from needs.services.signals import (  # noqa: F401
    _offer_if_enough,
    _planners,
    plan_thread_meetup,
    signal_thread,
    thread_signal_context,
    withdraw_signal,
)
