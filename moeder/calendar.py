"""Meetups as iCalendar (RFC 5545): one event for a download or an invitation
by mail (iTIP, RFC 5546), calendar feeds to subscribe to, and "add to
calendar" links for Google and Outlook.

A meetup keeps one UID for its whole life; its SEQUENCE goes up on every change
of time, place or status (moeder.services), so calendars update the event they
already hold instead of adding a second one. Times are stored in UTC and
written as Europe/Copenhagen wall-clock times with a VTIMEZONE that we build
from the zoneinfo database (see `_vtimezone`), or in UTC where a wall-clock
time would mislead or cannot be written (see `_when` and `_times`).
"""

import functools
import html
import re
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
)

from accounts.permissions import is_member, is_suspended
from moeder.models import Answer, Invitation, Meetup, MeetupStatus, Rsvp
from moeder.permissions import can_see_online_link
from netvaerk.site import absolute_url

PRODID = "-//Netvaerk//Moeder//DA"
METHODS = frozenset({"PUBLISH", "REQUEST", "CANCEL"})
# Calendar apps poll a subscribed feed; ask for about once an hour.
FEED_REFRESH = timedelta(hours=1)
# The personal feed keeps meetups that ended this long ago.
FEED_HISTORY = timedelta(days=60)
# A feed never grows past this many events.
FEED_LIMIT = 500
# "Add to calendar" links carry the description in the URL: keep it short.
LINK_DETAILS_CHARS = 1000
# Times in these years are written as Copenhagen wall-clock times (with a
# VTIMEZONE covering them); any other stored time, however odd, in UTC, which
# every calendar reads and which cannot run past year 9999 or before year 1.
TZID_YEARS = range(1970, 2101)

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PARTSTAT = {Answer.YES: "ACCEPTED", Answer.MAYBE: "TENTATIVE", Answer.NO: "DECLINED"}


# --- One event ----------------------------------------------------------------


def event_ics(meetup: Meetup, *, method: str = "PUBLISH", attendee=None) -> bytes:
    """A VCALENDAR with the meetup as its one VEVENT.

    PUBLISH is a plain copy (the download); REQUEST and CANCEL are invitations
    and cancellations sent by mail to `attendee`, who is then named as the
    ATTENDEE with their answer. The online link is in it only for an attendee
    who may see it (said yes and has a seat, or organises the meetup)."""
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}")
    rsvp = None
    if attendee is not None:
        rsvp = Rsvp.objects.filter(meetup=meetup, member=attendee).first()
    show_online_link = attendee is not None and can_see_online_link(attendee, meetup, rsvp)
    event = _event(
        meetup,
        cancel=method == "CANCEL",
        show_online_link=show_online_link,
        stamp=timezone.now(),
    )
    if attendee is not None and method in {"REQUEST", "CANCEL"}:
        event.add("attendee", _attendee(attendee, rsvp, ask_for_answer=method == "REQUEST"))
    calendar = _calendar(method=method)
    calendar.add_component(event)
    return _serialise(calendar, [meetup])


