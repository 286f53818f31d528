"""Mail about meetups: signed answer links, invitations in batches, updates,
cancellations, waitlist promotions, reminders and the recap."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import signing
from django.db import transaction
from django.tasks import default_task_backend
from django.tasks.signals import task_enqueued
from django.test import TestCase
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from accounts.models import EmailFrequency, Region, Sanction, SanctionKind
from moeder import calendar, notify, services, tasks
from moeder.models import Invitation, Meetup, MeetupStatus, ReminderSent
from notifications.services import unsubscribe_token
from tests.factories import ThreadFactory, UserFactory
from tests.moeder.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db

TOKEN_IN_LINK = re.compile(r"/svar/([^/\s]+)/\?svar=yes")


def _committed(run):
    """Run a task body and what it left for after its commit (the mail queue)."""

    def wrapper(**kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return run(**kwargs)

    return wrapper


@pytest.fixture
def enqueued():
    """Names of the tasks enqueued, in order."""
    names = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    yield names
    task_enqueued.disconnect(record)


@pytest.fixture
def dummy_tasks(settings):
    """A task backend that keeps what was enqueued (with run_after) instead of running it."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a call inside a transaction, then what it queued for after the commit."""

    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return callable_(**kwargs)

    return run


def local(days: float, hour: int, minute: int = 0) -> datetime:
    """A Copenhagen wall-clock time `days` from today."""
    day = timezone.localtime(timezone.now() + timedelta(days=days))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def meetup_at(starts_at: datetime, hours: float = 3, **fields) -> Meetup:
    return MeetupFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **fields)


def recipients(mailoutbox) -> set[str]:
    return {address for message in mailoutbox for address in message.to}


def calendar_of(message) -> Calendar:
    [(_name, content, mimetype)] = message.attachments
    assert mimetype == "application/ics"
    return Calendar.from_ical(content)


def past_due() -> str:
    return (timezone.now() - timedelta(minutes=1)).isoformat()


# --- Tokens ----------------------------------------------------------------------


def test_an_rsvp_token_gives_back_its_member_and_meetup():
    member, meetup = UserFactory(), MeetupFactory()
    assert notify.read_rsvp_token(notify.rsvp_token(member=member, meetup=meetup)) == (
        member,
        meetup,
    )


def test_a_tampered_or_foreign_token_is_refused():
    member, meetup = UserFactory(), MeetupFactory()
    token = notify.rsvp_token(member=member, meetup=meetup)
    _payload, rest = token.split(":", 1)
    other = notify.rsvp_token(member=UserFactory(), meetup=meetup)
    for bad in [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        other.split(":", 1)[0] + ":" + rest,  # another member's payload, this signature
        "",
        "nonsense",
        "a:b:c",
        unsubscribe_token(member),  # signed by us, for something else
        signing.dumps([member.pk, meetup.pk, meetup.uid.hex], salt="another.salt"),
        signing.dumps({"m": member.pk}, salt=notify.RSVP_SALT),
        signing.dumps([str(member.pk), meetup.pk, meetup.uid.hex], salt=notify.RSVP_SALT),
        signing.dumps([member.pk, 10**30, meetup.uid.hex], salt=notify.RSVP_SALT),
        "x" * 10_000,
        None,
        42,
    ]:
        assert notify.read_rsvp_token(bad) is None, bad


def test_a_token_is_bound_to_its_meetup_and_to_an_active_member():
    member, meetup, other = UserFactory(), MeetupFactory(), MeetupFactory()
    # Signed correctly, but the id of one meetup with the UID of another.
    mixed = signing.dumps([member.pk, other.pk, meetup.uid.hex], salt=notify.RSVP_SALT)
    assert notify.read_rsvp_token(mixed) is None
    token = notify.rsvp_token(member=member, meetup=meetup)
    # The meetup deleted and its id used again: a new UID.
    Meetup.objects.filter(pk=meetup.pk).update(uid="12345678-1234-5678-1234-567812345678")
    assert notify.read_rsvp_token(token) is None

    token = notify.rsvp_token(member=member, meetup=other)
    member.is_active = False
    member.save()
    assert notify.read_rsvp_token(token) is None
    gone = notify.rsvp_token(member=UserFactory(), meetup=other)
    other.delete()
    assert notify.read_rsvp_token(gone) is None


