"""Who reads and who writes the handbook and the course.

Reading goes by the role held, so that a new moderator can read (and take the
course) before turning on two-factor authentication; writing needs the powers.
"""

from accounts.permissions import holds_role, is_network_leader
from handbook.models import COURSE_ROLES


def can_read_handbook(user) -> bool:
    return any(holds_role(user, role) for role in COURSE_ROLES)


def can_take_course(user) -> bool:
    return can_read_handbook(user)


def can_edit_handbook(user) -> bool:
    """Write and change pages, and choose which pages are lessons."""
    return is_network_leader(user)


def can_view_history(user) -> bool:
    return is_network_leader(user)


def can_restore_revision(user) -> bool:
    return is_network_leader(user)


def can_view_course_progress(user) -> bool:
    """See everyone's progress through the course."""
    return is_network_leader(user)
