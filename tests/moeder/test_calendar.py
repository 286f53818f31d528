"""Calendars: the .ics of a meetup, invitations (iTIP), feeds, "add to calendar"
links, and the page with the personal feed's address.

Every file is parsed back with icalendar; times are checked against the UTC
values in the database, also through the VTIMEZONE we send (not only through
the reader's own time zone data)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from moeder import calendar, notify, services
from moeder.models import Answer, CalendarFeed, Invitation, MeetupHost, MeetupStatus
from tests.conftest import make_user
from tests.factories import UserFactory
from tests.moeder.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
ONLINE = "https://meet.example.com/hemmeligt-rum"


@pytest.fixture
def quiet_notify(monkeypatch):
    """The services tell notify about changes; the mail is tested elsewhere."""
    for name in ("meetup_published", "meetup_changed", "meetup_cancelled", "promoted"):
        monkeypatch.setattr(notify, name, lambda **kwargs: None)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def parse(data: bytes) -> Calendar:
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def only_event(data: bytes):
    (event,) = parse(data).events
    return event


def lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data.split(b"\r\n")[:-1]


def unfolded(data: bytes) -> str:
    return data.decode().replace("\r\n ", "").replace("\r\n\t", "")


def as_utc_through_vtimezone(data: bytes, name: str) -> datetime:
    """DTSTART or DTEND in UTC, read through the file's own VTIMEZONE."""
    parsed = parse(data)
    prop = parsed.events[0][name]
    if "TZID" not in prop.params:
        assert prop.to_ical().endswith(b"Z")
        return prop.dt.astimezone(UTC)
    (vtimezone,) = parsed.timezones
    assert vtimezone["TZID"] == prop.params["TZID"]
    zone = vtimezone.to_tz(lookup_tzid=False)  # built from the VTIMEZONE alone
    return prop.dt.replace(tzinfo=None).replace(tzinfo=zone).astimezone(UTC)


def zoneinfo_changes(first_year: int, last_year: int) -> list[datetime]:
    """Every change of UTC offset in Copenhagen, as naive UTC, from zoneinfo."""
    changes, moment = [], utc(first_year, 1, 1)
    while moment < utc(last_year + 1, 1, 1):
        following = moment + timedelta(minutes=15)
        if moment.astimezone(CPH).utcoffset() != following.astimezone(CPH).utcoffset():
            changes.append(following.replace(tzinfo=None))
        moment = following
    return changes


# --- One event: identity and updates ---------------------------------------------


def test_uid_stays_and_sequence_goes_up_when_the_time_changes(quiet_notify):
    meetup = MeetupFactory()
    before = only_event(calendar.event_ics(meetup))
    moved = meetup.starts_at + timedelta(days=1)
    meetup = services.update_meetup(
        meetup=meetup,
        editor=meetup.created_by,
        starts_at=moved,
        ends_at=moved + timedelta(hours=2),
    )
    after = only_event(calendar.event_ics(meetup))

    assert str(before["UID"]) == str(after["UID"]) == f"{meetup.uid}@netvaerk"
    assert before["SEQUENCE"] == 0
    assert after["SEQUENCE"] == 1
    assert after.start.astimezone(UTC) == moved
    assert after.end.astimezone(UTC) == moved + timedelta(hours=2)


def test_cancel_keeps_the_uid_and_says_cancelled(quiet_notify, member):
    meetup = MeetupFactory()
    RsvpFactory(meetup=meetup, member=member)
    published = only_event(calendar.event_ics(meetup, method="REQUEST", attendee=member))
    meetup = services.cancel(meetup=meetup, actor=meetup.created_by, reason="For få tilmeldte")

    data = calendar.event_ics(meetup, method="CANCEL", attendee=member)
    cancelled = only_event(data)
    assert parse(data)["METHOD"] == "CANCEL"
    assert str(cancelled["UID"]) == str(published["UID"])
    assert cancelled["SEQUENCE"] == published["SEQUENCE"] + 1
    assert cancelled["STATUS"] == "CANCELLED"
    assert "For få tilmeldte" in str(cancelled["DESCRIPTION"])
    assert str(cancelled["ATTENDEE"]) == f"mailto:{member.email}"
    assert "RSVP" not in cancelled["ATTENDEE"].params  # nothing to answer


