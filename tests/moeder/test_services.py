"""Meetups: publishing, editing, answers, the waitlist and check-in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Thread
from moeder import notify, services
from moeder.models import Answer, Meetup, MeetupStatus, QuestionAnswer, Rsvp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """Record what the services ask notify to send (the mail itself is tested apart)."""
    calls = []
    for name in ("meetup_published", "meetup_changed", "meetup_cancelled", "promoted"):
        monkeypatch.setattr(
            notify, name, lambda _name=name, **kwargs: calls.append((_name, kwargs))
        )
    return calls


def make_meetup(*, capacity=None, guests_allowed=0, status=MeetupStatus.PUBLISHED, **fields):
    starts = timezone.now() + timedelta(days=7)
    defaults = dict(
        title="Julefrokost i Aarhus",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        venue_name="Værtshuset",
    )
    defaults.update(fields)
    meetup = services.create_meetup(
        creator=UserFactory(roles=["organiser"]),
        capacity=capacity,
        guests_allowed=guests_allowed,
        **defaults,
    )
    if status != MeetupStatus.DRAFT:
        Meetup.objects.filter(pk=meetup.pk).update(status=status)
        meetup.refresh_from_db()
    return meetup


def test_publishing_creates_the_thread_and_sends_invitations(sent):
    meetup = make_meetup(status=MeetupStatus.DRAFT)
    published = services.publish(meetup=meetup, actor=meetup.created_by)
    assert published.status == MeetupStatus.PUBLISHED and published.thread is not None
    assert Thread.objects.get(pk=published.thread_id).category.slug == "moeder"
    assert [name for name, _ in sent] == ["meetup_published"]
    with pytest.raises(services.MeetupError):
        services.publish(meetup=meetup, actor=meetup.created_by)


def test_a_draft_in_the_past_cannot_be_published(sent):
    meetup = make_meetup(status=MeetupStatus.DRAFT)
    Meetup.objects.filter(pk=meetup.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(services.MeetupError):
        services.publish(meetup=meetup, actor=meetup.created_by)


def test_yes_fills_seats_then_the_waitlist_in_order(sent):
    meetup = make_meetup(capacity=3, guests_allowed=2)
    a, b, c, d = UserFactory.create_batch(4)
    assert not services.answer(meetup=meetup, member=a, answer="yes", guests=1).waitlisted
    assert services.answer(meetup=meetup, member=b, answer="yes", guests=2).waitlisted
    assert not services.answer(meetup=meetup, member=c, answer="yes").waitlisted  # fits? no:
    # c took the last seat although b waits: b's party of 3 did not fit, c's party of 1 did.
    assert services.answer(meetup=meetup, member=d, answer="yes").waitlisted
    # a withdraws: two seats free; b (3) still does not fit, d (1) is promoted.
    services.withdraw(meetup=meetup, member=a)
    assert not Rsvp.objects.get(member=d).waitlisted
    assert Rsvp.objects.get(member=b).waitlisted
    assert [kw["rsvp"].member for name, kw in sent if name == "promoted"] == [d]


def test_a_newcomer_does_not_jump_the_queue(sent):
    meetup = make_meetup(capacity=1)
    first, waiting, newcomer = UserFactory.create_batch(3)
    services.answer(meetup=meetup, member=first, answer="yes")
    services.answer(meetup=meetup, member=waiting, answer="yes")
    services.answer(meetup=meetup, member=first, answer="no")  # frees the seat
    assert not Rsvp.objects.get(member=waiting).waitlisted
    assert services.answer(meetup=meetup, member=newcomer, answer="yes").waitlisted


def test_raising_the_capacity_promotes(sent):
    meetup = make_meetup(capacity=1)
    one, two = UserFactory.create_batch(2)
    services.answer(meetup=meetup, member=one, answer="yes")
    services.answer(meetup=meetup, member=two, answer="yes")
    services.update_meetup(meetup=meetup, editor=meetup.created_by, capacity=2)
    assert not Rsvp.objects.get(member=two).waitlisted


def test_one_row_per_member_and_meetup_and_answers_can_change(sent):
    meetup = make_meetup()
    member = UserFactory()
    services.answer(meetup=meetup, member=member, answer="maybe")
    services.answer(meetup=meetup, member=member, answer="yes")
    assert Rsvp.objects.filter(meetup=meetup, member=member).count() == 1
    assert Rsvp.objects.get().answer == Answer.YES


@pytest.mark.parametrize(
    "change",
    [
        {"status": MeetupStatus.CANCELLED},
        {"status": MeetupStatus.DRAFT},
        {"rsvp_deadline": "past"},
        {"starts_at": "past"},
    ],
)
def test_answers_are_refused_when_closed(sent, change):
    meetup = make_meetup()
    now = timezone.now()
    fields = {k: (now - timedelta(minutes=1) if v == "past" else v) for k, v in change.items()}
    Meetup.objects.filter(pk=meetup.pk).update(**fields)
    with pytest.raises(services.MeetupError):
        services.answer(meetup=meetup, member=UserFactory(), answer="yes")
    assert not Rsvp.objects.exists()


def test_guests_over_the_limit_are_refused(sent):
    meetup = make_meetup(guests_allowed=1)
    with pytest.raises(services.MeetupError):
        services.answer(meetup=meetup, member=UserFactory(), answer="yes", guests=2)
    with pytest.raises(services.MeetupError):
        services.answer(meetup=meetup, member=UserFactory(), answer="yes", guests=-1)


def test_moving_the_meetup_bumps_the_sequence_and_says_what_changed(sent):
    meetup = make_meetup()
    later = meetup.starts_at + timedelta(hours=1)
    updated = services.update_meetup(
        meetup=meetup,
        editor=meetup.created_by,
        starts_at=later,
        ends_at=meetup.ends_at + timedelta(hours=1),
        title="Julefrokost 2026",
    )
    assert updated.sequence == meetup.sequence + 1
    (kwargs,) = [kw for name, kw in sent if name == "meetup_changed"]
    assert set(kwargs["changes"]) == {"starts_at", "ends_at"}
    assert kwargs["changes"]["starts_at"] == (meetup.starts_at, later)
    # A title change alone tells nobody and keeps the calendar sequence.
    services.update_meetup(meetup=updated, editor=meetup.created_by, title="Julefrokost!")
    assert Meetup.objects.get(pk=meetup.pk).sequence == updated.sequence


def test_cancelling_keeps_the_page_and_tells_everyone(sent):
    meetup = make_meetup()
    cancelled = services.cancel(meetup=meetup, actor=meetup.created_by, reason="Sygdom")
    assert cancelled.status == MeetupStatus.CANCELLED and cancelled.cancel_reason == "Sygdom"
    assert cancelled.sequence == meetup.sequence + 1
    assert [name for name, _ in sent] == ["meetup_cancelled"]
    with pytest.raises(services.MeetupError):
        services.cancel(meetup=meetup, actor=meetup.created_by, reason="igen")
    with pytest.raises(services.MeetupError):
        services.update_meetup(meetup=meetup, editor=meetup.created_by, title="x")


def test_question_answers_are_kept_with_the_rsvp(sent):
    meetup = make_meetup()
    diet = services.add_question(
        meetup=meetup,
        text="Kostbehov",
        kind="single",
        choices=["Vegetar", "Vegan", "Ingen"],
        required=True,
    )
    rsvp = services.answer(
        meetup=meetup,
        member=UserFactory(),
        answer="yes",
        answers={diet.pk: "Vegetar", 999999: "ignored"},
    )
    assert QuestionAnswer.objects.get(rsvp=rsvp).text == "Vegetar"


def test_check_in_marks_the_ticked_of_those_shown(sent):
    meetup = make_meetup()
    rsvps = [services.answer(meetup=meetup, member=UserFactory(), answer="yes") for _ in range(3)]
    everyone = {r.pk for r in rsvps}
    host = meetup.created_by
    came = {rsvps[0].pk, rsvps[1].pk}
    assert services.set_checked_in(meetup=meetup, came=came, shown=everyone, actor=host) == 2
    assert services.set_checked_in(meetup=meetup, came=set(), shown={rsvps[1].pk}, actor=host) == 1


def test_two_hosts_checking_in_at_once_keep_each_others_ticks(sent):
    meetup = make_meetup()
    alice, bob = (
        services.answer(meetup=meetup, member=UserFactory(), answer="yes") for _ in range(2)
    )
    shown = {alice.pk, bob.pk}
    services.set_checked_in(
        meetup=meetup, came={alice.pk}, shown={alice.pk}, actor=meetup.created_by
    )
    services.set_checked_in(meetup=meetup, came={bob.pk}, shown={bob.pk}, actor=meetup.created_by)
    assert Rsvp.objects.filter(checked_in_at__isnull=False).count() == 2
    assert shown


def test_a_late_withdrawal_is_kept_as_a_late_no(sent):
    meetup = make_meetup()
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=timezone.now() + timedelta(hours=5))
    member = UserFactory()
    services.answer(meetup=meetup, member=member, answer="yes")
    services.withdraw(meetup=meetup, member=member)
    rsvp = Rsvp.objects.get()
    assert rsvp.answer == "no" and rsvp.withdrew_late


def test_a_late_no_is_counted_as_a_late_withdrawal(sent):
    meetup = make_meetup()
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=timezone.now() + timedelta(hours=5))
    member = UserFactory()
    services.answer(meetup=meetup, member=member, answer="yes")
    services.answer(meetup=meetup, member=member, answer="no")
    assert Rsvp.objects.get().withdrew_late


def test_a_tentative_meetup_needs_its_decision_between_now_and_the_start(sent):
    meetup = make_meetup(status=MeetupStatus.DRAFT)
    Meetup.objects.filter(pk=meetup.pk).update(
        min_attendees=5, decide_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(services.MeetupError):
        services.publish(meetup=Meetup.objects.get(pk=meetup.pk), actor=meetup.created_by)
    assert Meetup.objects.get(pk=meetup.pk).status == MeetupStatus.DRAFT


def test_cancelling_opens_the_needs_it_was_planned_for(sent):
    from needs.models import Need, NeedStatus

    meetup = make_meetup()
    need = Need.objects.create(
        title="Sparring",
        author=UserFactory(),
        meetup=meetup,
        status=NeedStatus.PLANNED,
    )
    services.cancel(meetup=meetup, actor=meetup.created_by, reason="Få tilmeldte")
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN and need.meetup is None


def test_a_meetup_keeps_the_language_its_organiser_wrote_it_in():
    starts = timezone.now() + timedelta(days=7)
    meetup = services.create_meetup(
        creator=UserFactory(roles=["organiser"], language="en"),
        title="Founders' breakfast",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    assert meetup.language == "en"
