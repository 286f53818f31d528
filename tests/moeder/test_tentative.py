"""Tentative meetups: the go / no-go at `decide_at`, once, and only for the
meetup as it was when the decision was scheduled."""

from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.tasks import default_task_backend
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from accounts.models import EmailFrequency
from moeder import services, tentative
from moeder.models import Answer, Meetup, MeetupStatus
from notifications.models import Notification
from tests.factories import UserFactory
from tests.moeder.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return callable_(**kwargs)

    return run


def da(text: str, **values) -> str:
    with translation.override("da"):
        return gettext(text) % values if values else gettext(text)


def tentative_meetup(*, minimum=3, decide_in=timedelta(hours=-1), **fields) -> Meetup:
    """Published, held if `minimum` say yes; decided `decide_in` from now."""
    return MeetupFactory(
        title="Iværksættercafé",
        min_attendees=minimum,
        decide_at=timezone.now() + decide_in,
        **fields,
    )


def answers(meetup, **counts):
    """RSVPs: yes=…, maybe=…, no=…, waiting=… (yes on the waitlist)."""
    rsvps = []
    for answer in ("yes", "maybe", "no"):
        rsvps += RsvpFactory.create_batch(counts.get(answer, 0), meetup=meetup, answer=answer)
    rsvps += RsvpFactory.create_batch(
        counts.get("waiting", 0),
        meetup=meetup,
        answer=Answer.YES,
        waitlisted=True,
        waitlisted_at=timezone.now(),
    )
    return rsvps


def decide(meetup, committed=None, **overrides):
    kwargs = {
        "meetup_id": meetup.pk,
        "sequence": meetup.sequence,
        "decide_at": meetup.decide_at.isoformat(),
        **overrides,
    }
    if committed is None:
        return tentative.decide.call(**kwargs)
    return committed(tentative.decide.call, **kwargs)


# --- Scheduling -------------------------------------------------------------------


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def test_the_decision_is_queued_for_decide_at_after_the_commit(committed, dummy_tasks):
    meetup = tentative_meetup(decide_in=timedelta(days=2))
    committed(tentative.schedule_decision, meetup=meetup)
    [result] = [r for r in dummy_tasks.results if r.task.name == "decide"]
    assert result.task.run_after == meetup.decide_at
    assert result.kwargs == {
        "meetup_id": meetup.pk,
        "sequence": meetup.sequence,
        "decide_at": meetup.decide_at.isoformat(),
    }


@pytest.mark.parametrize(
    "fields", [{"min_attendees": None, "decide_at": None}, {"status": MeetupStatus.DRAFT}]
)
def test_nothing_is_queued_for_a_draft_or_a_meetup_that_is_not_tentative(
    committed, dummy_tasks, fields
):
    meetup = tentative_meetup(decide_in=timedelta(days=2))
    Meetup.objects.filter(pk=meetup.pk).update(**fields)
    committed(tentative.schedule_decision, meetup=meetup)
    assert not [r for r in dummy_tasks.results if r.task.name == "decide"]


def test_a_decision_run_too_early_does_nothing(committed):
    """The immediate backend runs it at once: before decide_at, nothing happens."""
    meetup = tentative_meetup(minimum=1, decide_in=timedelta(days=2))
    answers(meetup, yes=3)
    committed(tentative.schedule_decision, meetup=meetup)
    assert decide(meetup) == ""
    meetup.refresh_from_db()
    assert meetup.is_tentative and meetup.status == MeetupStatus.PUBLISHED
    assert not Notification.objects.exists()


def test_publishing_a_tentative_draft_then_scheduling_keeps_it_until_the_time(committed, sent):
    meetup = tentative_meetup(decide_in=timedelta(days=2), status=MeetupStatus.DRAFT)

    def publish_and_schedule():
        published = services.publish(meetup=meetup, actor=meetup.created_by)
        tentative.schedule_decision(meetup=published)
        return published

    committed(publish_and_schedule)
    meetup.refresh_from_db()
    assert meetup.is_tentative and meetup.status == MeetupStatus.PUBLISHED


@pytest.fixture
def sent(monkeypatch):
    """publish() invites the audience: not what these tests are about."""
    from moeder import notify

    calls = []
    monkeypatch.setattr(notify, "meetup_published", lambda **kw: calls.append(kw))
    return calls


# --- Go ------------------------------------------------------------------------------


def test_enough_yes_confirms_clears_the_flag_and_sends_calendar_updates(committed, mailoutbox):
    meetup = tentative_meetup(minimum=2)
    yes = answers(meetup, yes=2)
    maybe = answers(meetup, maybe=1)
    no = answers(meetup, no=1)
    waiting = answers(meetup, waiting=1)
    sequence = meetup.sequence

    assert decide(meetup, committed) == "confirmed"

    meetup.refresh_from_db()
    assert not meetup.is_tentative and meetup.decide_at is None
    assert meetup.status == MeetupStatus.PUBLISHED and meetup.sequence == sequence + 1
    subject = da("Netværk: Confirmed: %(title)s", title="Iværksættercafé")
    to = {m.to[0] for m in mailoutbox if m.subject == subject}
    # Yes (with a seat or waiting) and maybe: the answers the change concerns.
    assert to == {r.member.email for r in yes + maybe + waiting}
    assert not {r.member.email for r in no} & to
    mail = next(m for m in mailoutbox if m.to == [yes[0].member.email])
    assert " kl. " in mail.body  # the time, in Danish and Copenhagen time
    [ics] = [a for a in mail.attachments if a[0] == "moede.ics"]
    event = Calendar.from_ical(ics[1]).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == meetup.sequence and str(event["UID"]).startswith(
        str(meetup.uid)
    )
    # The organiser hears it, in the site's notices.
    notice = Notification.objects.get(recipient=meetup.created_by)
    assert notice.message == da(
        "“%(title)s” is confirmed: %(count)s said yes in time. Everyone who answered "
        "yes or maybe got an updated calendar invitation.",
        title="Iværksættercafé",
        count=2,
    )
    assert notice.link == meetup.get_absolute_url()


