"""Moderation writes. Each action is one transaction that locks its target
first, so a second moderator acting on a stale page gets a clear message
(ModerationError) instead of a half-done or repeated action, and each one is
written to the audit log."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Min
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, Sanction, SanctionKind, User
from forum import search
from forum import services as forum_services
from forum.models import (
    Category,
    Draft,
    Notification,
    NotificationKind,
    Post,
    State,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from moderation import audit
from moderation.models import (
    AuditAction,
    Flag,
    FlagOutcome,
    ModeratorNote,
    QueuedPost,
    QueueReason,
    QueueState,
)
from netvaerk.markup import render_markdown


class ModerationError(Exception):
    """The action cannot be done as asked; the message is shown to the moderator."""


def _after_commit(task, **kwargs) -> None:
    transaction.on_commit(lambda: task.enqueue(**kwargs))


def notify(
    *,
    recipient: User,
    kind: str,
    message,
    thread: Thread | None = None,
    post: Post | None = None,
    actor: User | None = None,
    link: str = "",
) -> Notification:
    """A notice in the recipient's own language, mailed like other notifications.
    `message` is a callable returning the text (called with their language on)."""
    from forum import tasks

    with translation.override(recipient.language):
        text = str(message())[:500]
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        thread=thread,
        post=post,
        actor=actor,
        message=text,
        link=link,
    )
    User.objects.filter(pk=recipient.pk).update(unread_notifications=F("unread_notifications") + 1)
    _after_commit(tasks.email_notifications, notification_ids=[notification.pk])
    return notification


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


# --- Threads ------------------------------------------------------------------------


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


def _count_posts(thread: Thread) -> int:
    return thread.reply_count + 1


def _bump(category_id: int, *, threads: int = 0, posts: int = 0) -> None:
    """Adjust a category's counters (never below zero, whatever drift there was)."""
    Category.objects.filter(pk=category_id).update(
        thread_count=Greatest(F("thread_count") + threads, 0),
        post_count=Greatest(F("post_count") + posts, 0),
    )


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


# --- Posts --------------------------------------------------------------------------


