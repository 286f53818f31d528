"""Forum writes; each in one transaction, counters with F()."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from accounts.models import User
from forum import notifications, search, tasks
from forum.extensions import Outcome, post_edited_by_moderator, publishing_gate, thread_started
from forum.models import (
    Bookmark,
    Category,
    CategoryFollow,
    Draft,
    Post,
    PostRevision,
    Reaction,
    Tag,
    TagFollow,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from netvaerk import counters
from netvaerk.markup import render_markdown
from netvaerk.text import clean_one_line, strip_control_chars

MAX_TAGS = 5


class EditConflict(Exception):
    """The post changed since the editor opened it: ``current`` is the newer post."""

    def __init__(self, current: Post):
        super().__init__("the post was changed in the meantime")
        self.current = current


class DraftConflict(Exception):
    """A newer save of the draft exists (another tab): ``current`` is that draft."""

    def __init__(self, current: Draft):
        super().__init__("the draft was saved elsewhere in the meantime")
        self.current = current


def _is_repeat(*, author: User, body: str, submission_key: str, **place) -> bool:
    """The member published this very text in the same place a moment ago (two
    tabs, a resent form) under another submission key. (The same key is a
    double click, which returns the first post instead.)"""
    since = timezone.now() - timedelta(seconds=settings.NETVAERK_DUPLICATE_SECONDS)
    repeats = Post.objects.filter(author=author, body=body, created_at__gte=since, **place)
    if submission_key:
        repeats = repeats.exclude(submission_key=submission_key)
    return repeats.exists()


def _after_commit(task, **kwargs) -> None:
    """Enqueue a background task once the surrounding transaction has committed."""
    transaction.on_commit(lambda: task.enqueue(**kwargs))


@transaction.atomic
def follow_thread(*, user: User, thread: Thread, level: str) -> None:
    """level: "follow", "mute" or "none" (neither)."""
    if level == "none":
        ThreadFollow.objects.filter(user=user, thread=thread).delete()
    else:
        ThreadFollow.objects.update_or_create(
            user=user, thread=thread, defaults={"is_muted": level == "mute"}
        )


def _toggle(model, **lookup) -> bool:
    """Delete the row if it exists, else create it. Returns whether it exists now."""
    deleted, _ = model.objects.filter(**lookup).delete()
    if not deleted:
        model.objects.get_or_create(**lookup)
    return not deleted


@transaction.atomic
def toggle_category_follow(*, user: User, category: Category) -> bool:
    return _toggle(CategoryFollow, user=user, category=category)


@transaction.atomic
def toggle_tag_follow(*, user: User, tag: Tag) -> bool:
    return _toggle(TagFollow, user=user, tag=tag)


def thread_slug(title: str) -> str:
    return slugify(title, allow_unicode=True)[:150] or "traad"


def parse_tags(text: str) -> list[str]:
    names: dict[str, str] = {}
    for raw in text.replace(";", ",").split(","):
        name = clean_one_line(raw)[:40]
        slug = slugify(name, allow_unicode=True)
        if name and slug and slug not in names:
            names[slug] = name
    return list(names.values())


def _tag_objects(names: list[str]) -> list[Tag]:
    tags = []
    for name in names[:MAX_TAGS]:
        tag, _ = Tag.objects.get_or_create(
            slug=slugify(name, allow_unicode=True), defaults={"name": name}
        )
        tags.append(tag)
    return tags


@transaction.atomic
def start_thread(
    *,
    category: Category,
    author: User,
    title: str,
    kind: str,
    body: str,
    tags: list[str] | None = None,
    submission_key: str = "",
    created_at=None,
) -> Thread:
    """Create a thread with its first post. A repeated submission returns the first.
    `created_at`: when an approved post was written (else now). Title and post
    take the author's language, for lang= where they are shown."""
    if submission_key:
        existing = (
            Post.objects.filter(author=author, submission_key=submission_key, number=1)
            .select_related("thread")
            .first()
        )
        if existing:
            return existing.thread
    now = created_at or timezone.now()
    thread = Thread.objects.create(
        category=category,
        title=title,
        slug=thread_slug(title),
        kind=kind,
        author=author,
        language=author.language,
        created_at=now,
        last_posted_at=now,
        last_poster=author,
    )
    thread.tags.set(_tag_objects(tags or []))
    first = Post.objects.create(
        thread=thread,
        number=1,
        author=author,
        body=body,
        body_html=render_markdown(body),
        language=author.language,
        created_at=now,
        submission_key=submission_key,
    )
    search.index_post(first)
    Category.objects.filter(pk=category.pk).update(
        thread_count=F("thread_count") + 1, post_count=F("post_count") + 1
    )
    mark_read(user=author, thread=thread, number=1)
    ThreadFollow.objects.get_or_create(user=author, thread=thread)
    Draft.objects.filter(user=author, thread__isnull=True).delete()
    _after_commit(tasks.deliver_post_notifications, post_id=first.pk)
    thread_started.call(thread=thread, post=first)
    return thread