def test_a_token_expires_when_the_meetup_ends():
    member = UserFactory()
    meetup = meetup_at(timezone.now() - timedelta(hours=2), hours=3)
    token = notify.rsvp_token(member=member, meetup=meetup)
    assert notify.read_rsvp_token(token) == (member, meetup)
    Meetup.objects.filter(pk=meetup.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert notify.read_rsvp_token(token) is None


# --- Invitations -------------------------------------------------------------------


def test_invitations_go_to_exactly_the_members_of_the_regions(committed, mailoutbox):
    capital = UserFactory(region=Region.HOVEDSTADEN)
    zealand = UserFactory(region=Region.SJAELLAND, language="en")
    daily = UserFactory(region=Region.HOVEDSTADEN, notification_email=EmailFrequency.DAILY)
    UserFactory(region=Region.MIDTJYLLAND)
    UserFactory(region="")
    UserFactory(region=Region.HOVEDSTADEN, is_active=False)
    UserFactory(region=Region.HOVEDSTADEN, notification_email=EmailFrequency.NEVER)
    suspended = UserFactory(region=Region.HOVEDSTADEN)
    Sanction.objects.create(user=suspended, kind=SanctionKind.SUSPEND, reason="Spam")
    meetup = MeetupFactory(
        status=MeetupStatus.DRAFT, regions=[Region.HOVEDSTADEN, Region.SJAELLAND]
    )
    published = committed(services.publish, meetup=meetup, actor=meetup.created_by)

    invited = {capital, zealand, daily}
    assert recipients(mailoutbox) == {m.email for m in invited}
    assert set(Invitation.objects.filter(meetup=meetup).values_list("member", flat=True)) == {
        m.pk for m in invited
    }
    assert published.invitations_planned == 3
    assert notify.invitation_progress(meetup=meetup) == (3, 3)


def test_a_meetup_without_regions_invites_every_member(committed, mailoutbox):
    members = [UserFactory(region=region) for region in [*Region.values, ""]]
    meetup = MeetupFactory(regions=[])
    committed(notify.meetup_published, meetup=meetup)
    assert recipients(mailoutbox) >= {m.email for m in members}
    assert meetup.created_by.email in recipients(mailoutbox)


def test_the_invitation_has_the_essentials_and_one_click_answers(committed, mailoutbox):
    english = UserFactory(language="en", region=Region.NORDJYLLAND)
    danish = UserFactory(region=Region.NORDJYLLAND)
    meetup = meetup_at(
        local(10, 18),
        regions=[Region.NORDJYLLAND],
        description="Vi taler om bogføring og moms. " * 40,
        online_url="https://meet.example/hemmelig",
    )
    committed(notify.meetup_published, meetup=meetup)
    by_address = {message.to[0]: message for message in mailoutbox}

    message = by_address[english.email]
    with translation.override("en"):
        assert message.subject == gettext("Netværk: You are invited: %(title)s, %(date)s") % {
            "title": meetup.title,
            "date": formats.date_format(timezone.localtime(meetup.starts_at), "j F"),
        }
        assert notify.format_span(meetup.starts_at, meetup.ends_at) in message.body
        weekday = formats.date_format(timezone.localtime(meetup.starts_at), "l")
    assert weekday in message.body and weekday[0].isupper()  # English
    assert meetup.title in message.body
    assert "Værkstedet, Mejlgade 1, 8000 Aarhus C" in message.body
    assert meetup.created_by.display_name in message.body
    assert "Vi taler om bogføring og moms." in message.body
    assert len(message.body) < 2500  # an excerpt, not the whole description
    assert "meet.example" not in message.body  # the link is for those who said yes
    assert "/en/moeder/" in message.body
    [token] = TOKEN_IN_LINK.findall(message.body)
    assert notify.read_rsvp_token(token) == (english, meetup)
    for answer in ("yes", "maybe", "no"):
        assert f"/en/moeder/svar/{token}/?svar={answer}" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    event = calendar_of(message)
    assert event["METHOD"] == "REQUEST"
    [vevent] = event.walk("VEVENT")
    assert str(vevent["UID"]) == calendar.uid(meetup)
    assert str(vevent["ATTENDEE"]).lower() == f"mailto:{english.email}"

    danish_body = by_address[danish.email].body
    with translation.override("da"):
        assert notify.format_span(meetup.starts_at, meetup.ends_at) in danish_body
    assert "/en/" not in danish_body
    [token] = TOKEN_IN_LINK.findall(danish_body)
    assert notify.read_rsvp_token(token) == (danish, meetup)


def test_invitations_go_out_in_batches(committed, mailoutbox, enqueued, monkeypatch):
    monkeypatch.setattr(tasks, "INVITATION_BATCH_SIZE", 2)
    members = UserFactory.create_batch(5, region=Region.NORDJYLLAND)
    meetup = MeetupFactory(regions=[Region.NORDJYLLAND])
    committed(notify.meetup_published, meetup=meetup)
    assert enqueued.count("send_invitations") == 3  # 2 + 2 + 1
    assert enqueued.count("send_meetup_mail") == 5
    assert sorted(recipients(mailoutbox)) == sorted(m.email for m in members)
    assert notify.invitation_progress(meetup=meetup) == (5, 5)


def test_progress_counts_the_invitations_sent_so_far(committed, dummy_tasks, monkeypatch):
    monkeypatch.setattr(tasks, "INVITATION_BATCH_SIZE", 2)
    UserFactory.create_batch(5, region=Region.NORDJYLLAND)
    meetup = MeetupFactory(regions=[Region.NORDJYLLAND])
    committed(notify.meetup_published, meetup=meetup)
    assert notify.invitation_progress(meetup=meetup) == (0, 5)
    assert _committed(tasks.send_invitations.call)(meetup_id=meetup.pk) == 2
    assert notify.invitation_progress(meetup=meetup) == (2, 5)
    queued = [result.task.name for result in dummy_tasks.results]
    assert queued.count("send_meetup_mail") == 2
    assert queued.count("send_invitations") == 2  # the first and the next batch


def test_a_batch_that_runs_again_sends_nothing_twice(committed, mailoutbox, monkeypatch):
    monkeypatch.setattr(tasks, "INVITATION_BATCH_SIZE", 2)
    members = UserFactory.create_batch(5, region=Region.NORDJYLLAND)
    meetup = MeetupFactory(regions=[Region.NORDJYLLAND])
    # A worker stopped after the first batch committed: those two are invited.
    Invitation.objects.bulk_create(Invitation(meetup=meetup, member=m) for m in members[:2])
    assert _committed(tasks.send_invitations.call)(meetup_id=meetup.pk) == 2
    assert sorted(recipients(mailoutbox)) == sorted(m.email for m in members[2:])
    assert len(mailoutbox) == 3
    assert _committed(tasks.send_invitations.call)(meetup_id=meetup.pk) == 0
    assert len(mailoutbox) == 3
    assert Invitation.objects.filter(meetup=meetup).count() == 5


def test_no_invitations_for_a_cancelled_started_or_closed_meetup(mailoutbox):
    UserFactory(region=Region.NORDJYLLAND)
    cancelled = MeetupFactory(regions=[Region.NORDJYLLAND], status=MeetupStatus.CANCELLED)
    started = meetup_at(timezone.now() - timedelta(minutes=5), regions=[Region.NORDJYLLAND])
    too_late = MeetupFactory(
        regions=[Region.NORDJYLLAND], rsvp_deadline=timezone.now() - timedelta(minutes=5)
    )
    for meetup in (cancelled, started, too_late):
        assert _committed(tasks.send_invitations.call)(meetup_id=meetup.pk) == 0
    assert _committed(tasks.send_invitations.call)(meetup_id=10**9) == 0
    assert not mailoutbox
    assert not Invitation.objects.exists()


def test_nothing_is_sent_when_publishing_rolls_back(django_capture_on_commit_callbacks, mailoutbox):
    UserFactory(region=Region.NORDJYLLAND)
    meetup = MeetupFactory(regions=[Region.NORDJYLLAND])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify.meetup_published(meetup=meetup)
                raise RuntimeError
        except RuntimeError:
            pass
    assert not callbacks
    assert not mailoutbox
    assert not Invitation.objects.exists()


# --- Updates, cancellations, promotions ------------------------------------------------


def _change_line(language: str, label: str, old: str, new: str) -> str:
    with translation.override(language):
        return f"- {gettext(label)}: {old} → {new}"


def test_an_update_tells_who_answered_what_changed_in_their_language(committed, mailoutbox):
    old_start = local(10, 18)
    meetup = meetup_at(old_start, venue_name="Værkstedet", capacity=2)
    danish = RsvpFactory(meetup=meetup).member
    english = RsvpFactory(meetup=meetup, member=UserFactory(language="en")).member
    maybe = RsvpFactory(meetup=meetup, answer="maybe").member
    waiting = RsvpFactory(meetup=meetup, waitlisted=True, waitlisted_at=timezone.now()).member
    RsvpFactory(meetup=meetup, answer="no")
    Invitation.objects.create(meetup=meetup, member=UserFactory())
    new_start = old_start + timedelta(days=1, hours=1)
    committed(
        services.update_meetup,
        meetup=meetup,
        editor=meetup.created_by,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=3),
        venue_name="Hovedbiblioteket",
        online_url="https://meet.example/ny",
    )
    meetup.refresh_from_db()
    assert meetup.sequence == 1
    assert recipients(mailoutbox) == {danish.email, english.email, maybe.email, waiting.email}
    by_address = {message.to[0]: message for message in mailoutbox}

    for member in (danish, english):
        body = by_address[member.email].body
        with translation.override(member.language):
            old, new = notify.format_when(old_start), notify.format_when(new_start)
        assert _change_line(member.language, "Starts", old, new) in body
        assert _change_line(member.language, "Venue", "Værkstedet", "Hovedbiblioteket") in body
        assert "https://meet.example/ny" in body  # they said yes
        event = calendar_of(by_address[member.email])
        assert event["METHOD"] == "REQUEST"
        [vevent] = event.walk("VEVENT")
        assert vevent["SEQUENCE"] == 1 and str(vevent["UID"]) == calendar.uid(meetup)
    with translation.override("da"):
        danish_day = formats.date_format(timezone.localtime(new_start), "l")
    with translation.override("en"):
        english_day = formats.date_format(timezone.localtime(new_start), "l")
    assert danish_day.islower() and danish_day in by_address[danish.email].body
    assert english_day[0].isupper() and english_day in by_address[english.email].body
    assert english_day not in by_address[danish.email].body
    assert by_address[english.email].subject.startswith("Netværk: Changed:")
    for member in (maybe, waiting):  # no seat: the link stays hidden
        assert "meet.example" not in by_address[member.email].body