def test_method_cancel_says_cancelled_even_before_the_status_changes():
    event = only_event(calendar.event_ics(MeetupFactory(), method="CANCEL"))
    assert event["STATUS"] == "CANCELLED"


def test_a_cancelled_meetup_downloads_as_cancelled():
    meetup = MeetupFactory(status=MeetupStatus.CANCELLED, title="Frokost")
    with translation.override("en"):
        event = only_event(calendar.event_ics(meetup))
    assert event["STATUS"] == "CANCELLED"
    assert str(event["SUMMARY"]) == "Cancelled: Frokost"


@pytest.mark.parametrize(
    ("min_attendees", "status"), [(None, "CONFIRMED"), (8, "TENTATIVE")], ids=["firm", "tentative"]
)
def test_status_is_tentative_while_the_meetup_needs_enough_answers(min_attendees, status):
    event = only_event(calendar.event_ics(MeetupFactory(min_attendees=min_attendees)))
    assert event["STATUS"] == status


def test_the_calendar_has_the_required_properties(settings):
    settings.NETVAERK_BASE_URL = "https://netvaerk.example/"
    meetup = MeetupFactory()
    data = calendar.event_ics(meetup)
    parsed = parse(data)
    assert parsed["VERSION"] == "2.0"
    assert parsed["PRODID"] == calendar.PRODID
    assert parsed["METHOD"] == "PUBLISH"
    event = parsed.events[0]
    assert timezone.now() - event["DTSTAMP"].dt < timedelta(minutes=1)
    assert "TZID" not in event["DTSTAMP"].params
    assert event["DTSTAMP"].to_ical().endswith(b"Z")
    assert str(event["URL"]) == f"https://netvaerk.example{meetup.get_absolute_url()}"
    assert str(event["DESCRIPTION"]).endswith(
        f"https://netvaerk.example{meetup.get_absolute_url()}"
    )


def test_unknown_methods_are_refused():
    with pytest.raises(ValueError, match="REPLY"):
        calendar.event_ics(MeetupFactory(), method="REPLY")


# --- Times, time zones and daylight saving -------------------------------------------


def test_a_normal_evening_is_written_in_copenhagen_time():
    meetup = MeetupFactory(starts_at=utc(2027, 6, 10, 16), ends_at=utc(2027, 6, 10, 19))
    data = calendar.event_ics(meetup)
    text = unfolded(data)
    assert "DTSTART;TZID=Europe/Copenhagen:20270610T180000" in text
    assert "DTEND;TZID=Europe/Copenhagen:20270610T210000" in text
    event = only_event(data)
    assert event.start.astimezone(UTC) == meetup.starts_at
    assert as_utc_through_vtimezone(data, "DTSTART") == meetup.starts_at
    assert as_utc_through_vtimezone(data, "DTEND") == meetup.ends_at


def test_the_night_summer_time_starts():
    # 28 March 2027: 02:00 CET becomes 03:00 CEST (01:00 UTC).
    meetup = MeetupFactory(starts_at=utc(2027, 3, 28, 0, 30), ends_at=utc(2027, 3, 28, 2))
    data = calendar.event_ics(meetup)
    text = unfolded(data)
    assert "DTSTART;TZID=Europe/Copenhagen:20270328T013000" in text
    # 01:30-04:00 on the wall clock is 1½ hours: the end in UTC says so to
    # readers that subtract wall-clock times (tests/moeder/test_calendar_edges.py).
    assert "DTEND:20270328T020000Z" in text
    event = only_event(data)
    assert event.duration == timedelta(hours=1, minutes=30)
    assert event.start.astimezone(UTC) == meetup.starts_at
    assert event.end.astimezone(UTC) == meetup.ends_at
    assert as_utc_through_vtimezone(data, "DTSTART") == meetup.starts_at
    assert as_utc_through_vtimezone(data, "DTEND") == meetup.ends_at


