from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone, translation
from django.utils.translation import gettext

from duties import services, tasks
from duties.models import DutySlot
from tests.duties.factories import DutyFactory, DutySlotFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notice_for(slot, member=None, starts_at=None):
    # The mail is queued once the task's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return tasks.notify_slot_start.enqueue(
            slot_id=slot.pk,
            member_id=(member or slot.member).pk,
            starts_at=(starts_at or slot.starts_at).isoformat(),
        ).return_value


@pytest.fixture
def held(running_slot):
    running_slot.duty.name = "Hjælper på vagt"
    running_slot.duty.description = "Svar på ubesvarede spørgsmål."
    running_slot.duty.save()
    running_slot.member = UserFactory(display_name="Jonas", language="en")
    running_slot.handover_note = "Tråden om moms mangler svar."
    running_slot.save()
    return running_slot


def test_the_holder_is_told_once_when_the_slot_starts(held, mailoutbox):
    assert notice_for(held) is True
    [message] = mailoutbox
    assert message.to == [held.member.email]
    assert message.subject == "Netværk: Your duty starts now: Hjælper på vagt"
    assert "Hi Jonas," in message.body
    assert "Svar på ubesvarede spørgsmål." in message.body
    assert "Tråden om moms mangler svar." in message.body
    assert "/en/vagter/mine/" in message.body
    assert DutySlot.objects.get(pk=held.pk).notified_at is not None
    # The worker restarts and runs the task again: nothing more is sent.
    assert notice_for(held) is False
    assert len(mailoutbox) == 1


def test_the_notice_is_in_the_holders_language(held, mailoutbox):
    held.member.language = "da"
    held.member.save()
    notice_for(held)
    with translation.override("da"):
        expected = gettext("Netværk: Your duty starts now: %(duty)s") % {"duty": held.duty.name}
    assert mailoutbox[0].subject == expected
    assert "Din vagt starter nu" in mailoutbox[0].subject


def test_no_notice_when_the_holder_changed_since_it_was_queued(held, mailoutbox):
    queued_for = held.member
    held.member = UserFactory()
    held.save()
    assert notice_for(held, member=queued_for) is False
    assert mailoutbox == []
    assert DutySlot.objects.get(pk=held.pk).notified_at is None


def test_no_notice_when_the_slot_was_moved_since_it_was_queued(held, mailoutbox):
    assert notice_for(held, starts_at=held.starts_at - timedelta(hours=1)) is False
    assert mailoutbox == []


def test_no_notice_before_the_start_after_the_end_or_for_a_gone_slot(mailoutbox):
    now = timezone.now()
    member = UserFactory()
    early = DutySlotFactory(member=member)
    assert notice_for(early) is False
    assert DutySlot.objects.get(pk=early.pk).notified_at is None
    over = DutySlotFactory(member=member, starts_at=now - timedelta(hours=2), ends_at=now)
    assert notice_for(over) is False
    archived = DutySlotFactory(
        member=member,
        duty=DutyFactory(archived_at=now),
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=1),
    )
    assert notice_for(archived) is False
    gone_id = early.pk
    DutySlot.objects.filter(pk=gone_id).delete()
    assert notice_for(early) is False
    assert mailoutbox == []


def test_taking_a_running_slot_sends_the_notice_right_away(running_slot, run_on_commit, mailoutbox):
    member = UserFactory(language="en")
    run_on_commit(services.take_slot, slot=running_slot, member=member)
    [message] = mailoutbox
    assert message.to == [member.email]
    assert "Your duty starts now" in message.subject


def test_a_handed_over_running_slot_notifies_the_new_holder_too(
    running_slot, run_on_commit, mailoutbox
):
    holder = UserFactory()
    running_slot.member = holder
    running_slot.save()
    DutySlot.objects.filter(pk=running_slot.pk).update(notified_at=timezone.now())
    taker = UserFactory(language="en")
    run_on_commit(
        services.hand_over_slot, slot=running_slot, to_member=taker, note="Hej", by=holder
    )
    assert {m.subject.split(":")[1].strip() for m in mailoutbox} == {
        "Your duty starts now",
        f"{holder.display_name} handed a duty over to you",
    }
    assert all(m.to == [taker.email] for m in mailoutbox)
