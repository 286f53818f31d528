import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from duties import services
from duties.models import Duty, DutySlot, NonexistentLocalTime
from tests.duties.factories import DutyFactory, DutySlotFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COPENHAGEN = timezone.get_default_timezone()


def local(*args) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


# --- Taking a slot -------------------------------------------------------------


def test_a_member_takes_an_open_slot():
    slot = DutySlotFactory(handover_note="old")
    member = UserFactory()
    services.take_slot(slot=slot, member=member)
    slot.refresh_from_db()
    assert (slot.member, slot.handover_note, slot.notified_at) == (member, "", None)


def test_of_two_members_taking_the_same_slot_only_the_first_gets_it():
    slot = DutySlotFactory()
    first, second = UserFactory(), UserFactory()
    seen_by_second = DutySlot.objects.select_related("duty").get(pk=slot.pk)  # still open
    services.take_slot(slot=slot, member=first)
    with pytest.raises(services.SlotTaken):
        services.take_slot(slot=seen_by_second, member=second)
    slot.refresh_from_db()
    assert slot.member == first


def test_taking_your_own_slot_again_changes_nothing():
    member = UserFactory()
    slot = DutySlotFactory(member=member)
    with pytest.raises(services.SlotAlreadyYours):
        services.take_slot(slot=slot, member=member)


def test_an_ended_or_archived_or_deleted_slot_cannot_be_taken():
    now = timezone.now()
    over = DutySlotFactory(starts_at=now - timedelta(hours=2), ends_at=now)
    with pytest.raises(services.SlotOver):
        services.take_slot(slot=over, member=UserFactory())
    archived = DutySlotFactory(duty=DutyFactory(archived_at=now))
    with pytest.raises(services.SlotGone):
        services.take_slot(slot=archived, member=UserFactory())
    deleted = DutySlotFactory()
    DutySlot.objects.filter(pk=deleted.pk).delete()
    with pytest.raises(services.SlotGone):
        services.take_slot(slot=deleted, member=UserFactory())


def test_taking_a_slot_queues_the_start_notice_for_its_start(dummy_tasks, run_on_commit):
    slot = DutySlotFactory()
    member = UserFactory()
    run_on_commit(services.take_slot, slot=slot, member=member)
    [result] = dummy_tasks.results
    assert result.task.module_path == "duties.tasks.notify_slot_start"
    assert result.task.run_after == slot.starts_at
    assert result.kwargs == {
        "slot_id": slot.pk,
        "member_id": member.pk,
        "starts_at": slot.starts_at.isoformat(),
    }


def test_nothing_is_queued_when_the_transaction_rolls_back(dummy_tasks):
    # Without the on-commit callbacks running (as after a rollback), no task.
    services.take_slot(slot=DutySlotFactory(), member=UserFactory())
    assert dummy_tasks.results == []


@pytest.mark.django_db(transaction=True)
def test_two_members_racing_for_one_slot_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers anyway")
    slot = DutySlotFactory()
    members = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def take(member):
        try:
            seen = DutySlot.objects.select_related("duty").get(pk=slot.pk)
            barrier.wait(timeout=10)
            services.take_slot(slot=seen, member=member)
            outcomes.append("took")
        except services.SlotTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["taken", "took"]
    slot.refresh_from_db()
    assert slot.member in members


# --- Withdrawing -----------------------------------------------------------------


def test_the_holder_withdraws_before_the_slot_starts():
    slot = DutySlotFactory(member=UserFactory(), handover_note="x", notified_at=None)
    services.withdraw_from_slot(slot=slot)
    slot.refresh_from_db()
    assert (slot.member, slot.handover_note) == (None, "")


def test_no_withdrawing_once_the_slot_has_started(running_slot):
    running_slot.member = UserFactory()
    running_slot.save()
    with pytest.raises(services.SlotStarted):
        services.withdraw_from_slot(slot=running_slot)
    running_slot.refresh_from_db()
    assert running_slot.member is not None


def test_withdrawing_from_a_slot_that_changed_holder_is_refused():
    first = UserFactory()
    slot = DutySlotFactory(member=first)
    DutySlot.objects.filter(pk=slot.pk).update(member=UserFactory())
    with pytest.raises(services.SlotChanged):
        services.withdraw_from_slot(slot=slot)  # `slot` still says `first` holds it


# --- Handing over ------------------------------------------------------------------


def test_a_handover_moves_the_slot_and_emails_the_new_holder_in_their_language(
    run_on_commit, mailoutbox
):
    holder = UserFactory(display_name="Hanne")
    taker = UserFactory(display_name="Tom", language="en")
    slot = DutySlotFactory(
        member=holder, duty=DutyFactory(name="Velkomstvært", description="Sig hej.")
    )
    DutySlot.objects.filter(pk=slot.pk).update(notified_at=timezone.now())
    run_on_commit(
        services.hand_over_slot, slot=slot, to_member=taker, note="Tre nye i dag.", by=holder
    )
    slot.refresh_from_db()
    assert (slot.member, slot.handover_note, slot.notified_at) == (taker, "Tre nye i dag.", None)
    [message] = mailoutbox  # the start notice waits for the start
    assert message.to == [taker.email]
    assert message.subject == "Netværk: Hanne handed a duty over to you: Velkomstvært"
    assert "Hi Tom," in message.body
    assert "Tre nye i dag." in message.body
    assert "Sig hej." in message.body
    assert "/en/vagter/mine/" in message.body


