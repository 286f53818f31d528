"""Date poll rules. The poll belongs to a meetup draft: its organisers (hosts
and network leaders) run it, its audience answers it once it is open."""

from accounts.permissions import is_member, is_silenced
from moeder.permissions import can_manage_meetup, in_audience


def can_manage_poll(user, meetup) -> bool:
    """Add and remove options, invite, close and pick the winners."""
    return can_manage_meetup(user, meetup)


def can_view_poll(user, meetup, poll) -> bool:
    """The organisers always; the audience once the poll has been opened
    (also after the decision, to see how it went). Others: 404."""
    if can_manage_poll(user, meetup):
        return True
    return poll is not None and poll.opened_at is not None and in_audience(user, meetup)


def can_vote(user, meetup, poll) -> bool:
    """Answer or change one's answers while the poll is open."""
    return (
        is_member(user)
        and not is_silenced(user)
        and poll is not None
        and poll.is_open
        and meetup.is_draft
        and (can_manage_poll(user, meetup) or in_audience(user, meetup))
    )