def _tell_author(author: User, *, thread, post, actor, message) -> None:
    if actor is not None and author.pk == actor.pk:
        return
    notify(
        recipient=author,
        kind=NotificationKind.MODERATION,
        message=message,
        thread=thread,
        post=post,
        actor=actor,
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


@transaction.atomic
def edit_as_moderator(*, post: Post, actor: User, body: str, title: str | None, reason: str):
    """A moderator edits someone's post: the reason goes into its history and
    the audit log, and the flags on it are settled as "edited"."""
    edited = forum_services.edit_post(
        post=post, editor=actor, body=body, title=title, reason=reason
    )
    audit.record(actor=actor, action=AuditAction.EDIT, target=edited, reason=reason)
    _resolve_flags(post=edited, actor=actor, outcome=FlagOutcome.EDITED)
    return edited


# --- Merge and split ----------------------------------------------------------------


def _renumber(post_ids_in_order: list[int]) -> dict[int, int]:
    """Give the posts numbers 1..n in this order; returns post id → new number.
    Two steps, so the (thread, number) uniqueness never trips in between."""
    offset = 1_000_000
    Post.objects.filter(pk__in=post_ids_in_order).update(number=F("number") + offset)
    numbers = {}
    for number, pk in enumerate(post_ids_in_order, start=1):
        Post.objects.filter(pk=pk).update(number=number)
        numbers[pk] = number
    return numbers


def _read_positions(thread: Thread) -> dict[int, set[int]]:
    """user id → the ids of the posts they had read in this thread."""
    positions = {}
    reads = ThreadRead.objects.filter(thread=thread).values_list("user_id", "last_read_number")
    by_number = dict(thread.posts.values_list("number", "pk"))
    for user_id, last in reads:
        positions[user_id] = {pk for number, pk in by_number.items() if number <= last}
    return positions


def _refresh_thread_counters(thread_id: int) -> None:
    stats = Post.objects.filter(thread_id=thread_id).aggregate(
        count=Count("pk"), last=Max("created_at")
    )
    first = Post.objects.filter(thread_id=thread_id, number=1).values("author_id").first()
    author_id = first["author_id"] if first else None
    first_reply = (
        Post.objects.filter(thread_id=thread_id, number__gt=1)
        .exclude(author_id=author_id)
        .aggregate(first=Min("created_at"))["first"]
    )
    last_poster = (
        Post.objects.filter(thread_id=thread_id).order_by("-number").values("author_id").first()
    )
    Thread.objects.filter(pk=thread_id).update(
        reply_count=max(stats["count"] - 1, 0),
        last_posted_at=stats["last"] or timezone.now(),
        first_reply_at=first_reply,
        last_poster_id=last_poster["author_id"] if last_poster else None,
        author_id=author_id or F("author_id"),
    )


def _restore_reads(thread: Thread, read_post_ids: dict[int, set[int]], numbers: dict[int, int]):
    """Each reader has read up to the last number before the first post they
    had not read (so nothing new is skipped after posts are interleaved)."""
    order = sorted(numbers, key=numbers.get)
    for user_id, read in read_post_ids.items():
        last = 0
        for pk in order:
            if pk not in read:
                break
            last = numbers[pk]
        ThreadRead.objects.update_or_create(
            user_id=user_id, thread=thread, defaults={"last_read_number": last}
        )


@transaction.atomic
def merge_threads(*, source: Thread, target: Thread, actor: User, reason: str) -> Thread:
    """Move every post of `source` into `target`, interleaved by time; the old
    address redirects. Counts, read positions, follows, drafts, notifications,
    tags and the search index follow."""
    if source.pk == target.pk:
        raise ModerationError(_("A thread cannot be merged into itself."))
    first, second = sorted([source.pk, target.pk])
    locked = {
        t.pk: t
        for t in Thread.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")
    }
    source, target = locked.get(source.pk), locked.get(target.pk)
    if source is None or target is None:
        raise ModerationError(_("One of the threads no longer exists."))
    for thread in (source, target):
        if thread.state in (State.MERGED, State.DELETED):
            raise ModerationError(
                _("“%(title)s” was merged or deleted meanwhile.") % {"title": thread.title}
            )
    reads: dict[int, set[int]] = {}
    for thread in (target, source):
        for user_id, read in _read_positions(thread).items():
            reads.setdefault(user_id, set()).update(read)
    # Readers of only one of the two have read nothing of the other.
    moved_ids = list(source.posts.values_list("pk", flat=True))
    # Out of the way of the target's numbers first; _renumber sets the final ones.
    Post.objects.filter(thread=source).update(thread=target, number=F("number") + 500_000)
    order = list(
        Post.objects.filter(thread=target).order_by("created_at", "pk").values_list("pk", flat=True)
    )
    numbers = _renumber(order)
    ThreadRead.objects.filter(thread=source).delete()
    _restore_reads(target, reads, numbers)
    _refresh_thread_counters(target.pk)
    if target.accepted_post_id is None and source.accepted_post_id:
        Thread.objects.filter(pk=target.pk).update(accepted_post_id=source.accepted_post_id)
    target.tags.add(*source.tags.all())
    for follow in ThreadFollow.objects.filter(thread=source):
        ThreadFollow.objects.get_or_create(
            user_id=follow.user_id, thread=target, defaults={"is_muted": follow.is_muted}
        )
    ThreadFollow.objects.filter(thread=source).delete()
    for draft in Draft.objects.filter(thread=source):
        existing = Draft.objects.filter(user_id=draft.user_id, thread=target).first()
        if existing:  # keep both texts
            existing.body = f"{existing.body}\n\n{draft.body}"[:60_000]
            existing.save(update_fields=["body"])
            draft.delete()
        else:
            Draft.objects.filter(pk=draft.pk).update(thread=target)
    Notification.objects.filter(thread=source).update(thread=target)
    QueuedPost.objects.filter(thread=source).update(thread=target)
    source_posts = _count_posts(source)
    Thread.objects.filter(pk=source.pk).update(
        state=State.MERGED,
        merged_into=target,
        moderated_by=actor,
        moderated_at=timezone.now(),
        moderation_reason=reason,
        accepted_post=None,
        reply_count=0,
        is_pinned=False,
    )
    if source.state == State.PUBLISHED:
        _bump(source.category_id, threads=-1, posts=-source_posts)
        if target.state == State.PUBLISHED:
            _bump(target.category_id, posts=source_posts)
    # The old first post is a reply now (no title); the target's first may have changed.
    search.index_posts([*moved_ids, order[0]])
    audit.record(
        actor=actor,
        action=AuditAction.MERGE,
        target=target,
        reason=reason,
        details={"source": source.pk, "source_title": source.title, "posts": len(moved_ids)},
    )
    target.refresh_from_db()
    return target


@transaction.atomic
def split_posts(
    *,
    thread: Thread,
    post_ids: list[int],
    actor: User,
    title: str,
    category: Category,
    reason: str,
) -> Thread:
    """Move the chosen replies into a new thread (in their order by time)."""
    source = _locked_thread(thread)
    if source.state in (State.MERGED, State.DELETED):
        raise ModerationError(_("The thread was merged or deleted meanwhile."))
    moving = list(
        Post.objects.filter(thread=source, pk__in=post_ids, number__gt=1).order_by(
            "created_at", "pk"
        )
    )
    if not moving:
        raise ModerationError(_("Choose at least one reply to move (not the first post)."))
    if len(moving) != len(set(post_ids)):
        raise ModerationError(
            _("Some of the chosen posts are not replies in this thread any more. Choose again.")
        )
    reads = _read_positions(source)
    first = moving[0]
    new = Thread.objects.create(
        category=category,
        title=title,
        slug=forum_services.thread_slug(title),
        kind=source.kind,
        author_id=first.author_id,
        created_at=first.created_at,
        last_posted_at=moving[-1].created_at,
    )
    moved_ids = [p.pk for p in moving]
    Post.objects.filter(pk__in=moved_ids).update(thread=new)
    _renumber(moved_ids)
    remaining = list(
        Post.objects.filter(thread=source).order_by("created_at", "pk").values_list("pk", flat=True)
    )
    numbers = _renumber(remaining)
    _restore_reads(source, reads, numbers)
    if source.accepted_post_id in moved_ids:
        Thread.objects.filter(pk=source.pk).update(accepted_post=None)
    for thread_id in (source.pk, new.pk):
        _refresh_thread_counters(thread_id)
    Notification.objects.filter(post_id__in=moved_ids).update(thread=new)
    for user_id in set(Post.objects.filter(pk__in=moved_ids).values_list("author_id", flat=True)):
        ThreadFollow.objects.get_or_create(user_id=user_id, thread=new)
    count = len(moved_ids)
    if source.state == State.PUBLISHED:
        _bump(source.category_id, posts=-count)
        _bump(category.pk, threads=1, posts=count)
    else:
        Thread.objects.filter(pk=new.pk).update(state=source.state)
    search.index_posts(moved_ids)
    audit.record(
        actor=actor,
        action=AuditAction.SPLIT,
        target=new,
        reason=reason,
        details={"source": source.pk, "source_title": source.title, "posts": count},
    )
    new.refresh_from_db()
    return new


# --- Flags --------------------------------------------------------------------------


def is_established(user: User) -> bool:
    """Past the new-member stage: enough published posts and days (see settings)."""
    rules = settings.NETVAERK_TRUST
    if user.roles:
        return True
    old_enough = user.date_joined <= timezone.now() - timezone.timedelta(
        days=rules["new_member_days"]
    )
    if not old_enough:
        return False
    published = Post.objects.filter(author=user, state=State.PUBLISHED).count()
    return published >= rules["new_member_posts"]


@transaction.atomic
def flag_post(*, post: Post, flagger: User, reason: str, text: str = "") -> Flag:
    """One flag per member and post. Enough flags from established members hide
    the post until a moderator has looked."""
    locked = _locked_post(post)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(post=locked, flagger=flagger, reason=reason, text=text)
    except IntegrityError:
        raise ModerationError(_("You have already flagged this post.")) from None
    open_flags = Flag.objects.open().filter(post=locked)
    if open_flags.count() == 1:  # the first open flag: tell the moderators once
        for moderator in _moderators_for(locked.thread.category_id):
            if moderator.pk == flagger.pk:
                continue
            notify(
                recipient=moderator,
                kind=NotificationKind.REVIEW,
                thread=locked.thread,
                post=locked,
                link=reverse("moderation:flag_queue"),
                message=lambda: (
                    _("A post in “%(title)s” was flagged.") % {"title": locked.thread.title}
                ),
            )
    threshold = settings.NETVAERK_TRUST["flags_to_hide"]
    if locked.state == State.PUBLISHED and locked.number > 1 and threshold:
        established = sum(
            1 for f in open_flags.select_related("flagger") if is_established(f.flagger)
        )
        if established >= threshold:
            hide_post(
                post=locked,
                actor=None,
                by_flags=True,
                reason=_("Hidden after flags from members until a moderator has looked at it."),
            )
    return flag


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
            kind=NotificationKind.FLAG_OUTCOME,
            thread=post.thread,
            post=post,
            actor=None,
            message=lambda: (
                _("Thank you for your flag on a post in “%(title)s”: %(outcome)s.")
                % {"title": post.thread.title, "outcome": str(label).lower()}
            ),
        )
    return len(flags)