def test_the_night_summer_time_ends_with_its_repeated_hour():
    # 31 October 2027: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:00-03:00
    # happens twice. 00:30 UTC is the first 02:30, 01:45 UTC the second 02:45.
    meetup = MeetupFactory(starts_at=utc(2027, 10, 31, 0, 30), ends_at=utc(2027, 10, 31, 1, 45))
    data = calendar.event_ics(meetup)
    text = unfolded(data)
    # A wall-clock time in the repeated hour means its first occurrence
    # (RFC 5545 3.3.5), so the second one is written in UTC.
    assert "DTSTART;TZID=Europe/Copenhagen:20271031T023000" in text
    assert "DTEND:20271031T014500Z" in text
    event = only_event(data)
    assert event.start.astimezone(UTC) == meetup.starts_at
    assert event.end.astimezone(UTC) == meetup.ends_at
    assert as_utc_through_vtimezone(data, "DTSTART") == meetup.starts_at
    assert as_utc_through_vtimezone(data, "DTEND") == meetup.ends_at


def test_a_meetup_starting_in_the_second_repeated_hour():
    meetup = MeetupFactory(starts_at=utc(2027, 10, 31, 1, 30), ends_at=utc(2027, 10, 31, 4))
    data = calendar.event_ics(meetup)
    text = unfolded(data)
    assert "DTSTART:20271031T013000Z" in text
    assert "DTEND;TZID=Europe/Copenhagen:20271031T050000" in text
    assert only_event(data).start.astimezone(UTC) == meetup.starts_at
    assert as_utc_through_vtimezone(data, "DTEND") == meetup.ends_at


def test_the_vtimezone_has_the_exact_changes_of_offset():
    meetup = MeetupFactory(starts_at=utc(2027, 3, 28, 0, 30), ends_at=utc(2027, 3, 28, 2))
    parsed = parse(calendar.event_ics(meetup))
    (vtimezone,) = parsed.timezones
    assert vtimezone["TZID"] == "Europe/Copenhagen"
    # RFC 5545 3.6.5: the onset is the wall-clock time before the change.
    (summer,) = vtimezone.walk("DAYLIGHT")
    assert summer["DTSTART"].dt == datetime(2027, 3, 28, 2, 0)
    assert summer["TZOFFSETFROM"].td == timedelta(hours=1)
    assert summer["TZOFFSETTO"].td == timedelta(hours=2)
    winter = [s for s in vtimezone.walk("STANDARD") if s["DTSTART"].dt.month == 10]
    assert [s["DTSTART"].dt for s in winter] == [datetime(2027, 10, 31, 3, 0)]
    assert winter[0]["TZOFFSETFROM"].td == timedelta(hours=2)
    changes, _info = vtimezone.get_transitions()
    assert changes[1:] == zoneinfo_changes(2027, 2027)


def test_a_feed_over_several_years_has_every_change_of_offset():
    meetups = [
        MeetupFactory(starts_at=utc(year, 2, 1, 17), ends_at=utc(year, 2, 1, 20))
        for year in (2026, 2029)
    ]
    parsed = parse(calendar.feed_ics(meetups, name="Alle"))
    (vtimezone,) = parsed.timezones
    changes, _info = vtimezone.get_transitions()
    assert changes[1:] == zoneinfo_changes(2026, 2029)
    assert len(changes[1:]) == 8


# --- Text: escaping, folding, Danish letters ---------------------------------------------


def test_commas_semicolons_and_line_breaks_are_escaped():
    meetup = MeetupFactory(
        title="Kaffe, kage; og snak",
        venue_name="Café Øst",
        address="Åboulevarden 1, 8000 Aarhus C",
        description="Første linje\nAnden linje; med komma, og \\ skråstreg",
        description_html="",
    )
    data = calendar.event_ics(meetup)
    text = unfolded(data)
    assert "SUMMARY:Kaffe\\, kage\\; og snak\r\n" in text
    assert "LOCATION:Café Øst\\, Åboulevarden 1\\, 8000 Aarhus C\r\n" in text
    assert "Første linje\\nAnden linje\\; med komma\\, og \\\\ skråstreg" in text
    event = only_event(data)
    assert str(event["SUMMARY"]) == "Kaffe, kage; og snak"
    assert str(event["LOCATION"]) == "Café Øst, Åboulevarden 1, 8000 Aarhus C"
    assert str(event["DESCRIPTION"]).startswith(
        "Første linje\nAnden linje; med komma, og \\ skråstreg\n\n"
    )


