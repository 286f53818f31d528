"""Calendars at the edges: every output (the .ics of a meetup, an invitation,
the public and the personal feed, the "add to calendar" links) survives any
stored time, from year 1 to the last second of 9999, and gets the length of a
meetup right on the nights the clocks change. Every file is parsed back with
icalendar."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from moeder import calendar
from moeder.models import CalendarFeed, Invitation
from tests.factories import UserFactory
from tests.moeder.factories import MeetupFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=CPH).astimezone(UTC)


# (starts_at, ends_at) as stored, in UTC.
EXTREMES = {
    "first moment": (utc(1, 1, 1), utc(1, 1, 1, 1)),
    "year one": (utc(1, 6, 1, 12), utc(1, 6, 1, 14)),
    "1899": (utc(1899, 12, 31, 22), utc(1899, 12, 31, 23, 30)),
    "1970": (utc(1970, 1, 1), utc(1970, 1, 1, 2)),
    "2038": (utc(2038, 1, 19, 3, 14, 7), utc(2038, 1, 19, 5)),
    "last year written in local time": (utc(2100, 12, 31, 20), utc(2100, 12, 31, 22, 30)),
    "into the next century": (utc(2100, 12, 31, 22), utc(2101, 1, 1, 1)),
    "far future": (utc(5000, 7, 1, 16), utc(5000, 7, 1, 19)),
    "9999 in the evening": (local(9999, 12, 31, 18), local(9999, 12, 31, 21)),
    "last hour of 9999 in UTC": (utc(9999, 12, 31, 23), utc(9999, 12, 31, 23, 59, 59)),
    "a year long": (utc(2027, 1, 1, 12), utc(2028, 1, 1, 12)),
}
# The nights the clocks change, 2026 and 2027, as Copenhagen wall-clock times
# (the October ones at their first 01:30) with the length they really last.
DAYLIGHT_SAVING = {
    "October 2026, 01:30-03:30": (
        local(2026, 10, 25, 1, 30),
        local(2026, 10, 25, 3, 30),
        timedelta(hours=3),
    ),
    "October 2027, 01:30-03:30": (
        local(2027, 10, 31, 1, 30),
        local(2027, 10, 31, 3, 30),
        timedelta(hours=3),
    ),
    "March 2027, 01:30-03:30": (
        local(2027, 3, 28, 1, 30),
        local(2027, 3, 28, 3, 30),
        timedelta(hours=1),
    ),
    "March 2026, 01:30-03:30": (
        local(2026, 3, 29, 1, 30),
        local(2026, 3, 29, 3, 30),
        timedelta(hours=1),
    ),
    "October 2027, evening to morning": (
        local(2027, 10, 30, 20),
        local(2027, 10, 31, 8),
        timedelta(hours=13),
    ),
    "March 2027, evening to morning": (
        local(2027, 3, 27, 20),
        local(2027, 3, 28, 8),
        timedelta(hours=11),
    ),
    "October 2027, the second 02:15 to 04:00": (
        utc(2027, 10, 31, 1, 15),
        local(2027, 10, 31, 4),
        timedelta(hours=1, minutes=45),
    ),
}
TABLE = {
    **{name: (starts, ends) for name, (starts, ends) in EXTREMES.items()},
    **{name: (starts, ends) for name, (starts, ends, _length) in DAYLIGHT_SAVING.items()},
}


def the_event(data: bytes):
    assert isinstance(data, bytes) and data.endswith(b"\r\n")
    (event,) = Calendar.from_ical(data).events
    return event


def as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


@pytest.mark.parametrize("name", list(TABLE))
def test_the_download_of_a_meetup_at_any_time(name):
    starts, ends = TABLE[name]
    meetup = MeetupFactory(starts_at=starts, ends_at=ends)

    event = the_event(calendar.event_ics(meetup))

    assert as_utc(event.start) == starts
    assert as_utc(event.end) == ends
    assert event.duration == ends - starts


@pytest.mark.parametrize("name", list(TABLE))
def test_an_invitation_at_any_time(name, member):
    starts, ends = TABLE[name]
    meetup = MeetupFactory(starts_at=starts, ends_at=ends)

    for method in ("REQUEST", "CANCEL"):
        event = the_event(calendar.event_ics(meetup, method=method, attendee=member))
        assert as_utc(event.start) == starts
        assert event.duration == ends - starts


@pytest.mark.parametrize("name", list(DAYLIGHT_SAVING))
def test_the_length_is_right_on_the_nights_the_clocks_change(name):
    starts, ends, length = DAYLIGHT_SAVING[name]
    meetup = MeetupFactory(starts_at=starts, ends_at=ends)
    assert ends - starts == length

    data = calendar.event_ics(meetup)
    event = the_event(data)

    assert event.duration == length
    assert event.end - event.start == length
    assert (event.end - event.start).total_seconds() == length.total_seconds()
    # The start stays a Copenhagen wall-clock time where it can be one.
    if starts.astimezone(CPH).fold == 0:
        assert "TZID" in event["DTSTART"].params
        assert event["DTSTART"].dt.replace(tzinfo=None) == starts.astimezone(CPH).replace(
            tzinfo=None
        )


def test_a_feed_holding_every_odd_time_at_once(client):
    meetups = [
        MeetupFactory(title=name, starts_at=starts, ends_at=ends)
        for name, (starts, ends) in TABLE.items()
    ]
    parsed = Calendar.from_ical(calendar.feed_ics(meetups, name="Alle"))
    by_title = {str(e["SUMMARY"]): e for e in parsed.events}
    assert set(by_title) == set(TABLE)
    for name, (starts, ends) in TABLE.items():
        assert as_utc(by_title[name].start) == starts, name
        assert by_title[name].duration == ends - starts, name
    # The VTIMEZONE covers the years written in local time only (1970-2100).
    (vtimezone,) = parsed.timezones
    onsets = [o["DTSTART"].dt for o in vtimezone.walk() if o.name in ("STANDARD", "DAYLIGHT")]
    assert min(onsets).year >= 1970 and max(onsets).year <= 2101


@pytest.mark.parametrize("name", list(TABLE))
def test_the_public_feed_and_the_download_answer_for_any_stored_time(client, name):
    starts, ends = TABLE[name]
    meetup = MeetupFactory(starts_at=starts, ends_at=ends)

    download = client.get(reverse("moeder:meetup_ics", kwargs={"pk": meetup.pk}))
    feed = client.get(reverse("moeder:public_feed"))

    assert download.status_code == 200
    assert as_utc(the_event(download.content).start) == starts
    assert feed.status_code == 200
    events = Calendar.from_ical(feed.content).events
    upcoming = ends >= datetime.now(tz=UTC)
    assert len(events) == (1 if upcoming else 0)


@pytest.mark.parametrize("name", list(TABLE))
def test_the_personal_feed_answers_for_any_stored_time(client, name):
    starts, ends = TABLE[name]
    member = UserFactory()
    meetup = MeetupFactory(starts_at=starts, ends_at=ends)
    Invitation.objects.create(meetup=meetup, member=member)
    feed = CalendarFeed.objects.create(user=member)

    response = client.get(reverse("moeder:personal_feed", kwargs={"token": feed.token}))

    assert response.status_code == 200
    Calendar.from_ical(response.content)


@pytest.mark.parametrize("name", list(TABLE))
def test_add_to_calendar_links_for_any_stored_time(name):
    starts, ends = TABLE[name]
    meetup = MeetupFactory(starts_at=starts, ends_at=ends)

    google = parse_qs(urlsplit(calendar.google_calendar_url(meetup)).query)
    outlook = parse_qs(urlsplit(calendar.outlook_calendar_url(meetup)).query)

    first, last = google["dates"][0].split("/")
    assert datetime.strptime(first, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) == starts
    assert datetime.strptime(last, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) == ends
    assert datetime.fromisoformat(outlook["startdt"][0]) == starts
    assert datetime.fromisoformat(outlook["enddt"][0]) == ends


# --- The personal feed after a new address ----------------------------------------------


@pytest.mark.parametrize(
    "odd",
    [
        (local(9999, 12, 31, 18), local(9999, 12, 31, 21)),
        (utc(9999, 12, 31, 23), utc(9999, 12, 31, 23, 59, 59)),
        DAYLIGHT_SAVING["October 2027, 01:30-03:30"][:2],
    ],
    ids=["9999", "last hour of 9999", "october night"],
)
def test_a_renewed_feed_address_works_whatever_the_feed_holds(client, odd):
    """Reported: after "Make a new address" the new address answered 500 (the
    member had been invited to a meetup dated 9999-12-31 by then); the old
    one gave 404."""
    member = UserFactory()
    for starts, ends in [odd, (utc(2027, 6, 10, 16), utc(2027, 6, 10, 19))]:
        meetup = MeetupFactory(starts_at=starts, ends_at=ends)
        Invitation.objects.create(meetup=meetup, member=member)
    old = CalendarFeed.objects.create(user=member)
    client.force_login(member)

    response = client.post(reverse("moeder:calendar_feed_settings"), {"action": "renew"})

    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=member)
    assert new.token != old.token
    visitor = type(client)()
    gone = visitor.get(reverse("moeder:personal_feed", kwargs={"token": old.token}))
    assert gone.status_code == 404
    renewed = visitor.get(reverse("moeder:personal_feed", kwargs={"token": new.token}))
    assert renewed.status_code == 200
    events = Calendar.from_ical(renewed.content).events
    assert sorted(as_utc(e.start) for e in events) == sorted([odd[0], utc(2027, 6, 10, 16)])
    # The settings page shows the new address.
    page = client.get(reverse("moeder:calendar_feed_settings"))
    assert new.token in page.text and old.token not in page.text