@transaction.atomic
def settle_flags(
    *, post: Post, actor: User, outcome: str, reason: str = "", sanction_until=None
) -> None:
    """The review queue's actions: hide, dismiss, warn or silence the author."""
    locked = _locked_post(post)
    if not Flag.objects.open().filter(post=locked).exists():
        raise ModerationError(_("Another moderator has already dealt with these flags."))
    if outcome == FlagOutcome.HIDDEN:
        if locked.state == State.PUBLISHED or locked.number == 1:
            hide_post(post=locked, actor=actor, reason=reason)
        else:  # hidden by the flags already: the moderator confirms it
            _set_state(locked, state=locked.state, actor=actor, reason=reason)
    elif outcome == FlagOutcome.DISMISSED:
        if locked.state == State.HIDDEN and locked.moderated_by_id is None:
            unhide_post(post=locked, actor=actor, reason=reason)  # auto-hidden by mistake
        audit.record(actor=actor, action=AuditAction.DISMISS_FLAGS, target=locked, reason=reason)
    elif outcome == FlagOutcome.WARNED:
        warn_member(member=locked.author, actor=actor, message=reason, post=locked)
    elif outcome == FlagOutcome.SILENCED:
        sanction_member(
            member=locked.author,
            actor=actor,
            kind=SanctionKind.SILENCE,
            reason=reason,
            ends_at=sanction_until,
        )
    else:
        raise ModerationError(_("Choose what to do with the flags."))
    _resolve_flags(post=locked, actor=actor, outcome=outcome)


