"""Post actions: hide, delete, restore; what a moderator's edit records."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from forum import search
from forum.models import (
    Post,
    State,
    Thread,
)
from moderation.models import (
    AuditAction,
    FlagOutcome,
)
from moderation.services.common import (
    ModerationError,
    _locked_post,
    _resolve_flags,
    _set_state,
    _tell_author,
)
from moderation.services.threads import (
    delete_thread,
    hide_thread,
)


@transaction.atomic
def hide_post(*, post: Post, actor: User | None, reason: str, by_flags: bool = False) -> None:
    """Hide a post; its author still sees it, with the reason. A first post
    hides its whole thread."""
    locked = _locked_post(post)
    if locked.number == 1:
        hide_thread(thread=locked.thread, actor=actor, reason=reason)
        return
    if locked.state != State.PUBLISHED:
        raise ModerationError(_("The post is not visible any more."))
    _set_state(locked, state=State.HIDDEN, actor=actor, reason=reason)
    search.remove_posts([locked.pk])
    audit.record(
        actor=actor,
        action=AuditAction.AUTO_HIDE if by_flags else AuditAction.HIDE_POST,
        target=locked,
        reason=reason,
    )
    _tell_author(
        locked.author,
        thread=locked.thread,
        post=locked,
        actor=actor,
        message=lambda: (
            _("Your post in “%(title)s” was hidden. Reason: %(reason)s")
            % {"title": locked.thread.title, "reason": reason}
        ),
    )


@transaction.atomic
def unhide_post(*, post: Post, actor: User, reason: str = "") -> None:
    locked = _locked_post(post)
    if locked.state != State.HIDDEN:
        raise ModerationError(_("The post is not hidden."))
    _set_state(locked, state=State.PUBLISHED, actor=actor, reason="")
    search.index_posts([locked.pk])
    audit.record(actor=actor, action=AuditAction.UNHIDE_POST, target=locked, reason=reason)


@transaction.atomic
def delete_post(*, post: Post, actor: User, reason: str) -> None:
    locked = _locked_post(post)
    if locked.number == 1:
        delete_thread(thread=locked.thread, actor=actor, reason=reason)
        return
    if locked.state == State.DELETED:
        raise ModerationError(_("The post is already deleted."))
    _set_state(locked, state=State.DELETED, actor=actor, reason=reason)
    search.remove_posts([locked.pk])
    if locked.thread.accepted_post_id == locked.pk:
        Thread.objects.filter(pk=locked.thread_id).update(accepted_post=None)
    audit.record(actor=actor, action=AuditAction.DELETE_POST, target=locked, reason=reason)


@transaction.atomic
def restore_post(*, post: Post, actor: User, reason: str = "") -> None:
    locked = _locked_post(post)
    if locked.state != State.DELETED:
        raise ModerationError(_("The post is not deleted."))
    _set_state(locked, state=State.PUBLISHED, actor=actor, reason="")
    search.index_posts([locked.pk])
    audit.record(actor=actor, action=AuditAction.RESTORE_POST, target=locked, reason=reason)


def record_moderator_edit(*, post: Post, moderator: User, reason: str) -> None:
    """Listener of forum.extensions.post_edited_by_moderator (in the edit's
    transaction): the edit and its reason go into the audit log, and the flags
    on the post are settled as "edited"."""
    audit.record(actor=moderator, action=AuditAction.EDIT, target=post, reason=reason)
    _resolve_flags(post=post, actor=moderator, outcome=FlagOutcome.EDITED)
