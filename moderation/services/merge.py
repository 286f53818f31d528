"""Merging threads and splitting posts into a new thread."""

from django.db import transaction
from django.db.models import Count, F, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from forum import search
from forum import services as forum_services
from forum.models import (
    Category,
    Draft,
    Post,
    State,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from moderation.models import (
    AuditAction,
    QueuedPost,
)
from moderation.services.common import (
    ModerationError,
    _bump,
    _count_posts,
    _locked_thread,
)
from notifications import services as notifications


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
    notifications.retarget(old=source, new=target)  # those about posts follow the posts
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
        language=actor.language,  # the moderator wrote the title
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