def test_long_danish_lines_are_folded_at_75_octets_between_characters():
    title = "Årsmøde for iværksættere på Østerbro, Nørrebro og Amager – " * 2
    title = title[:150]
    meetup = MeetupFactory(
        title=title,
        venue_name="Kulturhuset på Islands Brygge, store sal (bag caféen)",
        address="Islands Brygge 18, 2300 København S",
        description="Ææ øø åå " * 200,
        description_html="",
    )
    data = calendar.event_ics(meetup)
    for line in lines(data):
        assert len(line) <= 75, line
        line.decode("utf-8")  # no character is cut in two
    event = only_event(data)
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]).startswith(("Ææ øø åå " * 200).strip())


def test_the_description_is_plain_text_with_the_link_to_the_meetup():
    meetup = MeetupFactory(
        description="Hej **alle**",
        description_html=(
            "<p>Hej <strong>alle</strong> &amp; velkommen<br>\nnæste linje</p>\n<ul>\n"
            '<li>Se <a href="https://example.com/plan?a=1&amp;b=2" rel="nofollow">planen</a>'
            "</li>\n</ul>"
        ),
    )
    description = str(only_event(calendar.event_ics(meetup))["DESCRIPTION"])
    assert "<" not in description
    assert description.startswith(
        "Hej alle & velkommen\nnæste linje\n\n- Se planen (https://example.com/plan?a=1&b=2)"
    )
    assert description.endswith(calendar.meetup_url(meetup))


def test_control_characters_never_reach_the_file():
    # (PostgreSQL refuses NUL itself, so it cannot be stored in the first place.)
    meetup = MeetupFactory(title="Møde\x07 i\x0b aften", description="a\x1bb", description_html="")
    data = calendar.event_ics(meetup)
    assert b"\x07" not in data and b"\x0b" not in data and b"\x1b" not in data
    assert str(only_event(data)["SUMMARY"]) == "Møde i aften"


# --- Organiser, attendee, online link ------------------------------------------------------


@pytest.fixture
def no_reply(settings):
    settings.DEFAULT_FROM_EMAIL = "Netværk <ingen-svar@netvaerk.example>"


def test_an_invitation_names_the_organiser_and_the_attendee(no_reply):
    organiser = UserFactory(roles=["organiser"], display_name="Søren Bech, ApS")
    member = UserFactory(display_name="Hanne Iversen", email="hanne@example.com")
    meetup = MeetupFactory(created_by=organiser)
    data = calendar.event_ics(meetup, method="REQUEST", attendee=member)
    event = only_event(data)
    assert parse(data)["METHOD"] == "REQUEST"
    assert str(event["ORGANIZER"]) == "mailto:ingen-svar@netvaerk.example"
    assert event["ORGANIZER"].params["CN"] == "Søren Bech, ApS"
    assert str(event["ATTENDEE"]) == "mailto:hanne@example.com"
    assert event["ATTENDEE"].params["CN"] == "Hanne Iversen"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert 'ORGANIZER;CN="Søren Bech, ApS":mailto:ingen-svar@netvaerk.example' in unfolded(data)


@pytest.mark.parametrize(
    ("answer", "waitlisted", "partstat"),
    [
        (Answer.YES, False, "ACCEPTED"),
        (Answer.YES, True, "TENTATIVE"),
        (Answer.MAYBE, False, "TENTATIVE"),
        (Answer.NO, False, "DECLINED"),
    ],
)
def test_the_attendee_carries_their_answer(member, answer, waitlisted, partstat):
    rsvp = RsvpFactory(member=member, answer=answer, waitlisted=waitlisted)
    event = only_event(calendar.event_ics(rsvp.meetup, method="REQUEST", attendee=member))
    assert event["ATTENDEE"].params["PARTSTAT"] == partstat