def test_the_update_reads_in_danish():
    meetup = meetup_at(local(10, 18))
    member = RsvpFactory(meetup=meetup).member
    changes = {"venue_name": ["Værkstedet", "Biblioteket"]}
    message = notify.meetup_message(notify.UPDATE, meetup=meetup, member=member, changes=changes)
    assert "Sted: Værkstedet → Biblioteket" in message.body
    assert " kl. " in message.body


def test_a_cancellation_reaches_everyone_invited_with_a_calendar_cancel(committed, mailoutbox):
    meetup = MeetupFactory()
    invited = UserFactory()
    Invitation.objects.create(meetup=meetup, member=invited)
    invited_never = UserFactory(notification_email=EmailFrequency.NEVER)
    Invitation.objects.create(meetup=meetup, member=invited_never)
    coming_never = UserFactory(notification_email=EmailFrequency.NEVER)
    RsvpFactory(meetup=meetup, member=coming_never)
    declined = RsvpFactory(meetup=meetup, answer="no").member
    UserFactory()  # not invited, no answer
    committed(services.cancel, meetup=meetup, actor=meetup.created_by, reason="Taleren er syg.")
    meetup.refresh_from_db()

    assert recipients(mailoutbox) == {invited.email, coming_never.email, declined.email}
    for message in mailoutbox:
        assert "Taleren er syg." in message.body
        event = calendar_of(message)
        assert event["METHOD"] == "CANCEL"
        [vevent] = event.walk("VEVENT")
        assert str(vevent["UID"]) == calendar.uid(meetup)
        assert vevent["SEQUENCE"] == meetup.sequence
        assert vevent["STATUS"] == "CANCELLED"


