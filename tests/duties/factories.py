"""Factories for the duty rota (kept here until they move to tests/factories.py)."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from duties.models import Duty, DutySlot


class DutyFactory(DjangoModelFactory):
    class Meta:
        model = Duty

    name = factory.Sequence(lambda n: f"Vagt {n}")


class DutySlotFactory(DjangoModelFactory):
    """An open slot tomorrow, two hours long."""

    class Meta:
        model = DutySlot

    duty = factory.SubFactory(DutyFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