@transaction.atomic
def submit_thread(
    *,
    category: Category,
    author: User,
    title: str,
    kind: str,
    body: str,
    body_html: str | None = None,
    tags: list[str] | None = None,
    submission_key: str = "",
) -> Outcome:
    """A member starts a thread: published now, or held when the publishing
    gate says so (e.g. a new member's first posts wait for a moderator).
    `body_html`: the body already rendered (by the form), else rendered here.
    The same title and text by the same member in the same category within
    NETVAERK_DUPLICATE_SECONDS is refused and kept as the new-thread draft."""
    if _is_repeat(
        author=author,
        body=body,
        submission_key=submission_key,
        number=1,
        thread__category=category,
        thread__title=title,
    ):
        draft = save_draft(
            user=author,
            category=category,
            kind=kind,
            title=title,
            tags_text=", ".join(tags or []),
            body=body,
        )
        return Outcome(
            published=None,
            held=False,
            duplicate=True,
            draft=draft,
            message=gettext(
                "You just started a thread with this title and text. It was not published "
                "again; your text is kept under My drafts."
            ),
        )
    held = publishing_gate.ask(
        author=author,
        body=body,
        body_html=render_markdown(body) if body_html is None else body_html,
        submission_key=submission_key,
        thread=None,
        category=category,
        kind=kind,
        title=title,
        tags=tags or [],
    )
    if held is not None:
        return held
    thread = start_thread(
        category=category,
        author=author,
        title=title,
        kind=kind,
        body=body,
        tags=tags,
        submission_key=submission_key,
    )
    return Outcome(published=thread, held=False, message=gettext("Your thread was published."))


@transaction.atomic
def submit_reply(
    *,
    thread: Thread,
    author: User,
    body: str,
    body_html: str | None = None,
    submission_key: str = "",
) -> Outcome:
    """A member replies: published now (the outcome holds the Post), or held
    when the publishing gate says so. The same text by the same member in the
    same thread within NETVAERK_DUPLICATE_SECONDS is refused and kept as a draft."""
    if _is_repeat(author=author, body=body, submission_key=submission_key, thread=thread):
        draft = save_draft(user=author, thread=thread, body=body)
        return Outcome(
            published=None,
            held=False,
            duplicate=True,
            draft=draft,
            message=gettext(
                "You just posted this text in this thread. It was not posted again; "
                "your text is kept under My drafts."
            ),
        )
    held = publishing_gate.ask(
        author=author,
        body=body,
        body_html=render_markdown(body) if body_html is None else body_html,
        submission_key=submission_key,
        thread=thread,
        category=None,
        kind=None,
        title=None,
        tags=None,
    )
    if held is not None:
        return held
    post = post_reply(thread=thread, author=author, body=body, submission_key=submission_key)
    return Outcome(published=post, held=False, message=gettext("Your reply was posted."))


