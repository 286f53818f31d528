"""What the moderation services share: the error, notices, row locks, counters."""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from forum.models import (
    Category,
    Post,
    Thread,
)
from moderation.models import (
    Flag,
    FlagOutcome,
)
from moderation.notifications import FLAG_OUTCOME, MODERATION
from notifications.services import notice as notify


class ModerationError(Exception):
    """The action cannot be done as asked; the message is shown to the moderator."""


def _after_commit(task, **kwargs) -> None:
    transaction.on_commit(lambda: task.enqueue(**kwargs))


def _moderators_for(category_id: int | None) -> list[User]:
    """Who hears about flags and posts awaiting approval: moderators and the
    category's own moderators (not network leaders, who have other work)."""
    moderators = User.objects.members().filter(role_assignments__role=Role.MODERATOR)
    ids = set(moderators.values_list("pk", flat=True))
    if category_id:
        ids |= set(
            User.objects.members()
            .filter(moderated_categories__category_id=category_id)
            .values_list("pk", flat=True)
        )
    return list(User.objects.filter(pk__in=ids))


def _locked_thread(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)


def _locked_post(post: Post) -> Post:
    return (
        Post.objects.select_for_update()
        .select_related("thread", "thread__category")
        .get(pk=post.pk)
    )


def _set_state(obj, *, state: str, actor: User | None, reason: str) -> None:
    obj.state = state
    obj.moderation_reason = reason
    obj.moderated_by = actor
    obj.moderated_at = timezone.now()
    obj.save(update_fields=["state", "moderation_reason", "moderated_by", "moderated_at"])


def _count_posts(thread: Thread) -> int:
    return thread.reply_count + 1


def _bump(category_id: int, *, threads: int = 0, posts: int = 0) -> None:
    """Adjust a category's counters (never below zero, whatever drift there was)."""
    Category.objects.filter(pk=category_id).update(
        thread_count=Greatest(F("thread_count") + threads, 0),
        post_count=Greatest(F("post_count") + posts, 0),
    )


def _tell_author(author: User, *, thread, post, actor, message) -> None:
    if actor is not None and author.pk == actor.pk:
        return
    notify(
        recipient=author,
        kind=MODERATION,
        message=message,
        subject=post or thread,
        actor=actor,
    )


def _resolve_flags(*, post: Post, actor: User, outcome: str) -> int:
    flags = list(Flag.objects.open().filter(post=post).select_related("flagger"))
    if not flags:
        return 0
    Flag.objects.filter(pk__in=[f.pk for f in flags]).update(
        resolved_at=timezone.now(), resolved_by=actor, outcome=outcome
    )
    label = FlagOutcome(outcome).label
    for flag in flags:
        notify(
            recipient=flag.flagger,
            kind=FLAG_OUTCOME,
            subject=post,
            actor=None,
            message=lambda: (
                _("Thank you for your flag on a post in “%(title)s”: %(outcome)s.")
                % {"title": post.thread.title, "outcome": str(label).lower()}
            ),
        )
    return len(flags)