def test_a_member_promoted_from_the_waitlist_is_told(committed, mailoutbox):
    meetup = MeetupFactory(capacity=1)
    first = RsvpFactory(meetup=meetup).member
    second = UserFactory(language="en")
    RsvpFactory(meetup=meetup, member=second, waitlisted=True, waitlisted_at=timezone.now())
    committed(services.withdraw, meetup=meetup, member=first)

    [message] = mailoutbox
    assert message.to == [second.email]
    assert message.subject.startswith("Netværk: You got a seat:")
    assert meetup.title in message.body
    assert calendar_of(message)["METHOD"] == "REQUEST"


def test_no_promotion_mail_for_a_member_who_withdrew_meanwhile(mailoutbox):
    meetup = MeetupFactory()
    member = RsvpFactory(meetup=meetup, answer="no").member
    assert not tasks.send_meetup_mail.call(
        kind=notify.PROMOTION, meetup_id=meetup.pk, member_id=member.pk
    )
    assert not mailoutbox


# --- Reminders -------------------------------------------------------------------------


def _reminders(dummy_tasks) -> dict[str, object]:
    return {
        result.kwargs["kind"]: result
        for result in dummy_tasks.results
        if result.task.name == "send_reminders"
    }


def test_publishing_schedules_the_reminders(committed, dummy_tasks):
    meetup = meetup_at(local(10, 18))
    committed(notify.meetup_published, meetup=meetup)
    reminders = _reminders(dummy_tasks)
    expected = {
        notify.DAY_BEFORE: meetup.starts_at - timedelta(hours=24),
        notify.MORNING: local(10, 7),
        notify.RECAP: meetup.ends_at + notify.RECAP_AFTER,
    }
    assert {kind: result.task.run_after for kind, result in reminders.items()} == expected
    for kind, result in reminders.items():
        assert datetime.fromisoformat(result.kwargs.pop("due")) == expected[kind]
        assert result.kwargs == {"meetup_id": meetup.pk, "kind": kind, "sequence": 0}