def test_a_handover_queues_a_start_notice_for_the_new_holder(dummy_tasks, run_on_commit):
    holder, taker = UserFactory(), UserFactory()
    slot = DutySlotFactory(member=holder)
    run_on_commit(services.hand_over_slot, slot=slot, to_member=taker, note="", by=holder)
    notices = [r for r in dummy_tasks.results if r.task.name == "notify_slot_start"]
    assert [r.kwargs["member_id"] for r in notices] == [taker.pk]
    assert notices[0].task.run_after == slot.starts_at


def test_a_handover_from_a_stale_form_is_refused():
    holder, leader = UserFactory(), UserFactory()
    slot = DutySlotFactory(member=holder)
    DutySlot.objects.filter(pk=slot.pk).update(member=None)
    with pytest.raises(services.SlotChanged):
        services.hand_over_slot(slot=slot, to_member=UserFactory(), note="", by=leader)


def test_no_handover_to_the_holder_or_after_the_slot_is_over():
    now = timezone.now()
    holder = UserFactory()
    slot = DutySlotFactory(member=holder)
    with pytest.raises(services.SameHolder):
        services.hand_over_slot(slot=slot, to_member=holder, note="", by=holder)
    over = DutySlotFactory(member=holder, starts_at=now - timedelta(hours=3), ends_at=now)
    with pytest.raises(services.SlotOver):
        services.hand_over_slot(slot=over, to_member=UserFactory(), note="", by=holder)


# --- Leaders' slots -----------------------------------------------------------------


def test_weekly_slots_are_added_in_one_go():
    duty = DutyFactory()
    slots = services.add_slots(
        duty=duty, starts_at=local(2026, 12, 7, 9), ends_at=local(2026, 12, 7, 12), weeks=3
    )
    assert [timezone.localtime(s.starts_at).strftime("%m-%d %H") for s in slots] == [
        "12-07 09",
        "12-14 09",
        "12-21 09",
    ]
    assert DutySlot.objects.filter(duty=duty).count() == 3


def test_weekly_slots_across_a_dst_change_keep_their_danish_time():
    duty = DutyFactory()
    services.add_slots(
        duty=duty, starts_at=local(2027, 3, 22, 9), ends_at=local(2027, 3, 22, 17), weeks=2
    )
    hours = [
        (timezone.localtime(s.starts_at).hour, timezone.localtime(s.ends_at).hour)
        for s in DutySlot.objects.filter(duty=duty).order_by("starts_at")
    ]
    assert hours == [(9, 17), (9, 17)]


def test_a_clash_with_an_existing_slot_adds_none_of_the_weeks():
    duty = DutyFactory()
    DutySlotFactory(duty=duty, starts_at=local(2026, 12, 14, 9), ends_at=local(2026, 12, 14, 10))
    with pytest.raises(services.SlotClash) as error:
        services.add_slots(
            duty=duty, starts_at=local(2026, 12, 7, 9), ends_at=local(2026, 12, 7, 10), weeks=4
        )
    assert error.value.starts_at == local(2026, 12, 14, 9)
    assert DutySlot.objects.filter(duty=duty).count() == 1


def test_a_repeat_in_the_skipped_hour_adds_nothing():
    duty = DutyFactory()
    with pytest.raises(NonexistentLocalTime):
        services.add_slots(
            duty=duty, starts_at=local(2027, 3, 21, 2, 30), ends_at=local(2027, 3, 21, 5), weeks=2
        )
    assert not DutySlot.objects.filter(duty=duty).exists()


def test_moving_a_held_slot_resets_the_notice_and_queues_a_new_one(dummy_tasks, run_on_commit):
    member = UserFactory()
    slot = DutySlotFactory(member=member)
    DutySlot.objects.filter(pk=slot.pk).update(notified_at=timezone.now())
    new_start = slot.starts_at + timedelta(days=1)
    run_on_commit(
        services.reschedule_slot,
        slot=slot,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=1),
    )
    slot.refresh_from_db()
    assert (slot.starts_at, slot.notified_at) == (new_start, None)
    [notice] = dummy_tasks.results
    assert notice.task.run_after == new_start


def test_moving_a_slot_onto_another_slots_start_is_a_clash():
    slot = DutySlotFactory()
    other = DutySlotFactory(duty=slot.duty, starts_at=slot.starts_at + timedelta(days=1))
    with pytest.raises(services.SlotClash):
        services.reschedule_slot(slot=slot, starts_at=other.starts_at, ends_at=other.ends_at)


def test_archiving_and_restoring_a_duty(dummy_tasks, run_on_commit):
    duty = DutyFactory()
    held = DutySlotFactory(duty=duty, member=UserFactory())
    DutySlotFactory(duty=duty)  # open: nobody to remind
    services.archive_duty(duty=duty)
    assert Duty.objects.get(pk=duty.pk).is_archived
    run_on_commit(services.restore_duty, duty=duty)
    assert not Duty.objects.get(pk=duty.pk).is_archived
    assert [r.kwargs["slot_id"] for r in dummy_tasks.results] == [held.pk]


def test_on_duty_now_is_for_members_only(running_slot):
    from django.contrib.auth.models import AnonymousUser

    running_slot.member = UserFactory()
    running_slot.save()
    assert services.on_duty_now(user=AnonymousUser()) == []
    assert services.on_duty_now(user=UserFactory()) == [running_slot]
