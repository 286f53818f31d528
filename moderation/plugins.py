"""What moderation plugs into the forum's sockets (forum/extensions.py), so the
forum shows moderators' tools and holds new members' posts without importing
moderation. Registered by ModerationConfig.ready()."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from accounts.permissions import is_member
from forum import extensions as forum
from forum.models import State
from moderation import services
from moderation.models import QueuedPost
from moderation.permissions import can_flag, can_moderate_thread, can_restore
from netvaerk.extensions import Check, Panel
from netvaerk.urlkit import fast_reverse


def thread_tools(*, request, thread, **_objects):
    """The toolbar above a thread's posts, for its moderators (no query)."""
    user = request.user
    if not can_moderate_thread(user, thread):
        return None
    return {"thread": thread, "can_restore": can_restore(user)}


def queued_replies_known(*, user, **_objects) -> dict:
    """Whether the member has replies awaiting approval, loaded with the thread."""
    if not is_member(user):
        return {}
    waiting = QueuedPost.objects.pending().filter(author=user, thread=OuterRef("pk"))
    return {"moderation_has_queued": Exists(waiting)}


def queued_replies(*, request, thread, **_objects):
    """The member's own replies to this thread that await approval (one query,
    none when the thread page loaded that there are none)."""
    user = request.user
    if not is_member(user) or thread.__dict__.get("moderation_has_queued", True) is False:
        return None
    queued = list(QueuedPost.objects.pending().filter(author=user, thread=thread))
    return {"queued": queued} if queued else None


def post_actions(*, user, post, **_objects) -> list[forum.PostAction]:
    """Flag for members; hide, show again, delete, restore and split from here
    for the thread's moderators (not on a first post). No queries."""
    name = post.author.display_name
    actions = []
    if can_flag(user, post):
        actions.append(
            forum.PostAction(
                gettext("Flag"), fast_reverse("moderation:flag_post", pk=post.pk), suffix=name
            )
        )
    if post.number == 1 or not can_moderate_thread(user, post.thread):
        return actions
    danger = "btn-outline-danger"
    if post.state == State.PUBLISHED:
        url = fast_reverse("moderation:post_hide", pk=post.pk)
        actions.append(forum.PostAction(gettext("Hide"), url, danger, name))
    elif post.state == State.HIDDEN:
        url = fast_reverse("moderation:post_unhide", pk=post.pk)
        actions.append(forum.PostAction(gettext("Show again"), url, suffix=name))
    if post.state == State.DELETED:
        if can_restore(user):
            url = fast_reverse("moderation:post_restore", pk=post.pk)
            actions.append(forum.PostAction(gettext("Restore"), url, suffix=name))
    else:
        url = fast_reverse("moderation:post_delete", pk=post.pk)
        actions.append(forum.PostAction(gettext("Delete"), url, danger, name))
    url = fast_reverse("moderation:thread_split", pk=post.thread_id) + f"?fra={post.pk}"
    actions.append(forum.PostAction(gettext("Split from here"), url, suffix=name))
    return actions


def register() -> None:
    """Plug into the forum (idempotent: the same names replace themselves)."""
    forum.thread_tools.register(
        Panel("moderation.thread_tools", "moderation/_thread_tools.html", thread_tools)
    )
    forum.thread_panels.register(
        Panel(
            "moderation.queued_replies",
            "moderation/_queued_replies.html",
            queued_replies,
            order=200,
        )
    )
    forum.thread_page_annotations.connect("moderation.queued_replies", queued_replies_known)
    forum.post_actions.connect("moderation.post_actions", post_actions)
    forum.publishing_gate.register(Check("moderation.approval", services.hold_for_approval))
    forum.post_edited_by_moderator.connect("moderation.record_edit", services.record_moderator_edit)
