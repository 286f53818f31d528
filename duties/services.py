"""Duty rota writes; each in one transaction. Mail and start notices go out after commit.

Changes to a slot lock its row first (`SELECT ... FOR UPDATE` on PostgreSQL; on
SQLite the IMMEDIATE transaction takes the write lock at BEGIN), then check the
state again: of two members taking the same open slot, exactly one gets it.
"""

import logging
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from duties.models import Duty, DutySlot, weekly_occurrences
from duties.permissions import can_view_rota
from netvaerk.mail import enqueue_message
from netvaerk.site import absolute_url

logger = logging.getLogger(__name__)

# A start notice that a worker runs this much before the slot starts (clocks
# differ a little between machines) still counts as on time.
START_NOTICE_EARLY = timedelta(minutes=1)


class SlotError(Exception):
    """A change the slot's current state does not allow; `message` says why."""

    message = _("That slot cannot be changed right now.")


class SlotGone(SlotError):
    message = _("That slot no longer exists.")


class SlotTaken(SlotError):
    message = _("Sorry, someone else took that slot just before you. Please choose another one.")


class SlotAlreadyYours(SlotError):
    message = _("You already hold that slot.")


class SlotOver(SlotError):
    message = _("That slot is already over.")


class SlotStarted(SlotError):
    message = _(
        "That slot has already started, so you can no longer withdraw. "
        "Hand it over to another member instead."
    )


class SlotChanged(SlotError):
    message = _(
        "That slot changed while you were looking at it. Please check the rota and try again."
    )


class SameHolder(SlotError):
    message = _("That member already holds the slot.")


class SlotClash(SlotError):
    message = _("This duty already has a slot starting at that time.")

    def __init__(self, starts_at: datetime):
        super().__init__(starts_at)
        self.starts_at = starts_at


def _lock(slot_pk: int) -> DutySlot:
    slot = (
        DutySlot.objects.select_for_update(of=("self",))
        .select_related("duty")
        .filter(pk=slot_pk)
        .first()
    )
    if slot is None:
        raise SlotGone
    return slot


def _schedule_start_notice(slot: DutySlot) -> None:
    """After commit, queue the "your duty starts now" mail for the slot's start."""
    from duties import tasks

    kwargs = {
        "slot_id": slot.pk,
        "member_id": slot.member_id,
        "starts_at": slot.starts_at.isoformat(),
    }

    def enqueue():
        task = tasks.notify_slot_start
        if task.get_backend().supports_defer:
            task = task.using(run_after=slot.starts_at)
        # A backend that cannot defer (the immediate one in tests) runs it now;
        # the task then does nothing for a slot that has not started yet.
        task.enqueue(**kwargs)

    transaction.on_commit(enqueue)


# --- Duties -------------------------------------------------------------------


@transaction.atomic
def archive_duty(*, duty: Duty) -> None:
    Duty.objects.filter(pk=duty.pk, archived_at=None).update(archived_at=timezone.now())


@transaction.atomic
def restore_duty(*, duty: Duty) -> None:
    """Bring an archived duty back; held slots whose notice was skipped get a new one."""
    Duty.objects.filter(pk=duty.pk).update(archived_at=None)
    now = timezone.now()
    for slot in DutySlot.objects.upcoming(now=now).filter(
        duty=duty, member__isnull=False, notified_at=None
    ):
        _schedule_start_notice(slot)


# --- Slots for leaders --------------------------------------------------------


@transaction.atomic
def add_slots(
    *, duty: Duty, starts_at: datetime, ends_at: datetime, weeks: int = 1
) -> list[DutySlot]:
    """The slot and its weekly repeats (same local times), all or none.

    Raises NonexistentLocalTime for a repeat inside a daylight-saving change
    and SlotClash when the duty already has a slot starting at one of the times.
    """
    occurrences = weekly_occurrences(starts_at, ends_at, weeks=weeks)
    starts = [start for start, _end in occurrences]
    taken = sorted(
        DutySlot.objects.filter(duty=duty, starts_at__in=starts).values_list("starts_at", flat=True)
    )
    if taken:
        raise SlotClash(taken[0])
    now = timezone.now()
    slots = [
        DutySlot(duty=duty, starts_at=start, ends_at=end, created_at=now, updated_at=now)
        for start, end in occurrences
    ]
    try:
        with transaction.atomic():
            return DutySlot.objects.bulk_create(slots)
    except IntegrityError as error:  # another leader added the same slot just now
        raise SlotClash(starts[0]) from error


@transaction.atomic
def reschedule_slot(*, slot: DutySlot, starts_at: datetime, ends_at: datetime) -> DutySlot:
    """Move a slot; its holder stays and is told at the new start."""
    locked = _lock(slot.pk)
    if (locked.starts_at, locked.ends_at) == (starts_at, ends_at):
        return locked
    locked.starts_at, locked.ends_at = starts_at, ends_at
    locked.notified_at = None
    locked.updated_at = timezone.now()
    try:
        with transaction.atomic():
            locked.save(update_fields=["starts_at", "ends_at", "notified_at", "updated_at"])
    except IntegrityError as error:
        raise SlotClash(starts_at) from error
    if locked.member_id is not None:
        _schedule_start_notice(locked)
    return locked