def test_the_reminder_time_is_a_setting(settings):
    meetup = meetup_at(local(10, 6, 30))
    settings.NETVAERK_MEETUP_REMINDER_HOURS = 48
    times = notify.reminder_times(meetup)
    assert times[notify.DAY_BEFORE] == meetup.starts_at - timedelta(hours=48)
    assert notify.MORNING not in times  # it starts before 07:00
    settings.NETVAERK_MEETUP_REMINDER_HOURS = 0
    assert notify.DAY_BEFORE not in notify.reminder_times(meetup)


def test_a_reminder_whose_time_has_passed_is_not_scheduled(committed, dummy_tasks):
    meetup = meetup_at(timezone.now() + timedelta(hours=3))
    committed(notify.meetup_published, meetup=meetup)
    assert notify.DAY_BEFORE not in _reminders(dummy_tasks)
    assert notify.RECAP in _reminders(dummy_tasks)


def test_a_new_time_reschedules_the_reminders(committed, dummy_tasks):
    meetup = meetup_at(local(10, 18))
    member = RsvpFactory(meetup=meetup).member
    ReminderSent.objects.create(meetup=meetup, member=member, kind=notify.DAY_BEFORE)
    new_start = local(12, 17)
    committed(
        services.update_meetup,
        meetup=meetup,
        editor=meetup.created_by,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=2),
    )
    reminders = _reminders(dummy_tasks)
    assert reminders[notify.DAY_BEFORE].task.run_after == new_start - timedelta(hours=24)
    assert reminders[notify.MORNING].task.run_after == local(12, 7)
    assert {result.kwargs["sequence"] for result in reminders.values()} == {1}
    # The reminder of the old day said the old time: the new day gets one again.
    assert not ReminderSent.objects.exists()


