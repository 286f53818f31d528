"""Background tasks of date polls (run by `manage.py db_worker`)."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import translation

from moeder import notify as meetup_notify
from moeder.models import MeetupHost
from notifications.services import notice


@task()
def send_poll_invitations(poll_id: int, invite_round: int) -> int:
    """Invite the meetup's audience to answer the poll: a notice each (mailed
    like other notifications, in the member's language). One round once: the
    poll row is locked and the round marked sent in the same transaction as
    the notices, so a restarted or doubled task sends nothing twice; a round
    that a newer opening (or closing) replaced sends nothing."""
    from datepolls import services
    from datepolls.models import Poll

    with transaction.atomic():
        poll = (
            Poll.objects.select_for_update(of=("self",))
            .select_related("meetup", "meetup__created_by")
            .filter(pk=poll_id)
            .first()
        )
        if (
            poll is None
            or not poll.is_open
            or not poll.meetup.is_draft
            or poll.invite_round != invite_round
            or poll.invited_round >= invite_round
        ):
            return 0
        first = poll.invited_round == 0  # nobody invited before this round
        Poll.objects.filter(pk=poll.pk).update(invited_round=invite_round)
        meetup = poll.meetup
        organiser = meetup.created_by
        hosting = MeetupHost.objects.filter(meetup=meetup, user=OuterRef("pk"))
        members = (
            meetup_notify.invitation_audience(meetup)
            .exclude(pk=organiser.pk)
            .exclude(Exists(hosting))
            .order_by("pk")
        )
        sent = 0
        for member in members:
            with translation.override(member.language):
                link = poll.get_absolute_url()
            notice(
                recipient=member,
                actor=organiser,
                link=link,
                message=lambda: services.invitation_message(
                    poll, organiser=organiser.display_name, first=first
                ),
            )
            sent += 1
        return sent