# --- Members ------------------------------------------------------------------------


@transaction.atomic
def warn_member(*, member: User, actor: User, message: str, post: Post | None = None) -> None:
    notify(
        recipient=member,
        kind=NotificationKind.MODERATION,
        actor=actor,
        thread=post.thread if post else None,
        post=post,
        link="" if post else reverse("accounts:member_detail", kwargs={"pk": member.pk}),
        message=lambda: _("A moderator sends you a warning: %(message)s") % {"message": message},
    )
    audit.record(actor=actor, action=AuditAction.WARN, target=member, reason=message)


@transaction.atomic
def sanction_member(*, member: User, actor: User, kind: str, reason: str, ends_at=None) -> Sanction:
    """Silence (may read, not post) or suspend (may not log in) until `ends_at`
    (None: until lifted). It lifts itself when the time runs out."""
    User.objects.select_for_update().filter(pk=member.pk).first()
    if ends_at is not None and ends_at <= timezone.now():
        raise ModerationError(_("The end must be in the future."))
    sanction = Sanction.objects.create(
        user=member, kind=kind, reason=reason, ends_at=ends_at, created_by=actor
    )
    until = timezone.localtime(ends_at).strftime("%d.%m.%Y %H:%M") if ends_at else None

    def message():
        if kind == SanctionKind.SUSPEND:
            text = _("Your account is suspended")
        else:
            text = _("You are silenced: you may read but not post")
        if until:
            text += " " + _("until %(until)s") % {"until": until}
        return f"{text}. " + _("Reason: %(reason)s") % {"reason": reason}

    notify(
        recipient=member,
        kind=NotificationKind.MODERATION,
        actor=actor,
        message=message,
        link=reverse("moderation:my_status"),
    )
    audit.record(
        actor=actor,
        action=AuditAction.SUSPEND if kind == SanctionKind.SUSPEND else AuditAction.SILENCE,
        target=member,
        reason=reason,
        details={"until": ends_at.isoformat() if ends_at else None},
    )
    return sanction