def test_a_plain_copy_names_no_attendee(member):
    rsvp = RsvpFactory(member=member)
    event = only_event(calendar.event_ics(rsvp.meetup, attendee=member))
    assert "ATTENDEE" not in event
    assert "ORGANIZER" in event


@pytest.mark.parametrize(
    ("answer", "waitlisted", "shown"),
    [
        (Answer.YES, False, True),
        (Answer.YES, True, False),
        (Answer.MAYBE, False, False),
        (Answer.NO, False, False),
        (None, False, False),
    ],
)
def test_the_online_link_goes_only_to_those_who_have_a_seat(member, answer, waitlisted, shown):
    meetup = MeetupFactory(online_url=ONLINE)
    if answer:
        RsvpFactory(meetup=meetup, member=member, answer=answer, waitlisted=waitlisted)
    data = calendar.event_ics(meetup, method="REQUEST", attendee=member)
    assert (ONLINE in unfolded(data)) is shown
    assert ONLINE not in unfolded(calendar.event_ics(meetup))


def test_an_online_meeting_without_a_place_has_the_link_as_its_location(member):
    meetup = MeetupFactory(online_url=ONLINE, venue_name="", address="")
    RsvpFactory(meetup=meetup, member=member)
    event = only_event(calendar.event_ics(meetup, method="REQUEST", attendee=member))
    assert str(event["LOCATION"]) == ONLINE
    assert "LOCATION" not in only_event(calendar.event_ics(meetup))


# --- Feeds ------------------------------------------------------------------------


