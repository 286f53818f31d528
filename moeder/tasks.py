"""Background tasks of meetups (run by `manage.py db_worker`): the invitations
in batches, one mail to one member, and the reminders.

Each task that fans out writes its "sent" rows (Invitation, ReminderSent) and
queues its mail tasks in one transaction. With the database task backend the
queued tasks are rows in that transaction: a worker that stops halfway sends
neither twice nor never.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import timezone

from accounts.models import User
from moeder import notify
from moeder.models import Invitation, Meetup, MeetupStatus, ReminderSent, Rsvp
from netvaerk.mail import enqueue_message

INVITATION_BATCH_SIZE = 50
# A reminder that a worker runs this much before its time (clocks differ a
# little between machines) still counts as on time.
REMINDER_EARLY = timedelta(minutes=1)


@task()
def send_invitations(meetup_id: int) -> int:
    """Invite the next batch of the audience, then queue the next batch.

    The meetup row is locked while the batch is chosen, so the members chosen
    (those without an Invitation row) are exactly the rows this batch creates.
    Stops when the meetup is no longer published, has started or is past its
    answer deadline; the last batch sets `invitations_planned` to the number
    actually invited.
    """
    with transaction.atomic():
        meetup = Meetup.objects.select_for_update().filter(pk=meetup_id).first()
        if meetup is None or not _open_for_answers(meetup):
            return 0
        already = Invitation.objects.filter(meetup=meetup, member=OuterRef("pk"))
        batch = list(
            notify.invitation_audience(meetup)
            .exclude(Exists(already))
            .order_by("pk")
            .values_list("pk", flat=True)[:INVITATION_BATCH_SIZE]
        )
        now = timezone.now()
        Invitation.objects.bulk_create(
            [Invitation(meetup=meetup, member_id=member_id, sent_at=now) for member_id in batch],
            ignore_conflicts=True,
        )
        for member_id in batch:
            send_meetup_mail.enqueue(
                kind=notify.INVITATION, meetup_id=meetup.pk, member_id=member_id
            )
        if len(batch) == INVITATION_BATCH_SIZE:
            send_invitations.enqueue(meetup_id=meetup.pk)
        else:
            Meetup.objects.filter(pk=meetup.pk).update(
                invitations_planned=Invitation.objects.filter(meetup=meetup).count()
            )
        return len(batch)


@task()
def send_reminders(meetup_id: int, kind: str, sequence: int, due: str) -> int:
    """Queued for `due` when the meetup is published or its time changes.

    Does nothing when the meetup is gone or cancelled, has changed since
    (another SEQUENCE: a newer reminder is queued), it is not yet `due`, or
    the meetup has already started (the day-before and morning reminders).
    Members who already had this kind of reminder get nothing (one
    ReminderSent row each).
    """
    now = timezone.now()
    with transaction.atomic():
        meetup = Meetup.objects.select_for_update().filter(pk=meetup_id).first()
        if (
            meetup is None
            or meetup.status != MeetupStatus.PUBLISHED
            or meetup.sequence != sequence
            or now < datetime.fromisoformat(due) - REMINDER_EARLY
            or (kind != notify.RECAP and now >= meetup.starts_at)
        ):
            return 0
        had_it = ReminderSent.objects.filter(meetup=meetup, kind=kind, member=OuterRef("member_id"))
        member_ids = list(
            notify.reminder_recipients(meetup, kind).exclude(Exists(had_it)).order_by("member_id")
        )
        ReminderSent.objects.bulk_create(
            [ReminderSent(meetup=meetup, member_id=m, kind=kind, sent_at=now) for m in member_ids],
            ignore_conflicts=True,
        )
        for member_id in member_ids:
            send_meetup_mail.enqueue(kind=kind, meetup_id=meetup.pk, member_id=member_id)
        return len(member_ids)


@task()
def send_meetup_mail(
    kind: str, meetup_id: int, member_id: int, changes: dict[str, list] | None = None
) -> bool:
    """One mail about a meetup to one member; nothing when it no longer fits
    (the meetup was cancelled before an invitation or reminder went out, the
    member has left, a promoted member has withdrawn, a member moved to the
    waitlist has a seat again)."""
    meetup = Meetup.objects.select_related("created_by", "thread").filter(pk=meetup_id).first()
    member = User.objects.with_access().filter(pk=member_id, is_active=True).first()
    if meetup is None or member is None:
        return False
    if kind == notify.CANCELLATION:
        if meetup.status != MeetupStatus.CANCELLED:
            return False
    elif meetup.status != MeetupStatus.PUBLISHED:
        return False
    if kind == notify.INVITATION and not _open_for_answers(meetup):
        return False
    if (
        kind == notify.PROMOTION
        and not Rsvp.objects.filter(meetup=meetup, member=member).attending().exists()
    ):
        return False
    if (
        kind == notify.WAITLISTED
        and not Rsvp.objects.filter(meetup=meetup, member=member, waitlisted=True).exists()
    ):
        return False
    message = notify.meetup_message(kind, meetup=meetup, member=member, changes=changes)
    enqueue_message(message)
    return True


def _open_for_answers(meetup: Meetup) -> bool:
    """An invitation still makes sense: published, not started, deadline not passed."""
    now = timezone.now()
    return (
        meetup.status == MeetupStatus.PUBLISHED
        and meetup.starts_at > now
        and (meetup.rsvp_deadline is None or meetup.rsvp_deadline > now)
    )
