from datetime import datetime, time, timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from moeder.models import Answer, Meetup, MeetupStatus, Rsvp
from tests.factories import UserFactory


def _a_week_from_now_at_six():
    """18:00 Copenhagen time, seven days from today (stored in UTC)."""
    day = timezone.localdate() + timedelta(days=7)
    return datetime.combine(day, time(18), tzinfo=timezone.get_default_timezone())


class MeetupFactory(DjangoModelFactory):
    """A published meetup a week from now at 18:00, three hours long."""

    class Meta:
        model = Meetup

    title = factory.Sequence(lambda n: f"Netværksmøde {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title, allow_unicode=True))
    starts_at = factory.LazyFunction(_a_week_from_now_at_six)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    venue_name = "Værkstedet"
    address = "Mejlgade 1, 8000 Aarhus C"
    status = MeetupStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory, roles=["organiser"])


class RsvpFactory(DjangoModelFactory):
    class Meta:
        model = Rsvp

    meetup = factory.SubFactory(MeetupFactory)
    member = factory.SubFactory(UserFactory)
    answer = Answer.YES