def feed_ics(meetups, *, name: str, online_link_for=frozenset()) -> bytes:
    """A feed to subscribe to: one VEVENT per meetup, cancelled ones kept (with
    STATUS:CANCELLED) so that calendars drop them. `online_link_for` holds the
    pks of the meetups whose online link the reader may see (none by default)."""
    meetups = list(meetups)
    calendar = _calendar(method="PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    stamp = timezone.now()
    for meetup in meetups:
        calendar.add_component(
            _event(meetup, show_online_link=meetup.pk in online_link_for, stamp=stamp)
        )
    return _serialise(calendar, meetups)


def _calendar(*, method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _serialise(calendar: Calendar, meetups: list[Meetup]) -> bytes:
    if settings.TIME_ZONE in calendar.get_used_tzids():
        years = [
            local.year
            for m in meetups
            for local in (_local(m.starts_at), _local(m.ends_at))
            if local is not None
        ]
        calendar.subcomponents.insert(0, _vtimezone(settings.TIME_ZONE, min(years), max(years)))
    return calendar.to_ical()


def _event(meetup: Meetup, *, show_online_link: bool, stamp: datetime, cancel=False) -> Event:
    cancelled = cancel or meetup.status == MeetupStatus.CANCELLED
    event = Event()
    event.add("uid", uid(meetup))
    event.add("sequence", meetup.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("last-modified", meetup.updated_at.astimezone(UTC))
    starts, ends = _times(meetup)
    event.add("dtstart", starts)
    event.add("dtend", ends)
    title = _text(meetup.title)
    event.add("summary", _("Cancelled: %(title)s") % {"title": title} if cancelled else title)
    event.add("description", _description(meetup, cancelled, show_online_link))
    location = _place(meetup) or (meetup.online_url if show_online_link else "")
    if location:
        event.add("location", location)
    event.add("url", meetup_url(meetup))
    if cancelled:
        event.add("status", "CANCELLED")
    elif meetup.is_tentative:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    event.add("organizer", _organizer(meetup))
    return event


def _description(meetup: Meetup, cancelled: bool, show_online_link: bool) -> str:
    parts = []
    if cancelled:
        reason = _text(meetup.cancel_reason).strip()
        parts.append(
            _("The meetup is cancelled: %(reason)s") % {"reason": reason}
            if reason
            else _("The meetup is cancelled.")
        )
    elif meetup.is_tentative:
        parts.append(
            ngettext(
                "It is held only if at least %(count)d member says yes.",
                "It is held only if at least %(count)d members say yes.",
                meetup.min_attendees,
            )
            % {"count": meetup.min_attendees}
        )
    if text := plain_text(meetup):
        parts.append(text)
    if show_online_link and meetup.online_url:
        parts.append(_("Online: %(url)s") % {"url": meetup.online_url})
    parts.append(meetup_url(meetup))
    return "\n\n".join(parts)


def _organizer(meetup: Meetup) -> vCalAddress:
    """The creator's name with the site's no-reply address: answers are given
    on the site (or by the links in the mail), never by a calendar's reply."""
    return vCalAddress.new(
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1], cn=_param(meetup.created_by.display_name)
    )


def _attendee(user, rsvp: Rsvp | None, *, ask_for_answer: bool) -> vCalAddress:
    if rsvp is None:
        partstat = "NEEDS-ACTION"
    elif rsvp.answer == Answer.YES and rsvp.waitlisted:
        partstat = "TENTATIVE"  # said yes, waits for a seat
    else:
        partstat = _PARTSTAT.get(rsvp.answer, "NEEDS-ACTION")
    return vCalAddress.new(
        user.email,
        cn=_param(user.display_name or user.email),
        cutype="INDIVIDUAL",
        role="REQ-PARTICIPANT",
        partstat=partstat,
        rsvp=True if ask_for_answer else None,
    )


# --- Texts and times ----------------------------------------------------------


def uid(meetup: Meetup) -> str:
    return f"{meetup.uid}@netvaerk"


def meetup_url(meetup: Meetup) -> str:
    return settings.NETVAERK_BASE_URL.rstrip("/") + meetup.get_absolute_url()


def plain_text(meetup: Meetup) -> str:
    """The description as plain text: paragraphs and list items on their own
    lines, links as "text (address)"."""
    return _plain_text(meetup.description_html, meetup.description)


# Whitespace around a tag is matched from the start of its run only (the
# lookbehind), so a long run of spaces costs its length once, not its square.
_LINE_BREAK_SPACE = re.compile(r"\s+")
_LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_BR = re.compile(r"(?<!\s)\s*+<br\s*/?>\s*")
_LI = re.compile(r"(?<!\s)\s*+<li[^>]*>\s*")
_BLOCK_END = re.compile(r"(?<!\s)\s*+</(p|h[1-6]|pre|blockquote|table|ul|ol)>\s*")
_ROW_END = re.compile(r"(?<!\s)\s*+</tr>\s*")
_SPACED_NEWLINE = re.compile(r"(?<! ) *+\n *")


@functools.lru_cache(maxsize=32)
def _plain_text(source: str, description: str) -> str:
    """Cached: a mail to every invited member repeats the same conversion."""
    if not source:
        return _text(description).strip()

    def link(match):  # both still HTML: unescaped once, at the end
        href, label = match[1], match[2]
        same = html.unescape(strip_tags(label)).strip() == html.unescape(href)
        if href.startswith("/") and not href.startswith("//"):  # ours: whole, for mails
            href = html.escape(absolute_url(html.unescape(href)))
            if same:
                return href
        return label if same else f"{label} ({href})"

    # Line breaks in HTML are spaces; other whitespace stays as it is.
    text = _LINE_BREAK_SPACE.sub(lambda m: " " if "\n" in m[0] else m[0], source)
    text = _LINK.sub(link, text)
    text = _BR.sub("\n", text)
    text = _LI.sub("\n- ", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = _ROW_END.sub("\n", text)
    text = html.unescape(strip_tags(text))
    text = _SPACED_NEWLINE.sub("\n", text)
    return _text(re.sub(r"\n{3,}", "\n\n", text)).strip()


def _place(meetup: Meetup) -> str:
    return ", ".join(_text(p).strip() for p in (meetup.venue_name, meetup.address) if p.strip())


def _text(value: str) -> str:
    """Text for a TEXT value: one kind of line break and no control characters
    (icalendar escapes commas, semicolons, backslashes and line breaks)."""
    return _CONTROL_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _param(value: str) -> str:
    """A parameter value (CN) cannot hold line breaks; icalendar quotes the rest."""
    return " ".join(_text(value).split())


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local(value: datetime) -> datetime | None:
    """The wall-clock time in Europe/Copenhagen, or None outside TZID_YEARS
    (checked before converting, so that 9999-12-31 never becomes year 10000)."""
    if value.astimezone(UTC).year not in TZID_YEARS:
        return None
    local = value.astimezone(_zone())
    return local if local.year in TZID_YEARS else None


def _when(value: datetime) -> datetime:
    """The wall-clock time in Europe/Copenhagen (written with TZID), except in
    the repeated hour when summer time ends: a wall-clock time then means its
    first occurrence (RFC 5545 3.3.5), so the second one is written in UTC;
    so is a time outside TZID_YEARS."""
    local = _local(value)
    if local is None or (local.fold and local.replace(fold=0).utcoffset() != local.utcoffset()):
        return value.astimezone(UTC)
    return local


def _times(meetup: Meetup) -> tuple[datetime, datetime]:
    """DTSTART and DTEND. Readers that subtract two wall-clock times of one
    zone count wall-clock hours (Python does), which on the nights the clocks
    change is not how long the meetup lasts (01:30-03:30 on the last Sunday of
    October is three hours, in March one). Then DTEND is written in UTC, and
    every reader gets the length right."""
    starts, ends = _when(meetup.starts_at), _when(meetup.ends_at)
    both_local = starts.tzinfo is not UTC and ends.tzinfo is not UTC
    wall_clock = ends.replace(tzinfo=None) - starts.replace(tzinfo=None)
    if both_local and wall_clock != meetup.ends_at - meetup.starts_at:
        ends = meetup.ends_at.astimezone(UTC)
    return starts, ends


# --- VTIMEZONE ------------------------------------------------------------------
# icalendar can generate a VTIMEZONE (Timezone.from_tzid), but version 7.0
# writes the start of summer time as 03:00 with TZOFFSETFROM +0100, i.e. 02:00
# UTC, an hour late: RFC 5545 3.6.5 wants the onset as the wall-clock time
# before the change (02:00). So we find the exact changes in zoneinfo and write
# one observance for each.


def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE valid from 1 January of `first_year` to the end of `last_year`."""
    vtimezone = Timezone()
    vtimezone.add("tzid", tzid)
    for onset, offset_from, offset_to, name, is_dst in _observances(tzid, first_year, last_year):
        observance = TimezoneDaylight() if is_dst else TimezoneStandard()
        # The onset as the wall-clock time in the offset in force before it.
        observance.add("dtstart", (onset + offset_from).replace(tzinfo=None))
        observance.add("tzoffsetfrom", offset_from)
        observance.add("tzoffsetto", offset_to)
        observance.add("tzname", name)
        vtimezone.add_component(observance)
    return vtimezone


@functools.lru_cache(maxsize=64)
def _observances(tzid: str, first_year: int, last_year: int) -> tuple:
    """(onset in UTC, offset before, offset after, name, is summer time) for the
    start of the range and each change of offset in it, to the second."""
    zone = ZoneInfo(tzid)

    def state(moment):
        local = moment.astimezone(zone)
        return local.utcoffset(), local.tzname(), bool(local.dst())

    moment = datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    offset, name, is_dst = state(moment)
    observances = [(moment, offset, offset, name, is_dst)]
    while moment < end:
        step = min(moment + timedelta(days=1), end)
        if state(step) != state(moment):
            before, after = moment, step  # the change is in (before, after]
            while after - before > timedelta(seconds=1):
                middle = before + (after - before) / 2
                if state(middle) == state(before):
                    before = middle
                else:
                    after = middle
            new_offset, new_name, new_dst = state(after)
            observances.append((after, state(before)[0], new_offset, new_name, new_dst))
        moment = step
    return tuple(observances)


# --- "Add to calendar" links ------------------------------------------------------


def _utc_stamp(value: datetime) -> str:
    # Not strftime: its %Y does not pad years before 1000 on every platform.
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}{utc.month:02d}{utc.day:02d}T{utc:%H%M%S}Z"


def _utc_iso(value: datetime) -> str:
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc:%H:%M:%S}Z"


def _link_details(meetup: Meetup) -> str:
    text = plain_text(meetup)
    if len(text) > LINK_DETAILS_CHARS:
        text = text[: LINK_DETAILS_CHARS - 1].rstrip() + "…"
    return "\n\n".join(p for p in (text, meetup_url(meetup)) if p)


def _query(values: dict[str, str]) -> str:
    """Percent-encoded (a space is %20: Outlook shows a "+" as it is)."""
    return urlencode({k: v for k, v in values.items() if v}, quote_via=quote, safe="/")


def google_calendar_url(meetup: Meetup) -> str:
    """Google Calendar's "new event" page, filled in (no online link: public)."""
    query = {
        "action": "TEMPLATE",
        "text": _text(meetup.title),
        "dates": f"{_utc_stamp(meetup.starts_at)}/{_utc_stamp(meetup.ends_at)}",
        "ctz": settings.TIME_ZONE,
        "details": _link_details(meetup),
        "location": _place(meetup),
    }
    return "https://calendar.google.com/calendar/render?" + _query(query)


def outlook_calendar_url(meetup: Meetup) -> str:
    """Outlook on the web's "new event" page, filled in (no online link: public)."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": _text(meetup.title),
        "startdt": _utc_iso(meetup.starts_at),
        "enddt": _utc_iso(meetup.ends_at),
        "body": _link_details(meetup),
        "location": _place(meetup),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + _query(query)


# --- Which meetups a feed holds, and who may read it ----------------------------------


def personal_meetups(member, *, now=None):
    """The member's meetups for their feed: invited to (and not declined) or
    answered yes or maybe; upcoming and those that ended in the last 60 days.
    Each carries `member_rsvps` (the member's answer, if any) and its hosts."""
    now = now or timezone.now()
    answers = Rsvp.objects.filter(meetup=OuterRef("pk"), member=member)
    invited = Invitation.objects.filter(meetup=OuterRef("pk"), member=member)
    return (
        Meetup.objects.published()
        .filter(
            (Exists(invited) & ~Exists(answers.filter(answer=Answer.NO)))
            | Exists(answers.filter(answer__in=[Answer.YES, Answer.MAYBE])),
            ends_at__gte=now - FEED_HISTORY,
        )
        .select_related("created_by")
        .prefetch_related(
            Prefetch("rsvps", queryset=Rsvp.objects.filter(member=member), to_attr="member_rsvps"),
            "hosts",
        )
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )


def public_meetups(*, now=None):
    """The public feed: upcoming published (or cancelled) meetups for all members."""
    return (
        Meetup.objects.published()
        .filter(regions=[])
        .upcoming(now)
        .select_related("created_by")[:FEED_LIMIT]
    )


def can_use_calendar_feed(user) -> bool:
    """A personal feed works while its member may sign in."""
    return is_member(user) and not is_suspended(user)


def online_links_for(member, meetups) -> frozenset[int]:
    """The meetups (from `personal_meetups`) whose online link the member may see."""
    return frozenset(
        m.pk
        for m in meetups
        if can_see_online_link(member, m, m.member_rsvps[0] if m.member_rsvps else None)
    )