def test_a_feed_keeps_cancelled_meetups_and_asks_to_be_refreshed_hourly():
    live = MeetupFactory()
    cancelled = MeetupFactory(status=MeetupStatus.CANCELLED, sequence=3)
    data = calendar.feed_ics([live, cancelled], name="Netværk – møder")
    parsed = parse(data)
    assert parsed["METHOD"] == "PUBLISH"
    assert parsed["X-WR-CALNAME"] == "Netværk – møder"
    assert parsed["X-WR-TIMEZONE"] == "Europe/Copenhagen"
    assert parsed["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert "X-PUBLISHED-TTL:PT1H" in unfolded(data)
    assert len(parsed.timezones) == 1
    events = {str(e["UID"]): e for e in parsed.events}
    assert set(events) == {calendar.uid(live), calendar.uid(cancelled)}
    assert events[calendar.uid(live)]["STATUS"] == "CONFIRMED"
    assert events[calendar.uid(cancelled)]["STATUS"] == "CANCELLED"
    assert events[calendar.uid(cancelled)]["SEQUENCE"] == 3


def test_an_empty_feed_is_still_a_calendar():
    parsed = parse(calendar.feed_ics([], name="Tom"))
    assert parsed.events == []
    assert parsed.timezones == []


def feed_uids(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {str(e["UID"]) for e in parse(response.content).events}


def test_the_personal_feed_holds_the_members_meetups(client, member):
    now = timezone.now()
    invited = MeetupFactory()
    Invitation.objects.create(meetup=invited, member=member)
    declined = MeetupFactory()
    Invitation.objects.create(meetup=declined, member=member)
    RsvpFactory(meetup=declined, member=member, answer=Answer.NO)
    yes = RsvpFactory(member=member, answer=Answer.YES).meetup
    maybe = RsvpFactory(member=member, answer=Answer.MAYBE).meetup
    cancelled = MeetupFactory(status=MeetupStatus.CANCELLED)
    Invitation.objects.create(meetup=cancelled, member=member)
    recent = RsvpFactory(
        member=member,
        meetup=MeetupFactory(starts_at=now - timedelta(days=60), ends_at=now - timedelta(days=59)),
    ).meetup
    old = RsvpFactory(
        member=member,
        meetup=MeetupFactory(starts_at=now - timedelta(days=62), ends_at=now - timedelta(days=61)),
    ).meetup
    draft = MeetupFactory(status=MeetupStatus.DRAFT)
    RsvpFactory(meetup=draft, member=member)
    others = RsvpFactory().meetup  # someone else's answer
    not_answered = MeetupFactory()
    feed = CalendarFeed.objects.create(user=member)

    response = client.get(reverse("moeder:personal_feed", kwargs={"token": feed.token}))

    assert feed_uids(response) == {
        calendar.uid(m) for m in (invited, yes, maybe, cancelled, recent)
    }
    assert not {calendar.uid(m) for m in (declined, old, draft, others, not_answered)} & (
        feed_uids(response)
    )
    assert "private" in response["Cache-Control"]
    assert "attachment" not in response["Content-Disposition"]


def test_the_personal_feed_has_the_online_link_only_where_the_member_said_yes(client, member):
    yes = RsvpFactory(member=member, meetup=MeetupFactory(online_url=ONLINE + "/ja")).meetup
    maybe = MeetupFactory(online_url=ONLINE + "/maaske")
    RsvpFactory(member=member, meetup=maybe, answer=Answer.MAYBE)
    feed = CalendarFeed.objects.create(user=member)
    text = unfolded(
        client.get(reverse("moeder:personal_feed", kwargs={"token": feed.token})).content
    )
    assert ONLINE + "/ja" in text
    assert ONLINE + "/maaske" not in text
    assert yes.title in text


@pytest.mark.parametrize("count", [1, 25])
def test_the_personal_feed_takes_a_fixed_number_of_queries(
    client, member, django_assert_max_num_queries, count
):
    for _ in range(count):
        meetup = MeetupFactory(online_url=ONLINE)
        MeetupHost.objects.create(meetup=meetup, user=UserFactory())
        RsvpFactory(meetup=meetup, member=member)
        Invitation.objects.create(meetup=MeetupFactory(), member=member)
    feed = CalendarFeed.objects.create(user=member)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("moeder:personal_feed", kwargs={"token": feed.token}))
    assert len(parse(response.content).events) == 2 * count


def test_unknown_tokens_get_404(client, member):
    CalendarFeed.objects.create(user=member)
    response = client.get(reverse("moeder:personal_feed", kwargs={"token": "ukendt-token"}))
    assert response.status_code == 404


def test_the_feed_of_a_closed_account_is_gone(client):
    member = UserFactory(is_active=False)
    feed = CalendarFeed.objects.create(user=member)
    response = client.get(reverse("moeder:personal_feed", kwargs={"token": feed.token}))
    assert response.status_code == 404


def test_the_public_feed_holds_upcoming_meetups_for_all_members(client):
    now = timezone.now()
    for_all = MeetupFactory(online_url=ONLINE)
    cancelled = MeetupFactory(status=MeetupStatus.CANCELLED)
    regional = MeetupFactory(regions=["hovedstaden"])
    draft = MeetupFactory(status=MeetupStatus.DRAFT)
    past = MeetupFactory(starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2))

    response = client.get(reverse("moeder:public_feed"))

    uids = feed_uids(response)
    assert uids == {calendar.uid(for_all), calendar.uid(cancelled)}
    assert not uids & {calendar.uid(m) for m in (regional, draft, past)}
    assert ONLINE not in unfolded(response.content)
    with translation.override("da"):
        name = translation.gettext("Netværk – meetups")
    assert parse(response.content)["X-WR-CALNAME"] == name


# --- Download of one meetup ------------------------------------------------------------


def download(client, meetup):
    return client.get(reverse("moeder:meetup_ics", kwargs={"pk": meetup.pk}))


@pytest.mark.parametrize(
    ("audience", "role", "status_code"),
    [
        ("all", "anonymous", 200),
        ("all", "member", 200),
        ("all", "network_leader", 200),
        ("regional", "anonymous", 404),
        ("regional", "member", 404),
        ("regional", "moderator", 404),
        ("regional", "network_leader", 200),
        ("draft", "anonymous", 404),
        ("draft", "member", 404),
        ("draft", "organiser", 404),
        ("draft", "network_leader", 200),
    ],
)
def test_download_is_for_those_who_may_see_the_meetup(client_for, audience, role, status_code):
    meetup = {
        "all": lambda: MeetupFactory(),
        "regional": lambda: MeetupFactory(regions=["hovedstaden"]),  # members live in Midtjylland
        "draft": lambda: MeetupFactory(status=MeetupStatus.DRAFT),
    }[audience]()
    response = download(client_for(make_user(role)), meetup)
    assert response.status_code == status_code
    if status_code == 200:
        assert str(only_event(response.content)["UID"]) == calendar.uid(meetup)


