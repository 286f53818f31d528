"""What the conversations plug into: the "Send en besked" box on a member's
profile (accounts.extensions.member_panels) and the resolver for
notifications about a conversation (notifications.extensions.subjects)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.permissions import is_member
from notifications.models import Block, Participant
from notifications.permissions import can_message


def message_member(*, request, member, **objects) -> dict | None:
    """One query: the blocks between the member reading and the profile's member."""
    user = request.user
    if not is_member(user) or member.pk == user.pk:
        return None
    blockers = set(
        Block.objects.filter(
            Q(blocker=member, blocked=user) | Q(blocker=user, blocked=member)
        ).values_list("blocker_id", flat=True)
    )
    return {
        "member": member,
        "can_message": can_message(user, member, blocked=member.pk in blockers),
        "blocked_by_me": user.pk in blockers,
    }


def resolve_conversations(notifications, user) -> None:
    """One query: the seats of the recipients in those conversations."""
    ids = {n.subject_id for n in notifications}
    seats = {
        (seat.conversation_id, seat.user_id): seat
        for seat in Participant.objects.filter(
            conversation_id__in=ids, left_at=None
        ).select_related("conversation")
    }
    for notification in notifications:
        reader_id = user.pk if user is not None else notification.recipient_id
        seat = seats.get((notification.subject_id, reader_id))
        notification.readable = seat is not None
        if seat is None:
            notification.title = _("a private conversation")
            continue
        notification.title = seat.conversation.subject or _("a private conversation")
        notification.subject_url = seat.conversation.get_absolute_url()
