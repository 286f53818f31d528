"""Thread actions: pin, lock, move, hide, delete, restore."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from forum import search
from forum.models import (
    Category,
    State,
    Thread,
)
from moderation.models import (
    AuditAction,
)
from moderation.services.common import (
    ModerationError,
    _bump,
    _count_posts,
    _locked_thread,
    _set_state,
    _tell_author,
)


@transaction.atomic
def set_pinned(*, thread: Thread, actor: User, pinned: bool, reason: str = "") -> None:
    locked = _locked_thread(thread)
    if locked.is_pinned == pinned:
        raise ModerationError(
            _("The thread is already pinned.") if pinned else _("The thread is not pinned.")
        )
    Thread.objects.filter(pk=locked.pk).update(is_pinned=pinned)
    audit.record(
        actor=actor,
        action=AuditAction.PIN if pinned else AuditAction.UNPIN,
        target=locked,
        reason=reason,
    )


@transaction.atomic
def lock_thread(*, thread: Thread, actor: User, reason: str) -> None:
    locked = _locked_thread(thread)
    if locked.is_locked:
        raise ModerationError(_("The thread is already locked."))
    Thread.objects.filter(pk=locked.pk).update(is_locked=True, lock_reason=reason, locked_by=actor)
    audit.record(actor=actor, action=AuditAction.LOCK, target=locked, reason=reason)


@transaction.atomic
def unlock_thread(*, thread: Thread, actor: User, reason: str = "") -> None:
    locked = _locked_thread(thread)
    if not locked.is_locked:
        raise ModerationError(_("The thread is not locked."))
    Thread.objects.filter(pk=locked.pk).update(is_locked=False, lock_reason="", locked_by=None)
    audit.record(actor=actor, action=AuditAction.UNLOCK, target=locked, reason=reason)


@transaction.atomic
def move_thread(*, thread: Thread, actor: User, category: Category, reason: str) -> None:
    locked = _locked_thread(thread)
    if locked.category_id == category.pk:
        raise ModerationError(_("The thread is already in that category."))
    old = locked.category
    Thread.objects.filter(pk=locked.pk).update(category=category)
    if locked.state == State.PUBLISHED:
        posts = _count_posts(locked)
        _bump(old.pk, threads=-1, posts=-posts)
        _bump(category.pk, threads=1, posts=posts)
    # The index holds no category (search filters by joining the thread), so the
    # posts need no reindexing; their visibility follows the new category's.
    audit.record(
        actor=actor,
        action=AuditAction.MOVE,
        target=locked,
        reason=reason,
        details={"from": old.name, "to": category.name},
    )


def _thread_leaves_lists(thread: Thread) -> None:
    _bump(thread.category_id, threads=-1, posts=-_count_posts(thread))
    search.remove_posts(list(thread.posts.values_list("pk", flat=True)))


def _thread_returns_to_lists(thread: Thread) -> None:
    _bump(thread.category_id, threads=1, posts=_count_posts(thread))
    search.index_posts(list(thread.posts.values_list("pk", flat=True)))


@transaction.atomic
def hide_thread(*, thread: Thread, actor: User, reason: str) -> None:
    locked = _locked_thread(thread)
    if locked.state != State.PUBLISHED:
        raise ModerationError(_("The thread is not visible any more."))
    _set_state(locked, state=State.HIDDEN, actor=actor, reason=reason)
    _thread_leaves_lists(locked)
    audit.record(actor=actor, action=AuditAction.HIDE_THREAD, target=locked, reason=reason)
    _tell_author(
        locked.author,
        thread=locked,
        post=None,
        actor=actor,
        message=lambda: (
            _("A moderator hid your thread “%(title)s”. Reason: %(reason)s")
            % {"title": locked.title, "reason": reason}
        ),
    )


@transaction.atomic
def unhide_thread(*, thread: Thread, actor: User, reason: str = "") -> None:
    locked = _locked_thread(thread)
    if locked.state != State.HIDDEN:
        raise ModerationError(_("The thread is not hidden."))
    _set_state(locked, state=State.PUBLISHED, actor=actor, reason="")
    _thread_returns_to_lists(locked)
    audit.record(actor=actor, action=AuditAction.UNHIDE_THREAD, target=locked, reason=reason)


@transaction.atomic
def delete_thread(*, thread: Thread, actor: User, reason: str) -> None:
    locked = _locked_thread(thread)
    if locked.state in (State.DELETED, State.MERGED):
        raise ModerationError(_("The thread is already deleted."))
    was_listed = locked.state == State.PUBLISHED
    _set_state(locked, state=State.DELETED, actor=actor, reason=reason)
    if was_listed:
        _thread_leaves_lists(locked)
    audit.record(actor=actor, action=AuditAction.DELETE_THREAD, target=locked, reason=reason)


@transaction.atomic
def restore_thread(*, thread: Thread, actor: User, reason: str = "") -> None:
    locked = _locked_thread(thread)
    if locked.state != State.DELETED:
        raise ModerationError(_("The thread is not deleted."))
    _set_state(locked, state=State.PUBLISHED, actor=actor, reason="")
    _thread_returns_to_lists(locked)
    audit.record(actor=actor, action=AuditAction.RESTORE_THREAD, target=locked, reason=reason)
