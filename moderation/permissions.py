"""Moderation rules. Moderators and network leaders moderate everywhere,
category moderators their categories; all need two-factor authentication."""

from accounts.models import Role
from accounts.permissions import holds_role, is_member, is_network_leader, is_silenced
from forum.models import State
from forum.permissions import (
    can_moderate,
    can_see_deleted,
    is_staff_moderator,
    moderated_category_ids,
    moderates_something,
)


def can_moderate_thread(user, thread) -> bool:
    return can_moderate(user, thread.category_id)


def can_delete(user, thread) -> bool:
    """Moderators delete (softly); only network leaders restore."""
    return can_moderate(user, thread.category_id)


def can_restore(user) -> bool:
    return can_see_deleted(user)


def can_move_to(user, thread, category) -> bool:
    return can_moderate(user, thread.category_id) and can_moderate(user, category.pk)


def can_merge(user, source, target) -> bool:
    return can_moderate(user, source.category_id) and can_moderate(user, target.category_id)


def can_flag(user, post) -> bool:
    """Any member who may post can flag someone else's visible post."""
    return (
        is_member(user)
        and not is_silenced(user)
        and post.author_id != user.pk
        and post.state == State.PUBLISHED
    )


def can_review(user) -> bool:
    """The flag queue and the approval queue."""
    return moderates_something(user)


def review_category_ids(user):
    """None: every category; else the categories this category moderator sees."""
    return None if is_staff_moderator(user) else moderated_category_ids(user)


def can_review_post(user, post) -> bool:
    return can_moderate(user, post.thread.category_id)


def can_manage_members(user) -> bool:
    """Warn, silence, suspend, read and write moderator notes."""
    return is_staff_moderator(user)


def can_sanction(user, member) -> bool:
    """Never oneself; moderators and leaders only by a network leader."""
    if not can_manage_members(user) or member.pk == user.pk:
        return False
    if holds_role(member, Role.MODERATOR) or holds_role(member, Role.NETWORK_LEADER):
        return is_network_leader(user)
    return True


def can_view_audit_log(user) -> bool:
    return is_staff_moderator(user)


def can_manage_category_moderators(user) -> bool:
    return is_network_leader(user)