@transaction.atomic
def lift_sanction(*, sanction: Sanction, actor: User, reason: str = "") -> None:
    updated = Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=actor
    )
    if not updated:
        raise ModerationError(_("The sanction was already lifted."))
    audit.record(
        actor=actor,
        action=AuditAction.LIFT,
        target=sanction.user,
        reason=reason,
        details={"kind": sanction.kind},
    )


@transaction.atomic
def add_note(*, member: User, actor: User, text: str) -> ModeratorNote:
    note = ModeratorNote.objects.create(member=member, author=actor, text=text)
    audit.record(actor=actor, action=AuditAction.NOTE, target=member)
    return note


@transaction.atomic
def add_category_moderator(*, category: Category, user: User, actor: User):
    from forum.models import CategoryModerator

    try:
        with transaction.atomic():
            CategoryModerator.objects.create(category=category, user=user, appointed_by=actor)
    except IntegrityError:
        raise ModerationError(
            _("%(name)s already moderates that category.") % {"name": user}
        ) from None
    audit.record(
        actor=actor,
        action=AuditAction.CATEGORY_MODERATOR,
        target=category,
        details={"added": user.pk, "name": str(user)},
    )


@transaction.atomic
def remove_category_moderator(*, category: Category, user_id, actor: User) -> bool:
    from forum.models import CategoryModerator

    if not str(user_id).isdecimal() or len(str(user_id)) > 12:
        return False
    deleted, _ = CategoryModerator.objects.filter(category=category, user_id=int(user_id)).delete()
    if deleted:
        audit.record(
            actor=actor,
            action=AuditAction.CATEGORY_MODERATOR,
            target=category,
            details={"removed": int(user_id)},
        )
    return bool(deleted)


# --- Approval queue -----------------------------------------------------------------


def count_links(html: str) -> int:
    return html.count("<a ")


def approval_reason(*, author: User, body_html: str) -> str | None:
    """Why a new member's post waits for a moderator, or None to publish it."""
    rules = settings.NETVAERK_TRUST
    if author.roles:
        return None
    approved = Post.objects.filter(author=author).count()
    if approved < rules["approve_first_posts"]:
        return QueueReason.NEW_MEMBER
    if count_links(body_html) > rules["max_links_new_member"] and not is_established(author):
        return QueueReason.LINKS
    return None