def test_the_hosts_of_a_draft_may_download_it(client_for):
    meetup = MeetupFactory(status=MeetupStatus.DRAFT)
    cohost = UserFactory(roles=["organiser"])
    MeetupHost.objects.create(meetup=meetup, user=cohost)
    assert download(client_for(meetup.created_by), meetup).status_code == 200
    assert download(client_for(cohost), meetup).status_code == 200


def test_download_is_an_attachment_named_after_the_slug(client):
    meetup = MeetupFactory(title="Kaffe", slug="kaffe")
    response = download(client, meetup)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kaffe.ics"'


def test_a_danish_slug_gives_an_encoded_file_name(client):
    meetup = MeetupFactory(title="Møde på Ærø", slug="møde-på-ærø")
    response = download(client, meetup)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''m%C3%B8de-p%C3%A5-%C3%A6r%C3%B8.ics"
    )


def test_the_download_never_has_the_online_link(client_for, member):
    meetup = MeetupFactory(online_url=ONLINE)
    RsvpFactory(meetup=meetup, member=member)
    for user in (None, member, meetup.created_by):
        response = download(client_for(user), meetup)
        assert response.status_code == 200
        assert ONLINE not in unfolded(response.content)


def test_unknown_meetups_get_404(client):
    assert client.get(reverse("moeder:meetup_ics", kwargs={"pk": 999_999})).status_code == 404


# --- "Add to calendar" links ------------------------------------------------------------


