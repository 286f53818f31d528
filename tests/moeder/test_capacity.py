"""Lowering a meetup's seats below the number coming: those who answered last
move to the waitlist (never an overbooked meetup), in order, and are told."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from moeder import notify, services, tasks
from moeder.models import Answer, Meetup, Rsvp
from tests.factories import UserFactory
from tests.moeder.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db


def answered(meetup, *, minutes_ago: int, guests: int = 0, waitlisted: bool = False, **fields):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return RsvpFactory(
        meetup=meetup,
        guests=guests,
        created_at=at,
        updated_at=at,
        waitlisted=waitlisted,
        waitlisted_at=at if waitlisted else None,
        **fields,
    )


def coming(meetup) -> list[Rsvp]:
    return list(Rsvp.objects.filter(meetup=meetup).attending().order_by("created_at"))


def waiting(meetup) -> list[Rsvp]:
    return list(Rsvp.objects.filter(meetup=meetup).waiting())


def seats(rsvps) -> int:
    return sum(r.seats for r in rsvps)


@pytest.fixture
def told(monkeypatch):
    """Who notify is asked to tell: moved to the waitlist, or promoted."""
    calls = []
    monkeypatch.setattr(notify, "moved_to_waitlist", lambda *, rsvp: calls.append(("moved", rsvp)))
    monkeypatch.setattr(notify, "promoted", lambda *, rsvp: calls.append(("promoted", rsvp)))
    return calls


def test_lowering_the_seats_moves_the_latest_answers_to_the_waitlist(told):
    """The reported case: capacity 2 with five coming and nobody waiting."""
    meetup = MeetupFactory(capacity=10)
    five = [answered(meetup, minutes_ago=60 - i) for i in range(5)]

    updated = services.update_meetup(meetup=meetup, editor=meetup.created_by, capacity=2)

    assert Meetup.objects.get(pk=meetup.pk).capacity == 2
    assert [r.pk for r in coming(meetup)] == [five[0].pk, five[1].pk]
    # Waiting in the order they answered: the earliest of the moved first.
    assert [r.pk for r in waiting(meetup)] == [five[2].pk, five[3].pk, five[4].pk]
    assert all(r.answer == Answer.YES for r in waiting(meetup))
    assert sorted(r.pk for kind, r in told if kind == "moved") == sorted(r.pk for r in five[2:])
    assert not [r for kind, r in told if kind == "promoted"]
    assert sorted(r.pk for r in updated.moved_to_waitlist) == sorted(r.pk for r in five[2:])
    assert Meetup.objects.get(pk=meetup.pk).waitlist_peak == 3


def test_guests_move_with_their_member(told):
    meetup = MeetupFactory(capacity=10, guests_allowed=3)
    first = answered(meetup, minutes_ago=30, guests=1)
    party = answered(meetup, minutes_ago=20, guests=3)
    last = answered(meetup, minutes_ago=10)

    services.update_meetup(meetup=meetup, editor=meetup.created_by, capacity=2)

    # The last answer moves first, then the party of four as a whole; the
    # first party of two still fits.
    assert coming(meetup) == [first]
    assert seats(coming(meetup)) == 2
    assert [r.pk for r in waiting(meetup)] == [party.pk, last.pk]
    assert sorted(r.pk for _kind, r in told) == sorted([party.pk, last.pk])


def test_a_small_party_that_fits_again_keeps_its_seat_without_mail(told):
    """Moving the latest until the rest fit can free more seats than needed;
    the waitlist rule (the first party that fits) then gives them back."""
    meetup = MeetupFactory(capacity=10, guests_allowed=2)
    first = answered(meetup, minutes_ago=30)
    party = answered(meetup, minutes_ago=20, guests=2)
    last = answered(meetup, minutes_ago=10)

    updated = services.update_meetup(meetup=meetup, editor=meetup.created_by, capacity=3)

    assert [r.pk for r in coming(meetup)] == [first.pk, last.pk]
    assert [r.pk for r in waiting(meetup)] == [party.pk]
    assert [(kind, r.pk) for kind, r in told] == [("moved", party.pk)]
    assert [r.pk for r in updated.moved_to_waitlist] == [party.pk]


def test_those_already_waiting_keep_their_place_by_answer_time(told):
    meetup = MeetupFactory(capacity=3)
    early = answered(meetup, minutes_ago=50)
    middle = answered(meetup, minutes_ago=40)
    queued = answered(meetup, minutes_ago=35, waitlisted=True)
    late = answered(meetup, minutes_ago=30)

    services.update_meetup(meetup=meetup, editor=meetup.created_by, capacity=1)

    assert coming(meetup) == [early]
    assert [r.pk for r in waiting(meetup)] == [middle.pk, queued.pk, late.pk]


@pytest.mark.parametrize("capacity", [None, 5, 3])
def test_enough_seats_move_nobody(told, capacity):
    meetup = MeetupFactory(capacity=3)
    three = [answered(meetup, minutes_ago=10 - i) for i in range(3)]
    RsvpFactory(meetup=meetup, answer=Answer.MAYBE)

    updated = services.update_meetup(meetup=meetup, editor=meetup.created_by, capacity=capacity)

    assert coming(meetup) == three
    assert told == [] and updated.moved_to_waitlist == []


def test_a_draft_has_nobody_to_move(told):
    meetup = MeetupFactory(capacity=10, status="draft")
    updated = services.update_meetup(meetup=meetup, editor=meetup.created_by, capacity=1)
    assert updated.capacity == 1 and told == []


def test_the_organiser_is_told_on_the_page(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    meetup = MeetupFactory(capacity=10)
    for i in range(5):
        answered(meetup, minutes_ago=60 - i)
    client.force_login(meetup.created_by)
    local = timezone.localtime(meetup.starts_at)
    form = {
        "title": meetup.title,
        "kind": meetup.kind,
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(meetup.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "venue_name": meetup.venue_name,
        "address": meetup.address,
        "capacity": "2",
        "guests_allowed": "0",
    }

    response = client.post(reverse("moeder:meetup_edit", args=[meetup.pk]), form, follow=True)

    assert response.status_code == 200
    assert "3 medlemmer, der havde sagt ja, står nu på ventelisten" in response.text
    assert len(coming(meetup)) == 2 and len(waiting(meetup)) == 3


def test_a_moved_member_gets_a_mail_with_a_tentative_calendar_entry(
    django_capture_on_commit_callbacks, mailoutbox
):
    meetup = MeetupFactory(capacity=10)
    first = answered(meetup, minutes_ago=20)
    moved = answered(meetup, minutes_ago=10, member=UserFactory(language="en"))

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.update_meetup(meetup=meetup, editor=meetup.created_by, capacity=1)

    [message] = mailoutbox
    assert message.to == [moved.member.email]
    assert message.subject.startswith("Netværk: On the waitlist:")
    assert "you are now on the waitlist" in message.body
    [(_name, content, _mimetype)] = message.attachments
    (event,) = Calendar.from_ical(content).events
    assert "PARTSTAT=TENTATIVE" in event.to_ical().decode().replace("\r\n ", "")
    assert first.member.email not in [m.to[0] for m in mailoutbox]


def test_no_waitlist_mail_for_a_member_who_got_the_seat_back_meanwhile(mailoutbox):
    meetup = MeetupFactory()
    member = RsvpFactory(meetup=meetup).member  # coming, not waiting
    assert not tasks.send_meetup_mail.call(
        kind=notify.WAITLISTED, meetup_id=meetup.pk, member_id=member.pk
    )
    assert not mailoutbox
