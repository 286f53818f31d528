from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from duties import demo
from duties.models import Duty, DutySlot, Eligibility

pytestmark = pytest.mark.django_db


def test_the_demo_rota_is_created_once():
    accounts_demo.seed()
    monday = timezone.make_aware(datetime(2026, 11, 23, 12), timezone.get_default_timezone())
    assert demo.seed(now=monday) is True
    assert Duty.objects.count() == 3
    assert Duty.objects.get(eligibility=Eligibility.MODERATORS).name == "Review-kø i weekenden"
    assert DutySlot.objects.count() == 3 * demo.WEEKS
    assert DutySlot.objects.filter(member__isnull=False).count() == 7
    review_holders = DutySlot.objects.filter(
        duty__eligibility=Eligibility.MODERATORS, member__isnull=False
    ).values_list("member__email", flat=True)
    assert set(review_holders) == {"lars@netvaerk.example", "fatima@netvaerk.example"}
    on_duty = DutySlot.objects.on_duty_now(now=monday)
    assert {slot.duty.name for slot in on_duty} == {"Hjælper på vagt", "Velkomstvært"}
    # Weekly slots keep their Danish time.
    assert {
        timezone.localtime(s.starts_at).strftime("%a %H:%M")
        for s in DutySlot.objects.filter(duty__name="Velkomstvært")
    } == {"Mon 09:00"}

    assert demo.seed(now=monday + timedelta(days=7)) is False
    assert DutySlot.objects.count() == 3 * demo.WEEKS


def test_the_demo_rota_works_without_the_demo_members():
    assert demo.seed() is True
    assert not DutySlot.objects.filter(member__isnull=False).exists()