def test_a_reminder_does_nothing_when_stale_cancelled_early_or_late(mailoutbox):
    meetup = meetup_at(timezone.now() + timedelta(hours=2))
    RsvpFactory(meetup=meetup)
    Meetup.objects.filter(pk=meetup.pk).update(sequence=2)
    call = tasks.send_reminders.call
    day_before = {"meetup_id": meetup.pk, "kind": notify.DAY_BEFORE}
    assert call(**day_before, sequence=1, due=past_due()) == 0  # a newer one is queued
    not_yet = (timezone.now() + timedelta(hours=1)).isoformat()
    assert call(**day_before, sequence=2, due=not_yet) == 0
    assert call(meetup_id=10**9, kind=notify.DAY_BEFORE, sequence=2, due=past_due()) == 0
    Meetup.objects.filter(pk=meetup.pk).update(status=MeetupStatus.CANCELLED)
    assert call(**day_before, sequence=2, due=past_due()) == 0
    Meetup.objects.filter(pk=meetup.pk).update(
        status=MeetupStatus.PUBLISHED, starts_at=timezone.now() - timedelta(minutes=1)
    )
    assert call(**day_before, sequence=2, due=past_due()) == 0  # it has started
    assert not mailoutbox
    assert not ReminderSent.objects.exists()


def test_the_day_before_reminder_goes_once_to_who_has_a_seat(mailoutbox):
    meetup = meetup_at(timezone.now() + timedelta(hours=20))
    coming = RsvpFactory(meetup=meetup).member
    RsvpFactory(meetup=meetup, answer="maybe")
    RsvpFactory(meetup=meetup, answer="no")
    RsvpFactory(meetup=meetup, waitlisted=True, waitlisted_at=timezone.now())
    RsvpFactory(meetup=meetup, member=UserFactory(notification_email=EmailFrequency.NEVER))
    kwargs = {"meetup_id": meetup.pk, "kind": notify.DAY_BEFORE, "sequence": 0, "due": past_due()}
    assert _committed(tasks.send_reminders.call)(**kwargs) == 1
    [message] = mailoutbox
    assert message.to == [coming.email]
    assert message.subject.startswith("Netværk: ")
    assert meetup.title in message.body
    assert _committed(tasks.send_reminders.call)(**kwargs) == 0  # run again: nothing twice
    assert len(mailoutbox) == 1


def test_the_morning_reminder_only_goes_to_yes_answers_that_asked_for_it(mailoutbox):
    meetup = meetup_at(timezone.now() + timedelta(hours=3), online_url="https://meet.example/m")
    asked = RsvpFactory(meetup=meetup, morning_reminder=True).member
    never = UserFactory(notification_email=EmailFrequency.NEVER)
    RsvpFactory(meetup=meetup, member=never, morning_reminder=True)
    RsvpFactory(meetup=meetup)
    RsvpFactory(meetup=meetup, answer="maybe", morning_reminder=True)
    RsvpFactory(meetup=meetup, morning_reminder=True, waitlisted=True, waitlisted_at=timezone.now())
    sent = _committed(tasks.send_reminders.call)(
        meetup_id=meetup.pk, kind=notify.MORNING, sequence=0, due=past_due()
    )
    assert sent == 2
    assert recipients(mailoutbox) == {asked.email, never.email}  # they asked for it
    assert all("https://meet.example/m" in message.body for message in mailoutbox)
    assert all("List-Unsubscribe" not in message.extra_headers for message in mailoutbox)


def test_the_recap_invites_who_came_to_share_in_the_thread(mailoutbox):
    thread = ThreadFactory()
    meetup = meetup_at(timezone.now() - timedelta(hours=4), hours=2, thread=thread)
    coming = RsvpFactory(meetup=meetup).member
    walked_in = RsvpFactory(
        meetup=meetup,
        waitlisted=True,
        waitlisted_at=timezone.now(),
        checked_in_at=timezone.now() - timedelta(hours=3),
    ).member
    RsvpFactory(meetup=meetup, answer="maybe")
    RsvpFactory(meetup=meetup, answer="no")
    RsvpFactory(meetup=meetup, member=UserFactory(notification_email=EmailFrequency.NEVER))
    due = (meetup.ends_at + notify.RECAP_AFTER).isoformat()
    assert (
        _committed(tasks.send_reminders.call)(
            meetup_id=meetup.pk, kind=notify.RECAP, sequence=0, due=due
        )
        == 2
    )
    assert recipients(mailoutbox) == {coming.email, walked_in.email}
    for message in mailoutbox:
        assert thread.get_absolute_url() in message.body
        assert message.subject.startswith("Netværk: ")
    again = _committed(tasks.send_reminders.call)(
        meetup_id=meetup.pk, kind=notify.RECAP, sequence=0, due=due
    )
    assert again == 0
    assert len(mailoutbox) == 2
