"""The last seat is race-safe: concurrent answers for it give exactly one seat."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from moeder import notify, services
from moeder.models import Meetup, MeetupStatus, Rsvp
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter; SQLite serialises writers anyway",
    ),
]


def test_concurrent_yes_answers_for_the_last_seat(monkeypatch):
    monkeypatch.setattr(notify, "promoted", lambda **kwargs: None)
    starts = timezone.now() + timedelta(days=3)
    meetup = Meetup.objects.create(
        title="Sidste plads",
        slug="sidste-plads",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue_name="Her",
        capacity=1,
        status=MeetupStatus.PUBLISHED,
        created_by=UserFactory(),
    )
    members = UserFactory.create_batch(6)
    barrier = threading.Barrier(len(members))
    errors = []

    def answer(member):
        try:
            barrier.wait(timeout=10)
            services.answer(meetup=meetup, member=member, answer="yes")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Rsvp.objects.filter(meetup=meetup, waitlisted=False, answer="yes").count() == 1
    assert Rsvp.objects.filter(meetup=meetup, waitlisted=True).count() == len(members) - 1
