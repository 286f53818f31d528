from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from datepolls.models import OptionKind, Poll, PollOption, PollVote, Vote
from moeder.models import MeetupStatus
from tests.factories import UserFactory
from tests.moeder.factories import MeetupFactory


class DraftMeetupFactory(MeetupFactory):
    status = MeetupStatus.DRAFT
    published_at = None


class PollFactory(DjangoModelFactory):
    """An open poll on a draft meetup for every member."""

    class Meta:
        model = Poll

    meetup = factory.SubFactory(DraftMeetupFactory)
    opened_at = factory.LazyFunction(timezone.now)
    invite_round = 1
    invited_round = 1


class DateOptionFactory(DjangoModelFactory):
    class Meta:
        model = PollOption

    poll = factory.SubFactory(PollFactory)
    kind = OptionKind.DATE
    starts_at = factory.Sequence(lambda n: timezone.now() + timedelta(days=10 + n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    position = factory.Sequence(lambda n: n)


class VenueOptionFactory(DjangoModelFactory):
    class Meta:
        model = PollOption

    poll = factory.SubFactory(PollFactory)
    kind = OptionKind.VENUE
    venue_name = factory.Sequence(lambda n: f"Iværksætterhuset {n}")
    address = "Åboulevarden 10, 8000 Aarhus C"
    position = factory.Sequence(lambda n: n)


class PollVoteFactory(DjangoModelFactory):
    class Meta:
        model = PollVote

    option = factory.SubFactory(DateOptionFactory)
    member = factory.SubFactory(UserFactory)
    value = Vote.YES