@transaction.atomic
def delete_slot(*, slot: DutySlot) -> None:
    DutySlot.objects.filter(pk=slot.pk).delete()


# --- Slots for members --------------------------------------------------------


@transaction.atomic
def take_slot(*, slot: DutySlot, member: User) -> DutySlot:
    """Sign the member up for an open slot; the loser of a race gets SlotTaken."""
    now = timezone.now()
    locked = _lock(slot.pk)
    if locked.duty.is_archived:
        raise SlotGone
    if locked.is_over(now):
        raise SlotOver
    if locked.member_id == member.pk:
        raise SlotAlreadyYours
    if locked.member_id is not None:
        raise SlotTaken
    locked.member = member
    locked.handover_note = ""
    locked.notified_at = None
    locked.updated_at = now
    locked.save(update_fields=["member", "handover_note", "notified_at", "updated_at"])
    _schedule_start_notice(locked)
    return locked


def _check_holder(locked: DutySlot, expected_holder_id: int | None) -> None:
    """The form was shown for another holder than the slot has now: a stale form."""
    if locked.member_id is None or locked.member_id != expected_holder_id:
        raise SlotChanged


@transaction.atomic
def withdraw_from_slot(*, slot: DutySlot) -> None:
    """Open the slot again; only before it starts. `slot` is as the caller saw it."""
    now = timezone.now()
    locked = _lock(slot.pk)
    _check_holder(locked, slot.member_id)
    if locked.has_started(now):
        raise SlotStarted
    DutySlot.objects.filter(pk=locked.pk).update(
        member=None, handover_note="", notified_at=None, updated_at=now
    )


@transaction.atomic
def hand_over_slot(*, slot: DutySlot, to_member: User, note: str, by: User) -> DutySlot:
    """Give the slot to another member with a note; they hear about it by email."""
    now = timezone.now()
    locked = _lock(slot.pk)
    _check_holder(locked, slot.member_id)
    if locked.is_over(now):
        raise SlotOver
    if locked.member_id == to_member.pk:
        raise SameHolder
    locked.member = to_member
    locked.handover_note = note
    locked.notified_at = None
    locked.updated_at = now
    locked.save(update_fields=["member", "handover_note", "notified_at", "updated_at"])
    enqueue_message(_handover_message(locked, by))  # sent after the commit
    _schedule_start_notice(locked)
    return locked


# --- Reads other apps use -----------------------------------------------------


def on_duty_now(*, user, now: datetime | None = None) -> list[DutySlot]:
    """Who is on duty right now, for the forum sidebar: one query, [] for visitors."""
    if not can_view_rota(user):
        return []
    return list(DutySlot.objects.on_duty_now(now=now))


# --- Mail ---------------------------------------------------------------------


def _absolute(path: str) -> str:
    return absolute_url(path)


def _message(member: User, *, subject: str, template: str, context: dict):
    body = render_to_string(template, {"member": member, **context})
    return EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        to=[member.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def _start_message(slot: DutySlot) -> EmailMultiAlternatives:
    member = slot.member
    with translation.override(member.language):
        return _message(
            member,
            subject=gettext("Netværk: Your duty starts now: %(duty)s") % {"duty": slot.duty.name},
            template="duties/email/slot_start.txt",
            context={"slot": slot, "my_slots_url": _absolute(reverse("duties:my_slots"))},
        )


def _handover_message(slot: DutySlot, by: User) -> EmailMultiAlternatives:
    member = slot.member
    with translation.override(member.language):
        return _message(
            member,
            subject=gettext("Netværk: %(name)s handed a duty over to you: %(duty)s")
            % {"name": by.display_name, "duty": slot.duty.name},
            template="duties/email/slot_handover.txt",
            context={
                "slot": slot,
                "by": by,
                "my_slots_url": _absolute(reverse("duties:my_slots")),
            },
        )


@transaction.atomic
def send_start_notice(*, slot_id: int, member_id: int, starts_at: datetime) -> bool:
    """Tell the holder their slot starts now, exactly once.

    Does nothing when the slot is gone, has another holder or start time than
    when the notice was queued, was already notified, is over, or has not
    started yet. The mail task is queued inside this transaction, so with the
    database task backend it commits together with `notified_at`: a worker
    that restarts halfway sends neither twice nor never.
    """
    now = timezone.now()
    slot = (
        DutySlot.objects.select_for_update(of=("self",))
        .select_related("duty", "member")
        .filter(pk=slot_id)
        .first()
    )
    if (
        slot is None
        or slot.member_id != member_id
        or slot.starts_at != starts_at
        or slot.notified_at is not None
        or slot.duty.is_archived
        or not slot.member.is_active
        or slot.is_over(now)
        or now < slot.starts_at - START_NOTICE_EARLY
    ):
        return False
    DutySlot.objects.filter(pk=slot.pk).update(notified_at=now)
    enqueue_message(_start_message(slot))
    return True
