"""Who hears about what in the forum. The fan-out runs in a background task;
the notifications themselves (list, mail, preferences) are the notifications app's."""

import re

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import HANDLE_PATTERN, User
from forum import mailinglist, replymail
from forum.models import CategoryFollow, Post, State, TagFollow, Thread, ThreadFollow
from forum.permissions import can_reach_thread, is_listed_thread
from notifications import services as notifications
from notifications.extensions import Kind, Subject, kinds, subjects
from notifications.models import Notification

_QUOTED_POST = re.compile(r"\(/(?:[a-z]{2}/)?forum/p/(\d+)/\)")
_MENTION = re.compile(rf"(?<![\w@/.])@({HANDLE_PATTERN})\b")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
MAX_MENTIONS = 10

LINE = "forum/notifications/_line.txt"
REPLY, NEW_THREAD, QUOTE, MENTION, ACCEPTED, REACTION = (
    "reply", "new_thread", "quote", "mention", "accepted", "reaction",
)  # fmt: skip
KINDS = [
    Kind(REPLY, _("New reply"), LINE),
    Kind(NEW_THREAD, _("New thread"), LINE),
    Kind(QUOTE, _("Quoted you"), LINE),
    Kind(MENTION, _("Mentioned you"), LINE),
    Kind(ACCEPTED, _("Your answer was accepted"), LINE),
    Kind(REACTION, _("Thanks"), LINE),
]


def mentioned_handles(body: str) -> list[str]:
    """@handles in a post's source, outside code, at most MAX_MENTIONS."""
    handles = []
    for handle in _MENTION.findall(_CODE.sub(" ", body)):
        if handle not in handles:
            handles.append(handle)
    return handles[:MAX_MENTIONS]


def _readers(user_ids: set[int], thread: Thread) -> dict[int, User]:
    """The users among `user_ids` who may still read the thread."""
    users = User.objects.with_access().filter(pk__in=user_ids, is_active=True)
    return {u.pk: u for u in users if is_listed_thread(u, thread)}


@transaction.atomic
def notify_about_post(*, post_id: int) -> list[Notification]:
    """Fan out a new post: followers of the thread (or of its category and tags
    for a new thread), and members whose posts it quotes or who are mentioned."""
    post = Post.objects.select_related("thread__category", "author").filter(pk=post_id).first()
    if post is None or post.state != State.PUBLISHED or post.thread.state != State.PUBLISHED:
        return []  # hidden or deleted before the fan-out ran: nobody hears of it
    thread = post.thread
    recipients: dict[int, str] = {}
    if post.number == 1:
        for uid in CategoryFollow.objects.filter(category=thread.category_id).values_list(
            "user_id", flat=True
        ):
            recipients[uid] = NEW_THREAD
        for uid in TagFollow.objects.filter(tag__in=thread.tags.all()).values_list(
            "user_id", flat=True
        ):
            recipients[uid] = NEW_THREAD
    else:
        for uid in ThreadFollow.objects.filter(thread=thread, is_muted=False).values_list(
            "user_id", flat=True
        ):
            recipients[uid] = REPLY
    quoted_ids = [int(pk) for pk in _QUOTED_POST.findall(post.body)]
    for uid in Post.objects.filter(pk__in=quoted_ids, thread=thread).values_list(
        "author_id", flat=True
    ):
        recipients[uid] = QUOTE
    handles = mentioned_handles(post.body)
    if handles:
        for uid in User.objects.filter(handle__in=handles).values_list("pk", flat=True):
            recipients[uid] = MENTION
    muted = set(
        ThreadFollow.objects.filter(thread=thread, is_muted=True).values_list("user_id", flat=True)
    )
    recipients = {
        uid: kind for uid, kind in recipients.items() if uid != post.author_id and uid not in muted
    }
    readers = _readers(set(recipients), thread)
    recipients = {uid: kind for uid, kind in recipients.items() if uid in readers}
    created = notifications.create(recipients=recipients, subject=post, actor=post.author)
    # Mailing-list mode: the post itself by mail; no second mail about it.
    by_list = mailinglist.list_readers(post, muted=muted)
    mailinglist.mail_post(post, by_list)
    notifications.email_after_commit([n for n in created if n.recipient_id not in by_list])
    return created


@transaction.atomic
def notify_accepted(*, post: Post) -> list[Notification]:
    if post.author_id == post.thread.author_id:
        return []
    created = notifications.create(
        recipients={post.author_id: ACCEPTED}, subject=post, actor=post.thread.author
    )
    notifications.email_after_commit(created)
    return created


def ask_for_outcome(*, thread: Thread, accepted_by: User) -> Notification | None:
    """Someone else (a moderator) accepted an answer on the asker's question: ask
    the asker, as the accept button does, what they ended up doing (optional)."""
    from django.urls import reverse

    if accepted_by.pk == thread.author_id:
        return None
    title = thread.title
    return notifications.notice(
        recipient=thread.author,
        actor=accepted_by,
        link=reverse("forum:outcome_edit", args=[thread.pk]),
        message=lambda: (
            gettext(
                "An answer to “%(title)s” was marked as accepted. What did you end up doing? "
                "Tell the network (optional)."
            )
            % {"title": title}
        ),
    )


@transaction.atomic
def notify_reaction(*, post: Post, actor: User) -> None:
    """Thanks are batched: one unread notification per post, with a count."""
    if not notifications.add_to_unread(
        recipient_id=post.author_id, kind=REACTION, subject=post, actor=actor
    ):
        notifications.create(recipients={post.author_id: REACTION}, subject=post, actor=actor)


# --- What forum notifications point at -------------------------------------------------


def _show(notification, thread: Thread, url: str, user) -> None:
    """The title and link only for whom the thread's page opens (the lists' rules:
    moderators see hidden threads, leaders deleted ones); everyone else gets a
    placeholder and no link. `user` None: judge for the notification's recipient
    (mail and digests, also when they were queued before a moderator acted)."""
    viewer = notification.recipient if user is None else user
    if can_reach_thread(viewer, thread):
        notification.title = thread.title
        notification.subject_url = url
        notification.readable = True
        if user is None:  # a mail: answering it by mail replies in the thread
            notification.reply_to = replymail.reply_address(notification.recipient_id, thread.pk)
    else:
        notification.title = gettext("a thread that is no longer shown")
        notification.subject_url = ""
        notification.readable = False


def _resolve_posts(items, user) -> None:
    posts = (
        Post.objects.filter(pk__in={n.subject_id for n in items})
        .select_related("thread__category")
        .defer("body", "body_html")
        .in_bulk()
    )
    for notification in items:
        post = posts.get(notification.subject_id)
        if post is None:
            notification.readable = False
        else:
            _show(notification, post.thread, post.get_absolute_url(), user)


def _resolve_threads(items, user) -> None:
    threads = (
        Thread.objects.filter(pk__in={n.subject_id for n in items})
        .select_related("category")
        .in_bulk()
    )
    for notification in items:
        thread = threads.get(notification.subject_id)
        if thread is None:
            notification.readable = False
        else:
            _show(notification, thread, thread.get_absolute_url(), user)


def register() -> None:
    """Called from ForumConfig.ready()."""
    for kind in KINDS:
        kinds.register(kind)
    subjects.register(Subject("forum.post", _resolve_posts))
    subjects.register(Subject("forum.thread", _resolve_threads))
