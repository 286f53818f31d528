"""Date polls: options, opening and inviting, answers, and picking the winners."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Region
from datepolls import services, tasks
from datepolls.models import OptionKind, Poll, PollOption, PollVote, Vote
from moeder import notify as meetup_notify
from moeder.models import Meetup, MeetupHost, MeetupStatus
from notifications.models import Notification
from tests.datepolls.factories import (
    DateOptionFactory,
    DraftMeetupFactory,
    PollFactory,
    PollVoteFactory,
    VenueOptionFactory,
)
from tests.factories import UserFactory
from tests.moeder.factories import MeetupFactory

pytestmark = pytest.mark.django_db


def in_days(days, hours=3):
    starts = timezone.now() + timedelta(days=days)
    return starts, starts + timedelta(hours=hours)


def da(text: str, **values) -> str:
    with translation.override("da"):
        return gettext(text) % values if values else gettext(text)


# --- Options -------------------------------------------------------------------


def test_adding_options_creates_the_poll_in_order():
    meetup = DraftMeetupFactory()
    first = services.add_date_option(
        meetup=meetup, starts_at=in_days(10)[0], ends_at=in_days(10)[1]
    )
    venue = services.add_venue_option(
        meetup=meetup, venue_name="  Værkstedet ", address="Mejlgade 1"
    )
    second = services.add_date_option(
        meetup=meetup, starts_at=in_days(11)[0], ends_at=in_days(11)[1]
    )
    poll = Poll.objects.get(meetup=meetup)
    assert [o.pk for o in poll.options.all()] == [first.pk, second.pk, venue.pk]
    assert venue.venue_name == "Værkstedet" and venue.kind == OptionKind.VENUE
    assert poll.opened_at is None  # adding options invites no one


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (-1, 2, "That date has passed. Choose a date in the future."),
        (5, -1, "The meetup must end after it starts."),
        (5, 0, "The meetup must end after it starts."),
    ],
)
def test_bad_dates_are_refused_with_a_clear_message(starts, ends, message):
    meetup = DraftMeetupFactory()
    starts_at = timezone.now() + timedelta(days=starts)
    with pytest.raises(services.PollError, match=da(message).split(".")[0]):
        services.add_date_option(
            meetup=meetup, starts_at=starts_at, ends_at=starts_at + timedelta(hours=ends)
        )
    assert not PollOption.objects.exists()


def test_the_same_date_or_venue_twice_and_an_empty_venue_are_refused():
    meetup = DraftMeetupFactory()
    starts, ends = in_days(10)
    services.add_date_option(meetup=meetup, starts_at=starts, ends_at=ends)
    services.add_venue_option(meetup=meetup, venue_name="Værkstedet")
    with pytest.raises(services.PollError):
        services.add_date_option(meetup=meetup, starts_at=starts, ends_at=ends)
    with pytest.raises(services.PollError):
        services.add_venue_option(meetup=meetup, venue_name="Værkstedet")
    with pytest.raises(services.PollError):
        services.add_venue_option(meetup=meetup, venue_name="   ")
    assert PollOption.objects.count() == 2


@pytest.mark.parametrize("status", [MeetupStatus.PUBLISHED, MeetupStatus.CANCELLED])
def test_options_of_a_published_or_cancelled_meetup_cannot_change(status):
    option = DateOptionFactory(poll__meetup=MeetupFactory(status=status))
    meetup = option.poll.meetup
    with pytest.raises(services.PollError):
        services.add_venue_option(meetup=meetup, venue_name="Værkstedet")
    with pytest.raises(services.PollError):
        services.remove_option(meetup=meetup, option_id=option.pk)
    assert PollOption.objects.count() == 1


def test_removing_an_option_removes_its_answers_and_twice_is_harmless():
    vote = PollVoteFactory()
    meetup = vote.option.poll.meetup
    assert services.remove_option(meetup=meetup, option_id=vote.option_id) is True
    assert not PollVote.objects.exists()
    assert services.remove_option(meetup=meetup, option_id=vote.option_id) is False


# --- Opening and inviting ----------------------------------------------------


def test_a_poll_without_options_cannot_be_opened():
    meetup = DraftMeetupFactory()
    with pytest.raises(services.PollError, match=da("Add at least one date or venue first.")):
        services.open_poll(meetup=meetup, actor=meetup.created_by)


def test_a_poll_with_a_past_date_cannot_be_opened():
    option = DateOptionFactory(poll__opened_at=None)
    PollOption.objects.filter(pk=option.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(services.PollError):
        services.open_poll(meetup=option.poll.meetup, actor=option.poll.meetup.created_by)


def test_opening_invites_the_audience_with_a_notice_and_a_mail(committed, mailoutbox):
    meetup = DraftMeetupFactory(regions=[Region.MIDTJYLLAND], title="Sommerfest")
    DateOptionFactory(poll__meetup=meetup, poll__opened_at=None, poll__invite_round=0,
                      poll__invited_round=0)  # fmt: skip
    host = UserFactory()
    MeetupHost.objects.create(meetup=meetup, user=host)
    near = UserFactory(region=Region.MIDTJYLLAND)
    english = UserFactory(region=Region.MIDTJYLLAND, language="en")
    far = UserFactory(region=Region.HOVEDSTADEN)
    invited_far = UserFactory(region=Region.HOVEDSTADEN)
    meetup.extra_invitees.add(invited_far)

    poll = committed(services.open_poll, meetup=meetup, actor=meetup.created_by)

    assert poll.is_open and poll.invite_round == 1
    notices = {n.recipient_id: n for n in Notification.objects.all()}
    assert set(notices) == {near.pk, english.pk, invited_far.pk}  # not far, not the organisers
    assert far.pk not in notices and host.pk not in notices
    name = meetup.created_by.display_name
    expected = "%(name)s asks when and where “%(title)s” should be held. Please answer the poll."
    assert notices[near.pk].message == da(expected, name=name, title="Sommerfest")
    with translation.override("en"):
        assert notices[english.pk].message == gettext(expected) % {
            "name": name,
            "title": "Sommerfest",
        }
    assert notices[near.pk].link == f"/moeder/{meetup.pk}/afstemning/"
    assert notices[english.pk].link == f"/en/moeder/{meetup.pk}/afstemning/"
    assert {m.to[0] for m in mailoutbox} == {near.email, english.email, invited_far.email}
    mail = next(m for m in mailoutbox if m.to == [near.email])
    assert "Sommerfest" in mail.subject and f"/moeder/{meetup.pk}/afstemning/" in mail.body
    assert "Hej" in mail.body  # the notification mail, in Danish


def test_an_invitation_round_is_sent_once(committed):
    option = DateOptionFactory(poll__opened_at=None, poll__invite_round=0, poll__invited_round=0)
    UserFactory.create_batch(2)
    poll = committed(
        services.open_poll, meetup=option.poll.meetup, actor=option.poll.meetup.created_by
    )
    assert Notification.objects.count() == 2
    # The worker restarts, or the task was queued twice: nothing more.
    assert tasks.send_poll_invitations.call(poll_id=poll.pk, invite_round=1) == 0
    assert Notification.objects.count() == 2


def test_reopening_with_added_options_invites_again(committed):
    option = DateOptionFactory(poll__opened_at=None, poll__invite_round=0, poll__invited_round=0)
    meetup = option.poll.meetup
    member = UserFactory()
    committed(services.open_poll, meetup=meetup, actor=meetup.created_by)
    services.close_poll(meetup=meetup, actor=meetup.created_by)
    services.add_venue_option(meetup=meetup, venue_name="Caféen")
    poll = committed(services.open_poll, meetup=meetup, actor=meetup.created_by)
    assert poll.is_open and poll.invite_round == 2
    notices = list(Notification.objects.filter(recipient=member).order_by("pk"))
    assert len(notices) == 2
    assert notices[1].message == da(
        "New options were added to the poll about “%(title)s”. Please answer them too.",
        title=meetup.title,
    )


def test_closing_a_closed_poll_is_refused():
    poll = PollFactory(closed_at=timezone.now())
    with pytest.raises(services.PollError, match=da("The poll is not open.")):
        services.close_poll(meetup=poll.meetup, actor=poll.meetup.created_by)


# --- Answers ---------------------------------------------------------------------


def test_answers_are_saved_changed_and_removed_options_skipped():
    one = DateOptionFactory()
    two = VenueOptionFactory(poll=one.poll)
    meetup, member = one.poll.meetup, UserFactory()
    assert services.vote(meetup=meetup, member=member, answers={one.pk: "yes", two.pk: "no"}) == (
        2,
        0,
    )
    assert services.vote(
        meetup=meetup, member=member, answers={one.pk: "ifneedbe", 999_999: "yes"}
    ) == (1, 1)
    assert dict(PollVote.objects.values_list("option_id", "value")) == {
        one.pk: Vote.IF_NEED_BE,
        two.pk: Vote.NO,
    }


def test_answers_to_a_closed_poll_or_with_a_bad_value_are_refused():
    option = DateOptionFactory()
    meetup, member = option.poll.meetup, UserFactory()
    with pytest.raises(services.PollError):
        services.vote(meetup=meetup, member=member, answers={option.pk: "perhaps"})
    Poll.objects.filter(pk=option.poll_id).update(closed_at=timezone.now())
    with pytest.raises(services.PollError, match=da("The poll is closed.")):
        services.vote(meetup=meetup, member=member, answers={option.pk: "yes"})
    assert not PollVote.objects.exists()


# --- Deciding ----------------------------------------------------------------------


@pytest.fixture
def decided_setup():
    meetup = DraftMeetupFactory(title="Netværksmøde om eksport", regions=[Region.MIDTJYLLAND])
    poll = PollFactory(meetup=meetup)
    early = DateOptionFactory(poll=poll)
    late = DateOptionFactory(poll=poll)
    venue = VenueOptionFactory(poll=poll, venue_name="Eksporthuset", address="Havnegade 2")
    yes, no, far = UserFactory(), UserFactory(), UserFactory(region=Region.HOVEDSTADEN)
    PollVoteFactory(option=early, member=yes, value=Vote.YES)
    PollVoteFactory(option=early, member=no, value=Vote.NO)
    PollVoteFactory(option=late, member=no, value=Vote.YES)
    PollVoteFactory(option=early, member=far, value=Vote.IF_NEED_BE)
    return meetup, poll, early, venue, yes, no, far


def test_deciding_sets_date_and_venue_publishes_and_invites_the_voters(decided_setup):
    meetup, poll, early, venue, yes, no, far = decided_setup
    published = services.decide(
        meetup=meetup, actor=meetup.created_by, date_option_id=early.pk, venue_option_id=venue.pk
    )
    assert published.status == MeetupStatus.PUBLISHED and published.thread_id
    assert (published.starts_at, published.ends_at) == (early.starts_at, early.ends_at)
    assert (published.venue_name, published.address) == ("Eksporthuset", "Havnegade 2")
    assert set(published.extra_invitees.values_list("pk", flat=True)) == {yes.pk, no.pk, far.pk}
    poll.refresh_from_db()
    assert poll.is_decided and not poll.is_open
    assert (poll.chosen_date_id, poll.chosen_venue_id) == (early.pk, venue.pk)
    assert meetup_notify.invitation_audience(published).filter(pk=far.pk).exists()


def test_those_who_said_no_are_told_and_pointed_to_the_next_meetup(decided_setup):
    meetup, _poll, early, venue, _yes, no, _far = decided_setup
    other = MeetupFactory(title="Morgenmøde", regions=[Region.MIDTJYLLAND])
    MeetupFactory(title="Først, men i København", regions=[Region.HOVEDSTADEN],
                  starts_at=timezone.now() + timedelta(days=1))  # fmt: skip
    services.decide(
        meetup=meetup, actor=meetup.created_by, date_option_id=early.pk, venue_option_id=venue.pk
    )
    notice = Notification.objects.get()
    assert notice.recipient == no
    assert notice.link == other.get_absolute_url()
    assert notice.message == da(
        "“%(title)s” will be held on %(when)s, a date that does not suit you. "
        "The next meetup for you is “%(next)s” on %(next_when)s.",
        title=meetup.title,
        when=meetup_notify.format_when(early.starts_at),
        next="Morgenmøde",
        next_when=meetup_notify.format_when(other.starts_at),
    )
    assert " kl. " in notice.message  # Danish dates


def test_without_a_next_meetup_the_notice_says_another_time(decided_setup):
    meetup, _poll, early, venue, _yes, _no, _far = decided_setup
    services.decide(
        meetup=meetup, actor=meetup.created_by, date_option_id=early.pk, venue_option_id=venue.pk
    )
    notice = Notification.objects.get()
    assert notice.link == Meetup.objects.get(pk=meetup.pk).get_absolute_url()
    full = da(
        "“%(title)s” will be held on %(when)s, a date that does not suit you. "
        "We hope to see you another time."
    )
    assert notice.message.endswith(full.split(". ")[-1])


def test_deciding_twice_is_refused_and_changes_nothing(decided_setup):
    meetup, _poll, early, venue, *_ = decided_setup
    services.decide(
        meetup=meetup, actor=meetup.created_by, date_option_id=early.pk, venue_option_id=venue.pk
    )
    with pytest.raises(services.PollError, match=da("The poll is already decided.")):
        services.decide(
            meetup=meetup,
            actor=meetup.created_by,
            date_option_id=early.pk,
            venue_option_id=venue.pk,
        )
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("which", ["removed", "wrong_kind", "missing_date", "missing_venue"])
def test_a_removed_or_missing_choice_is_refused(decided_setup, which):
    meetup, _poll, early, venue, *_ = decided_setup
    ids = {"date_option_id": early.pk, "venue_option_id": venue.pk}
    if which == "removed":
        services.remove_option(meetup=meetup, option_id=early.pk)
    elif which == "wrong_kind":
        ids["date_option_id"] = venue.pk
    elif which == "missing_date":
        ids["date_option_id"] = None
    else:
        ids["venue_option_id"] = None
    with pytest.raises(services.PollError):
        services.decide(meetup=meetup, actor=meetup.created_by, **ids)
    meetup.refresh_from_db()
    assert meetup.status == MeetupStatus.DRAFT and not meetup.extra_invitees.exists()


def test_a_date_that_has_passed_cannot_win_and_nothing_is_half_done(decided_setup):
    meetup, poll, early, venue, *_ = decided_setup
    PollOption.objects.filter(pk=early.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(
        services.PollError,
        match=da("That date has passed. Add a new date and ask again.").split(".")[0],
    ):
        services.decide(
            meetup=meetup,
            actor=meetup.created_by,
            date_option_id=early.pk,
            venue_option_id=venue.pk,
        )
    meetup.refresh_from_db()
    poll.refresh_from_db()
    assert meetup.status == MeetupStatus.DRAFT and not poll.is_decided
    assert not Notification.objects.exists()


def test_a_poll_without_options_cannot_be_decided():
    poll = PollFactory()
    with pytest.raises(services.PollError, match=da("Add at least one date or venue first.")):
        services.decide(
            meetup=poll.meetup,
            actor=poll.meetup.created_by,
            date_option_id=None,
            venue_option_id=None,
        )


def test_a_venue_only_poll_keeps_the_meetups_date():
    venue = VenueOptionFactory()
    meetup = venue.poll.meetup
    published = services.decide(
        meetup=meetup, actor=meetup.created_by, date_option_id=None, venue_option_id=venue.pk
    )
    assert published.starts_at == meetup.starts_at and published.venue_name == venue.venue_name
    assert not Notification.objects.exists()


def test_a_double_clicked_first_round_sends_the_first_invitation_text(committed):
    option = DateOptionFactory(poll__opened_at=None, poll__invite_round=0, poll__invited_round=0)
    UserFactory()
    meetup = option.poll.meetup
    services.open_poll(meetup=meetup, actor=meetup.created_by)  # its task is lost …
    committed(services.open_poll, meetup=meetup, actor=meetup.created_by)  # … the second runs
    (notice,) = Notification.objects.all()
    first = services.invitation_message(option.poll, organiser="x", first=True).split("“")[0]
    assert notice.message.startswith(first.replace("x", meetup.created_by.display_name))
