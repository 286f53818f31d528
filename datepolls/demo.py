"""A demo date poll (used by `manage.py seed_demo`): a draft meetup whose
organiser asks the members when and where it should be held."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from datepolls import services
from datepolls.models import Poll, PollVote, Vote
from moeder import services as meetups


def _user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def seed() -> bool:
    """Create the demo poll once. Returns whether anything was new."""
    if Poll.objects.exists():
        return False
    organiser = _user("soeren")
    meetup = meetups.create_meetup(
        creator=organiser,
        title="Fyraftensmøde om salg til kommuner",
        kind="professional",
        description="Hvordan byder man på kommunale opgaver som lille virksomhed? "
        "Vi deler erfaringer – hjælp os med at finde dato og sted.",
        starts_at=_at(30, 17),
        ends_at=_at(30, 19),
        venue_name="Aftales",
    )
    dates = [
        services.add_date_option(meetup=meetup, starts_at=_at(days, 17), ends_at=_at(days, 19))
        for days in (28, 30, 35)
    ]
    venues = [
        services.add_venue_option(meetup=meetup, venue_name=name, address=address)
        for name, address in [
            ("Bech Tømrer & Snedker", "Industrivej 7, 9400 Nørresundby"),
            ("Hansens Blomster (baglokalet)", "Algade 22, 9000 Aalborg"),
        ]
    ]
    services.open_poll(meetup=meetup, actor=organiser)
    answers = {
        "henrik": [Vote.YES, Vote.IF_NEED_BE, Vote.NO, Vote.YES, Vote.NO],
        "louise": [Vote.NO, Vote.YES, Vote.YES, Vote.YES, Vote.YES],
        "birgitte": [Vote.YES, Vote.YES, Vote.IF_NEED_BE, Vote.NO, Vote.YES],
        "jonas": [Vote.IF_NEED_BE, Vote.YES, Vote.NO, Vote.YES, Vote.IF_NEED_BE],
    }
    options = dates + venues
    for local, values in answers.items():
        PollVote.objects.bulk_create(
            PollVote(option=option, member=_user(local), value=value)
            for option, value in zip(options, values, strict=True)
        )
    return True