def query_of(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert "+" not in parts.query  # spaces are %20: Outlook shows a "+" as it is
    return {key: values[0] for key, values in parse_qs(parts.query, strict_parsing=True).items()}


def test_google_link_is_filled_in_and_encoded():
    meetup = MeetupFactory(
        title="Kaffe, kage & snak",
        starts_at=utc(2027, 3, 28, 0, 30),
        ends_at=utc(2027, 3, 28, 2),
        venue_name="Café Øst",
        address="Åboulevarden 1, 8000 Aarhus C",
        description_html="<p>Tag en ven med.</p>",
        online_url=ONLINE,
    )
    url = calendar.google_calendar_url(meetup)
    assert url.startswith("https://calendar.google.com/calendar/render?")
    query = query_of(url)
    assert query["action"] == "TEMPLATE"
    assert query["text"] == "Kaffe, kage & snak"
    assert query["dates"] == "20270328T003000Z/20270328T020000Z"
    assert query["location"] == "Café Øst, Åboulevarden 1, 8000 Aarhus C"
    assert query["details"] == "Tag en ven med.\n\n" + calendar.meetup_url(meetup)
    assert ONLINE not in url


def test_outlook_link_is_filled_in_and_encoded():
    meetup = MeetupFactory(
        title="Kaffe, kage & snak",
        starts_at=utc(2027, 10, 31, 1, 30),
        ends_at=utc(2027, 10, 31, 4),
        venue_name="Café Øst",
        address="",
        online_url=ONLINE,
    )
    url = calendar.outlook_calendar_url(meetup)
    assert url.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    query = query_of(url)
    assert query["subject"] == "Kaffe, kage & snak"
    assert query["startdt"] == "2027-10-31T01:30:00Z"
    assert query["enddt"] == "2027-10-31T04:00:00Z"
    assert query["location"] == "Café Øst"
    assert query["body"].endswith(calendar.meetup_url(meetup))
    assert ONLINE not in url


def test_a_long_description_is_shortened_in_links():
    meetup = MeetupFactory(description="ord " * 2000, description_html="")
    details = query_of(calendar.google_calendar_url(meetup))["details"]
    assert len(details) < calendar.LINK_DETAILS_CHARS + 200
    assert details.endswith(calendar.meetup_url(meetup))


# --- The feed settings page ---------------------------------------------------------------


def settings_url():
    return reverse("moeder:calendar_feed_settings")


def test_the_settings_page_is_for_members(client):
    response = client.get(settings_url())
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_member_without_a_feed_is_offered_one(member_client, member):
    response = member_client.get(settings_url())
    assert response.status_code == 200
    assert 'name="action" value="create"' in response.text
    assert 'value="renew"' not in response.text
    assert not CalendarFeed.objects.filter(user=member).exists()  # GET makes nothing
    assert reverse("moeder:public_feed") in response.text


def test_making_the_feed_shows_its_address(member_client, member, settings):
    settings.NETVAERK_BASE_URL = "https://netvaerk.example"
    response = member_client.post(settings_url(), {"action": "create"})
    assert response.status_code == 302
    assert response["Location"] == settings_url()
    feed = CalendarFeed.objects.get(user=member)
    page = member_client.get(settings_url())
    feed_path = reverse("moeder:personal_feed", kwargs={"token": feed.token})
    assert f'value="https://netvaerk.example{feed_path}"' in page.text
    assert f'href="webcal://netvaerk.example{feed_path}"' in page.text
    assert 'for="feed-url"' in page.text and 'id="feed-url"' in page.text
    # A second "create" (a double click) keeps the address.
    member_client.post(settings_url(), {"action": "create"})
    assert CalendarFeed.objects.get(user=member).token == feed.token


def test_a_new_address_stops_the_old_one_at_once(member_client, member, client):
    feed = CalendarFeed.objects.create(user=member)
    old_url = reverse("moeder:personal_feed", kwargs={"token": feed.token})
    assert client.get(old_url).status_code == 200

    response = member_client.post(settings_url(), {"action": "renew"})

    assert response.status_code == 302
    feed.refresh_from_db()
    new_url = reverse("moeder:personal_feed", kwargs={"token": feed.token})
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_renewing_without_a_feed_makes_one(member_client, member):
    member_client.post(settings_url(), {"action": "renew"})
    assert CalendarFeed.objects.filter(user=member).exists()


def test_unknown_actions_are_refused(member_client, member):
    assert member_client.post(settings_url(), {"action": "slet"}).status_code == 400
    assert not CalendarFeed.objects.filter(user=member).exists()


def test_changes_need_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(settings_url(), {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.filter(user=member).exists()


def test_renewing_is_rate_limited(member_client, member, settings):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "moeder_feed": (2, 3600)}
    for _ in range(2):
        assert member_client.post(settings_url(), {"action": "renew"}).status_code == 302
    token = CalendarFeed.objects.get(user=member).token
    assert member_client.post(settings_url(), {"action": "renew"}).status_code == 429
    assert CalendarFeed.objects.get(user=member).token == token


def test_other_members_feeds_are_never_shown(member_client):
    other = CalendarFeed.objects.create(user=UserFactory())
    assert other.token not in member_client.get(settings_url()).text


@pytest.mark.parametrize(
    "description_html",
    [
        "<p>a" + " " * 19_990 + "b</p>",
        "<pre><code>" + (" " * 9_990 + "x\n") * 2 + "</code></pre>",
        "<p>" + "x   <br />\n   " * 2_000 + "</p>",
        "<ul>\n" + "<li>a     </li>\n" * 2_000 + "</ul>",
        "<p>" + "\t \n " * 5_000 + "</p>",
    ],
    ids=["spaces", "spaces-in-code", "line-breaks", "list", "mixed-whitespace"],
)
def test_plain_text_of_a_long_description_costs_its_length_not_its_square(description_html):
    """Issue 24: 20,000 characters with long runs of spaces took about 3 s per
    conversion. (The timing table lives in the benchmark; this is a loose cap.)"""
    import time

    calendar._plain_text.cache_clear()
    meetup = SimpleNamespace(description="x", description_html=description_html)
    started = time.monotonic()
    calendar.plain_text(meetup)
    assert time.monotonic() - started < 0.5


def test_plain_text_is_converted_once_for_many_invitations():
    calendar._plain_text.cache_clear()
    meetup = SimpleNamespace(description="**Hej**", description_html="<p><strong>Hej</strong></p>")
    for _ in range(5):
        assert calendar.plain_text(meetup) == "Hej"
    assert calendar._plain_text.cache_info().misses == 1
