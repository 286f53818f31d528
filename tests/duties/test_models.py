from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from duties.models import DutySlot, NonexistentLocalTime, weekly_occurrences
from tests.duties.factories import DutyFactory, DutySlotFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COPENHAGEN = timezone.get_default_timezone()


def local(*args) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


def test_the_rota_runs_on_copenhagen_time(settings):
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    assert settings.USE_TZ is True


def test_a_slot_must_end_after_it_starts():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        DutySlotFactory(starts_at=now, ends_at=now)


def test_a_duty_has_one_slot_per_start_time():
    slot = DutySlotFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DutySlotFactory(duty=slot.duty, starts_at=slot.starts_at, ends_at=slot.ends_at)
    DutySlotFactory(starts_at=slot.starts_at)  # another duty may start then


def test_slots_are_stored_in_utc_and_shown_in_copenhagen_time():
    slot = DutySlotFactory(starts_at=local(2026, 12, 7, 9, 0), ends_at=local(2026, 12, 7, 17, 0))
    slot.refresh_from_db()
    assert slot.starts_at.astimezone(UTC).hour == 8
    assert timezone.localtime(slot.starts_at).hour == 9


def test_weekly_repeats_keep_the_local_time_across_the_spring_change():
    # Clocks go forward on Sunday 28 March 2027.
    pairs = weekly_occurrences(local(2027, 3, 22, 9, 0), local(2027, 3, 26, 17, 0), weeks=3)
    assert [timezone.localtime(s).strftime("%d %H:%M") for s, _ in pairs] == [
        "22 09:00",
        "29 09:00",
        "05 09:00",
    ]
    assert [s.astimezone(UTC).hour for s, _ in pairs] == [8, 7, 7]
    assert all(timezone.localtime(e).hour == 17 for _, e in pairs)


def test_weekly_repeats_keep_the_local_time_across_the_autumn_change():
    # Clocks go back on Sunday 25 October 2026; a week-long slot spans it.
    pairs = weekly_occurrences(local(2026, 10, 19, 8, 0), local(2026, 10, 26, 8, 0), weeks=2)
    (first_start, first_end), (second_start, _) = pairs
    assert first_end - first_start == timedelta(days=7, hours=1)
    assert first_end == second_start
    assert timezone.localtime(second_start).hour == 8


def test_a_repeat_inside_the_skipped_hour_is_refused():
    with pytest.raises(NonexistentLocalTime) as error:
        weekly_occurrences(local(2027, 3, 21, 2, 30), local(2027, 3, 21, 4, 0), weeks=2)
    assert error.value.when == datetime(2027, 3, 28, 2, 30)


def test_a_repeat_inside_the_repeated_hour_is_refused():
    with pytest.raises(NonexistentLocalTime):
        weekly_occurrences(local(2026, 10, 18, 1, 0), local(2026, 10, 18, 2, 30), weeks=2)


def test_on_duty_now_lists_held_running_slots_of_active_duties(django_assert_num_queries):
    now = timezone.now()
    hour = timedelta(hours=1)
    running = DutySlotFactory(starts_at=now - hour, ends_at=now + hour, member=UserFactory())
    DutySlotFactory(starts_at=now - hour, ends_at=now + hour)  # nobody holds it
    DutySlotFactory(starts_at=now + hour, ends_at=now + 2 * hour, member=UserFactory())
    DutySlotFactory(starts_at=now - 2 * hour, ends_at=now, member=UserFactory())  # just over
    archived = DutyFactory(archived_at=now)
    DutySlotFactory(duty=archived, starts_at=now - hour, ends_at=now + hour, member=UserFactory())
    DutySlotFactory(starts_at=now - hour, ends_at=now + hour, member=UserFactory(is_active=False))
    with django_assert_num_queries(1):
        slots = list(DutySlot.objects.on_duty_now(now=now))
        names = [(s.duty.name, s.member.display_name) for s in slots]
    assert slots == [running]
    assert names == [(running.duty.name, running.member.display_name)]