def test_guests_and_the_waitlist_do_not_count(committed):
    meetup = tentative_meetup(minimum=2, guests_allowed=3)
    answers(meetup, waiting=3)
    RsvpFactory(meetup=meetup, answer=Answer.YES, guests=3)
    assert decide(meetup, committed) == "cancelled"


# --- No-go ----------------------------------------------------------------------------


def test_too_few_cancels_politely_and_everyone_is_told(committed, mailoutbox):
    meetup = tentative_meetup(minimum=3)
    yes = answers(meetup, yes=2)
    english = UserFactory(language="en", notification_email=EmailFrequency.NEVER)
    RsvpFactory(meetup=meetup, member=english, answer=Answer.MAYBE)

    assert decide(meetup, committed) == "cancelled"

    meetup.refresh_from_db()
    assert meetup.status == MeetupStatus.CANCELLED
    assert meetup.cancel_reason == tentative.too_few_reason()
    assert da("Too few signed up – we will try again later.") in meetup.cancel_reason
    cancellations = [m for m in mailoutbox if m.subject.startswith("Netværk: Aflyst:")]
    assert {m.to[0] for m in cancellations} >= {r.member.email for r in yes}
    assert meetup.cancel_reason in cancellations[0].body
    english_mail = next(m for m in mailoutbox if m.to == [english.email])
    assert english_mail.subject.startswith("Netværk: Cancelled:")
    notice = Notification.objects.get(recipient=meetup.created_by)
    assert notice.message == da(
        "“%(title)s” was cancelled automatically: only %(count)s said yes, and it needed "
        "%(minimum)s. Everyone invited was told.",
        title="Iværksættercafé",
        count=2,
        minimum=3,
    )


def test_the_hosts_are_told_too(committed):
    from moeder.models import MeetupHost

    meetup = tentative_meetup(minimum=1)
    host = UserFactory(language="en")
    MeetupHost.objects.create(meetup=meetup, user=host)
    decide(meetup, committed)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        meetup.created_by_id,
        host.pk,
    }
    with translation.override("en"):
        assert Notification.objects.get(recipient=host).link == meetup.get_absolute_url()


# --- Once, and only for the meetup as scheduled -------------------------------------------


@pytest.mark.parametrize("yes", [0, 5])
def test_deciding_twice_does_nothing_the_second_time(committed, mailoutbox, yes):
    meetup = tentative_meetup(minimum=3)
    answers(meetup, yes=yes)
    first = decide(meetup, committed)
    mails, notices = len(mailoutbox), Notification.objects.count()
    assert first in {"confirmed", "cancelled"}
    assert decide(meetup, committed) == ""
    assert (len(mailoutbox), Notification.objects.count()) == (mails, notices)


def test_a_meetup_edited_since_is_not_decided_by_the_old_task(committed, sent):
    meetup = tentative_meetup(minimum=3)
    old = {"sequence": meetup.sequence, "decide_at": meetup.decide_at.isoformat()}
    services.update_meetup(
        meetup=meetup, editor=meetup.created_by, starts_at=meetup.starts_at + timedelta(hours=1)
    )
    assert decide(meetup, committed, **old) == ""
    meetup.refresh_from_db()
    assert meetup.is_tentative and meetup.status == MeetupStatus.PUBLISHED


def test_a_moved_decision_time_is_not_decided_at_the_old_time(committed):
    meetup = tentative_meetup(minimum=3)
    old = meetup.decide_at.isoformat()
    Meetup.objects.filter(pk=meetup.pk).update(decide_at=timezone.now() + timedelta(days=1))
    assert decide(meetup, committed, decide_at=old) == ""
    assert Meetup.objects.get(pk=meetup.pk).status == MeetupStatus.PUBLISHED


def test_a_cancelled_or_deleted_meetup_is_not_decided(committed):
    meetup = tentative_meetup(minimum=3)
    services.cancel(meetup=meetup, actor=meetup.created_by, reason="Sygdom")
    meetup.refresh_from_db()
    assert decide(meetup, committed) == ""
    assert Meetup.objects.get(pk=meetup.pk).cancel_reason == "Sygdom"
    assert not Notification.objects.exists()
    assert (
        tentative.decide.call(meetup_id=10**9, sequence=0, decide_at=datetime.now().isoformat())
        == ""
    )


def test_a_confirmation_queued_before_another_change_is_not_sent(mailoutbox):
    meetup = tentative_meetup(minimum=1)
    rsvp = RsvpFactory(meetup=meetup)
    assert not tentative.send_confirmation.call(
        meetup_id=meetup.pk, member_id=rsvp.member_id, sequence=meetup.sequence + 1
    )
    assert not mailoutbox
