"""Who may read and write private conversations. Only participants read a
conversation (everybody else, leaders and moderators included, gets 404);
blocks are loaded by the view and passed in: predicates never query."""

from accounts.permissions import is_member, is_silenced
from notifications.models import Conversation

MAX_PARTICIPANTS = 10
# Pictures and files in messages (netvaerk.uploads.upload_scopes).
UPLOAD_SCOPE = "notifications.conversation"


def visible_conversations(user, qs=None):
    """The conversations `user` takes part in and has not left."""
    qs = Conversation.objects.all() if qs is None else qs
    if not is_member(user):
        return qs.none()
    return qs.filter(participants__user=user, participants__left_at=None)


def can_message(user, member, *, blocked: bool) -> bool:
    """Start a conversation with `member` (or add them to one). `blocked`:
    `member` has blocked `user`."""
    return (
        is_member(user)
        and not is_silenced(user)
        and member.is_active
        and member.pk != user.pk
        and not blocked
    )


def can_post_message(user, conversation, *, blocked: bool, people: int) -> bool:
    """Write in a conversation `user` reads. `blocked`: another participant has
    blocked them; `people`: how many participants are left besides them."""
    return is_member(user) and not is_silenced(user) and not blocked and people > 0


def can_add_participant(user, conversation, *, people: int, blocked: bool) -> bool:
    return can_post_message(user, conversation, blocked=blocked, people=people) and (
        people + 1 < MAX_PARTICIPANTS
    )


def can_read_upload(user, conversation_id) -> bool:
    """An upload in a conversation: its participants only (one query)."""
    return visible_conversations(user).filter(pk=conversation_id).exists()


def existing_conversations(ids) -> set:
    return set(Conversation.objects.filter(pk__in=ids).values_list("pk", flat=True))