@transaction.atomic
def queue_post(
    *,
    author: User,
    why: str,
    body: str,
    body_html: str,
    thread: Thread | None = None,
    category: Category | None = None,
    kind: str = "",
    title: str = "",
    tags_text: str = "",
    submission_key: str = "",
) -> QueuedPost:
    """Hold a post for approval (a repeated submission returns the first)."""
    if submission_key:
        existing = QueuedPost.objects.filter(author=author, submission_key=submission_key).first()
        if existing:
            return existing
    queued = QueuedPost.objects.create(
        author=author,
        why=why,
        body=body,
        body_html=body_html,
        thread=thread,
        category=category,
        kind=kind,
        title=title,
        tags_text=tags_text,
        submission_key=submission_key,
    )
    if thread is not None:
        Draft.objects.filter(user=author, thread=thread).delete()
    else:
        Draft.objects.filter(user=author, thread__isnull=True).delete()
    category_id = thread.category_id if thread else category.pk
    for moderator in _moderators_for(category_id):
        notify(
            recipient=moderator,
            kind=NotificationKind.REVIEW,
            thread=thread,
            link=reverse("moderation:approval_queue"),
            message=lambda: _("A post by %(name)s awaits approval.") % {"name": author},
        )
    return queued


def _locked_queued(queued: QueuedPost) -> QueuedPost:
    locked = (
        QueuedPost.objects.select_for_update(of=("self",)).select_related(
            "thread", "category", "author"
        )
    ).get(pk=queued.pk)
    if locked.state != QueueState.PENDING:
        raise ModerationError(_("Another moderator has already decided on this post."))
    return locked


@transaction.atomic
def approve(*, queued: QueuedPost, actor: User) -> Post:
    """Publish the post with the time it was written; its notifications go now."""
    locked = _locked_queued(queued)
    if locked.is_new_thread:
        thread = forum_services.start_thread(
            category=locked.category,
            author=locked.author,
            title=locked.title,
            kind=locked.kind,
            body=locked.body,
            tags=forum_services.parse_tags(locked.tags_text),
            created_at=locked.created_at,
        )
        post = thread.posts.get(number=1)
    else:
        if locked.thread.state != State.PUBLISHED:
            raise ModerationError(
                _("The thread is no longer visible, so the reply cannot be published. Reject it.")
            )
        post = forum_services.post_reply(
            thread=locked.thread,
            author=locked.author,
            body=locked.body,
            created_at=locked.created_at,
        )
    QueuedPost.objects.filter(pk=locked.pk).update(
        state=QueueState.APPROVED, decided_by=actor, decided_at=timezone.now(), post=post
    )
    audit.record(actor=actor, action=AuditAction.APPROVE, target=post)
    _tell_author(
        locked.author,
        thread=post.thread,
        post=post,
        actor=actor,
        message=lambda: (
            _("Your post in “%(title)s” was approved and is published.")
            % {"title": post.thread.title}
        ),
    )
    return post


@transaction.atomic
def reject(*, queued: QueuedPost, actor: User, reason: str) -> None:
    """Turn the post down; the author is told why and keeps the text as a draft."""
    locked = _locked_queued(queued)
    QueuedPost.objects.filter(pk=locked.pk).update(
        state=QueueState.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        reject_reason=reason,
    )
    if locked.is_new_thread:
        forum_services.save_draft(
            user=locked.author,
            thread=None,
            category=locked.category,
            kind=locked.kind,
            title=locked.title,
            tags_text=locked.tags_text,
            body=locked.body,
        )
    elif locked.thread.state == State.PUBLISHED:
        forum_services.save_draft(user=locked.author, thread=locked.thread, body=locked.body)
    audit.record(
        actor=actor,
        action=AuditAction.REJECT,
        target=locked.thread or locked.author,
        reason=reason,
        details={"queued": locked.pk},
    )
    notify(
        recipient=locked.author,
        kind=NotificationKind.MODERATION,
        actor=actor,
        thread=locked.thread,
        link=reverse("forum:draft_list"),
        message=lambda: (
            _("Your post was not published. Reason: %(reason)s. Your text is under My drafts.")
            % {"reason": reason}
        ),
    )


def render_body(body: str) -> str:
    return render_markdown(body)