@transaction.atomic
def post_reply(
    *, thread: Thread, author: User, body: str, submission_key: str = "", created_at=None
) -> Post:
    """Add a reply. A repeated submission (double click) returns the first post.
    `created_at`: when an approved post was written (it still comes last). The
    post takes the author's language."""
    if submission_key:
        existing = Post.objects.filter(author=author, submission_key=submission_key).first()
        if existing:
            return existing
    body_html = render_markdown(body)
    # Lock the thread row: numbers are handed out one at a time.
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    now = created_at or timezone.now()
    try:
        with transaction.atomic():
            post = Post.objects.create(
                thread=locked,
                number=locked.reply_count + 2,
                author=author,
                body=body,
                body_html=body_html,
                language=author.language,
                created_at=now,
                submission_key=submission_key,
            )
    except IntegrityError:
        existing = Post.objects.filter(author=author, submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    search.index_post(post)
    updates = {
        "reply_count": F("reply_count") + 1,
        "last_posted_at": Greatest(F("last_posted_at"), now),
        "last_poster": author,
    }
    if locked.first_reply_at is None and author.pk != locked.author_id:
        updates["first_reply_at"] = now
    Thread.objects.filter(pk=locked.pk).update(**updates)
    Category.objects.filter(pk=locked.category_id).update(post_count=F("post_count") + 1)
    mark_read(user=author, thread=locked, number=post.number)
    ThreadFollow.objects.get_or_create(user=author, thread=locked)
    Draft.objects.filter(user=author, thread=locked).delete()
    _after_commit(tasks.deliver_post_notifications, post_id=post.pk)
    return post


@transaction.atomic
def accept_answer(*, thread: Thread, post: Post, accepted_by: User | None = None) -> None:
    """Mark the answer that solved the question; when someone other than the
    asker (a moderator) does it, the asker is asked what they ended up doing."""
    if post.thread_id != thread.pk or post.number == 1:
        raise ValueError("only a reply in the same thread can be the accepted answer")
    if thread.accepted_post_id == post.pk:
        return
    previous_id = thread.accepted_post_id
    Thread.objects.filter(pk=thread.pk).update(accepted_post=post, solved_at=timezone.now())
    notifications.notify_accepted(post=post)
    if accepted_by is not None and not thread.outcome:
        notifications.ask_for_outcome(thread=thread, accepted_by=accepted_by)
    if thread.outcome_html:  # the outcome note moves to the new answer in search
        search.index_posts([pk for pk in (previous_id, post.pk) if pk])


@transaction.atomic
def unaccept_answer(*, thread: Thread) -> None:
    Thread.objects.filter(pk=thread.pk).update(accepted_post=None, solved_at=None)
    if thread.outcome_html and thread.accepted_post_id:
        search.index_posts([thread.accepted_post_id])


@transaction.atomic
def write_outcome(*, thread: Thread, text: str) -> Thread:
    """The asker's "what I ended up doing" (empty: removed); it is shown under
    the accepted answer and searched with it."""
    text = strip_control_chars(text).strip()
    thread.outcome = text
    thread.outcome_html = render_markdown(text) if text else ""
    thread.outcome_at = timezone.now() if text else None
    Thread.objects.filter(pk=thread.pk).update(
        outcome=thread.outcome, outcome_html=thread.outcome_html, outcome_at=thread.outcome_at
    )
    if thread.accepted_post_id:
        search.index_posts([thread.accepted_post_id])
    return thread


UNKNOWN = object()  # mark_read: the caller did not load the member's read position


def mark_read(*, user: User, thread: Thread, number: int, known=UNKNOWN) -> None:
    """Remember how far the member has read (never moves backwards). ``known``:
    the stored position the caller loaded with the thread (None: no row yet),
    which makes this one statement at most: none when nothing new was read."""
    if not user.is_authenticated:
        return
    now = timezone.now()
    if known is None:
        # One INSERT; a parallel request that got there first keeps its row.
        ThreadRead.objects.bulk_create(
            [ThreadRead(user=user, thread=thread, last_read_number=number, read_at=now)],
            ignore_conflicts=True,
        )
        return
    if known is not UNKNOWN and known >= number:
        return
    updated = ThreadRead.objects.filter(user=user, thread=thread).update(
        last_read_number=Greatest(F("last_read_number"), number), read_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                ThreadRead.objects.create(user=user, thread=thread, last_read_number=number)
        except IntegrityError:  # created by a parallel request
            ThreadRead.objects.filter(user=user, thread=thread).update(
                last_read_number=Greatest(F("last_read_number"), number)
            )


VIEW_COUNTER = "thread_views"


def record_view(*, thread: Thread) -> None:
    """Count a view in the cache (no database write on a GET); the periodic
    job ``counters`` adds the counts to ``Thread.view_count`` in batches."""
    counters.bump(VIEW_COUNTER, thread.pk)


@transaction.atomic
def _add_views(counts: dict[int, int]) -> None:
    for count, pks in counters.by_count(counts).items():
        Thread.objects.filter(pk__in=pks).update(view_count=F("view_count") + count)


def flush_view_counts(*, include_current: bool = False) -> int:
    """Write the gathered thread views (one UPDATE per distinct count)."""
    return counters.flush(VIEW_COUNTER, _add_views, include_current=include_current)


@transaction.atomic
def toggle_reaction(*, post: Post, user: User) -> bool:
    """Give or take back a "Tak". Returns whether the member now thanks the post."""
    deleted, _ = Reaction.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") - 1)
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user)
    except IntegrityError:  # a parallel click got there first
        return True
    Post.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") + 1)
    notifications.notify_reaction(post=post, actor=user)
    return True


@transaction.atomic
def toggle_bookmark(*, post: Post, user: User) -> bool:
    return _toggle(Bookmark, post=post, user=user)


def quote_text(post: Post) -> str:
    """Markdown that quotes a post with attribution and a link to it."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    source = f"[{post.created_at:%d.%m.%Y}]({post.get_absolute_url()})"
    return f"> **{post.author}** {source}:\n{quoted}\n\n"


@transaction.atomic
def edit_post(
    *,
    post: Post,
    editor: User,
    body: str,
    title: str | None = None,
    reason: str = "",
    base_version: int | None = None,
) -> Post:
    """Change a post's text (and the thread title for a first post), keeping history.
    `base_version`: the version the editor started from; EditConflict (nothing
    written) when the post has changed since."""
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if base_version is not None and base_version != post.version:
        raise EditConflict(post)
    thread = post.thread
    new_title = title if title is not None and post.number == 1 else None
    if body == post.body and (new_title is None or new_title == thread.title):
        return post
    count = post.revisions.count()
    if count == 0:  # keep the original before the first change
        PostRevision.objects.create(
            post=post,
            number=1,
            title=thread.title if post.number == 1 else "",
            body=post.body,
            editor_id=post.author_id,
            created_at=post.created_at,
        )
        count = 1
    now = timezone.now()
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = now
    post.version += 1
    post.save(update_fields=["body", "body_html", "edited_at", "version"])
    if new_title is not None and new_title != thread.title:
        Thread.objects.filter(pk=thread.pk).update(title=new_title, slug=thread_slug(new_title))
        thread.title = new_title
    search.index_post(post)
    PostRevision.objects.create(
        post=post,
        number=count + 1,
        title=new_title if new_title is not None else (thread.title if post.number == 1 else ""),
        body=body,
        editor=editor,
        reason=reason,
        created_at=now,
    )
    return post


@transaction.atomic
def edit_post_as_moderator(
    *,
    post: Post,
    moderator: User,
    body: str,
    title: str | None,
    reason: str,
    base_version: int | None = None,
) -> Post:
    """A moderator edits someone else's post: the reason goes into its history,
    and the apps listening (moderation: audit log, flags settled as "edited")
    hear of it, even when the text did not change."""
    edited = edit_post(
        post=post,
        editor=moderator,
        body=body,
        title=title,
        reason=reason,
        base_version=base_version,
    )
    post_edited_by_moderator.call(post=edited, moderator=moderator, reason=reason)
    return edited


def restore_revision(*, revision: PostRevision, editor: User) -> Post:
    return edit_post(
        post=revision.post,
        editor=editor,
        body=revision.body,
        title=revision.title or None,
        reason=f"#{revision.number}",
    )


@transaction.atomic
def save_draft(
    *, user: User, thread: Thread | None = None, base_version: int | None = None, **fields
) -> Draft:
    """Keep unsent text (new thread when `thread` is None, else a reply) as it
    was typed, but without control characters and within the columns' sizes.
    `base_version`: the draft version the form was showing (0: none yet);
    DraftConflict (nothing written) when a newer save exists, e.g. from
    another tab."""
    for name, limit in (("title", 150), ("tags_text", 300), ("body", 60_000)):
        if name in fields:
            fields[name] = strip_control_chars(fields[name], multiline=name == "body")[:limit]
    fields["updated_at"] = timezone.now()
    draft = Draft.objects.select_for_update().filter(user=user, thread=thread).first()
    if draft is None:
        try:
            with transaction.atomic():
                return Draft.objects.create(user=user, thread=thread, **fields)
        except IntegrityError:  # created by a parallel save a moment ago
            draft = Draft.objects.select_for_update().get(user=user, thread=thread)
            if base_version is not None:
                raise DraftConflict(draft) from None
    if base_version is not None and base_version != draft.version:
        raise DraftConflict(draft)
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.version += 1
    draft.save()
    return draft


@transaction.atomic
def delete_draft(*, draft: Draft) -> None:
    Draft.objects.filter(pk=draft.pk).delete()
