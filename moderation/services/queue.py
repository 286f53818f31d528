"""The approval queue for new members' posts."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import audit
from accounts.models import User
from forum import services as forum_services
from forum.extensions import Outcome
from forum.models import (
    Category,
    Draft,
    Post,
    State,
    Thread,
)
from moderation.models import (
    AuditAction,
    QueuedPost,
    QueueReason,
    QueueState,
)
from moderation.notifications import MODERATION, REVIEW
from moderation.services.common import (
    ModerationError,
    _moderators_for,
    _tell_author,
    notify,
)
from moderation.services.flags import is_established
from netvaerk.markup import render_markdown

AWAITING_APPROVAL = gettext_noop(
    "Thank you! Your post awaits approval by a moderator (new members' first posts do). "
    "You will be told when it is published."
)


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
            kind=REVIEW,
            subject=thread,
            link=reverse("moderation:approval_queue"),
            message=lambda: _("A post by %(name)s awaits approval.") % {"name": author},
        )
    return queued


def hold_for_approval(
    *,
    author: User,
    body: str,
    body_html: str,
    submission_key: str,
    thread: Thread | None,
    category: Category | None,
    kind: str | None,
    title: str | None,
    tags: list[str] | None,
    **_more,
) -> Outcome | None:
    """The check moderation registers in forum.extensions.publishing_gate: a
    post that must wait (approval_reason) is queued and the held outcome
    returned; None lets the forum publish it."""
    why = approval_reason(author=author, body_html=body_html)
    if not why:
        return None
    queue_post(
        author=author,
        why=why,
        body=body,
        body_html=body_html,
        thread=thread,
        category=category,
        kind=kind or "",
        title=title or "",
        tags_text=", ".join(tags or []),
        submission_key=submission_key,
    )
    return Outcome(published=None, held=True, message=_(AWAITING_APPROVAL))


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
        kind=MODERATION,
        actor=actor,
        subject=locked.thread,
        link=reverse("forum:draft_list"),
        message=lambda: (
            _("Your post was not published. Reason: %(reason)s. Your text is under My drafts.")
            % {"reason": reason}
        ),
    )


def render_body(body: str) -> str:
    return render_markdown(body)
