"""Mail about meetups: invitations, updates, cancellations, waitlist promotions,
reminders and the recap invitation, plus the signed RSVP links in invitations.

All mail is rendered in the recipient's language and sent by background tasks
(django.tasks + django-tasks-db); a task enqueued inside a transaction is a
row in that transaction, so nothing is sent for a change that rolled back.

Who gets what (inactive members get nothing):

- invitation, reminder the day before, recap: not to members whose
  `notification_email` is "never" (they asked for no mail from the site; the
  unsubscribe link in these mails sets exactly that), nor to suspended ones;
- update, cancellation, promotion, moved to the waitlist: always to those who
  answered yes or maybe or wait for a seat (it is about their own answer); a
  cancellation also goes to everyone else invited or who answered, unless
  "never";
- morning-of reminder: always (the member asked for it with their answer).

Interface used by moeder.services and moeder.views (implemented here):
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext

from accounts.models import EmailFrequency, Sanction, SanctionKind, User
from moeder.calendar import event_ics, plain_text
from moeder.models import (
    Answer,
    Invitation,
    Meetup,
    MeetupHost,
    MeetupStatus,
    ReminderSent,
    Rsvp,
)
from moeder.permissions import can_see_online_link
from netvaerk.site import absolute_url
from notifications.services import unsubscribe_url

RSVP_SALT = "moeder.rsvp"

# Kinds of mail (also the `kind` of ReminderSent rows for the last three).
INVITATION = "invitation"
UPDATE = "update"
CANCELLATION = "cancellation"
PROMOTION = "promotion"
WAITLISTED = "waitlisted"
DAY_BEFORE = "day_before"
MORNING = "morning"
RECAP = "recap"

# The morning-of reminder goes out at this local time (TIME_ZONE) on the day.
MORNING_AT = time(7, 0)
# The recap invitation goes out this long after the meetup has ended.
RECAP_AFTER = timedelta(hours=1)
CHANGE_FIELDS = ("starts_at", "ends_at", "venue_name", "address", "online_url")
_TIME_FIELDS = ("starts_at", "ends_at")
_MAX_ID = 2**63 - 1


# --- Signed answer links -------------------------------------------------------


def rsvp_token(*, member: User, meetup: Meetup) -> str:
    """A signed token bound to this member and meetup, for the one-click
    Ja / Måske / Nej links; valid until the meetup has ended."""
    return signing.dumps([member.pk, meetup.pk, meetup.uid.hex], salt=RSVP_SALT)


def read_rsvp_token(token: str) -> tuple[User, Meetup] | None:
    """The member and meetup of a valid token; None when tampered, expired,
    or the member or meetup is gone."""
    if not isinstance(token, str) or len(token) > 500:
        return None
    try:
        member_id, meetup_id, uid = signing.loads(token, salt=RSVP_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (_is_id(member_id) and _is_id(meetup_id) and isinstance(uid, str)):
        return None
    meetup = Meetup.objects.select_related("created_by").filter(pk=meetup_id).first()
    # The UID guards against a meetup deleted and its id used again.
    if meetup is None or meetup.uid.hex != uid or meetup.is_draft:
        return None
    if meetup.ends_at <= timezone.now():
        return None
    member = User.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return None
    return member, meetup


def _is_id(value) -> bool:
    return type(value) is int and 0 < value <= _MAX_ID


def answer_urls(*, member: User, meetup: Meetup) -> dict[str, str]:
    """The absolute Ja / Måske / Nej links of an invitation (in the active language)."""
    path = reverse("moeder:rsvp_token", kwargs={"token": rsvp_token(member=member, meetup=meetup)})
    return {answer: _absolute(f"{path}?svar={answer}") for answer in Answer.values}


# --- Who hears about what ------------------------------------------------------


def invitation_audience(meetup: Meetup):
    """Members to invite: active, not suspended, not "never email me", and in
    one of the meetup's regions (no regions: everyone)."""
    suspended = Sanction.objects.active().filter(user=OuterRef("pk"), kind=SanctionKind.SUSPEND)
    members = (
        User.objects.members()
        .exclude(notification_email=EmailFrequency.NEVER)
        .exclude(email="")
        .exclude(Exists(suspended))
    )
    if meetup.regions:
        members = members.filter(
            Q(region__in=meetup.regions) | Q(pk__in=meetup.extra_invitees.values("pk"))
        )
    return members


def _counting(meetup: Meetup):
    """Answers that a change concerns: yes, maybe, or waiting for a seat."""
    return Rsvp.objects.filter(meetup=meetup).filter(
        Q(answer__in=[Answer.YES, Answer.MAYBE]) | Q(waitlisted=True)
    )


def reminder_recipients(meetup: Meetup, kind: str):
    """Member ids a reminder of this kind goes to (before excluding who had it)."""
    rsvps = Rsvp.objects.filter(meetup=meetup, member__is_active=True)
    if kind == DAY_BEFORE:
        rsvps = rsvps.attending().exclude(member__notification_email=EmailFrequency.NEVER)
    elif kind == MORNING:
        rsvps = rsvps.attending().filter(morning_reminder=True)
    elif kind == RECAP:
        rsvps = rsvps.filter(
            Q(answer=Answer.YES, waitlisted=False) | Q(checked_in_at__isnull=False)
        ).exclude(member__notification_email=EmailFrequency.NEVER)
    else:
        raise ValueError(kind)
    return rsvps.values_list("member_id", flat=True)


# --- What moeder.services calls ------------------------------------------------


def meetup_published(*, meetup: Meetup) -> None:
    """Call inside the publishing transaction: invite the audience (in batches,
    by a task; one Invitation row per member so a restart sends nothing twice)
    and schedule the reminders."""
    from moeder import tasks

    planned = invitation_audience(meetup).count()
    Meetup.objects.filter(pk=meetup.pk).update(invitations_planned=planned)
    meetup.invitations_planned = planned
    meetup_id = meetup.pk
    transaction.on_commit(lambda: tasks.send_invitations.enqueue(meetup_id=meetup_id))
    _schedule_reminders(meetup_id)


def invitation_progress(*, meetup: Meetup) -> tuple[int, int]:
    """(sent, planned) for "sendt til 212 af 240"."""
    row = (
        Meetup.objects.filter(pk=meetup.pk)
        .annotate(sent=Count("invitations"))
        .values_list("sent", "invitations_planned")
        .first()
    )
    return row or (0, 0)


def meetup_changed(*, meetup: Meetup, changes: dict[str, tuple]) -> None:
    """Call inside the edit transaction after the time or place changed.
    `changes` maps field names (starts_at, ends_at, venue_name, address,
    online_url) to (old, new). Tell those who answered yes/maybe and the
    waitlist exactly what changed (rendered per recipient, in their language,
    times in Europe/Copenhagen), with an updated calendar invitation (the
    meetup's `sequence` is already incremented); reschedule the reminders."""
    serialised = {
        name: [_to_json(old), _to_json(new)]
        for name, (old, new) in changes.items()
        if name in CHANGE_FIELDS and old != new
    }
    if not serialised:
        return
    if "starts_at" in serialised:
        # Reminders for the old day said the old time: the new day gets its own.
        ReminderSent.objects.filter(meetup=meetup, kind__in=[DAY_BEFORE, MORNING]).delete()
    member_ids = list(
        _counting(meetup).filter(member__is_active=True).values_list("member_id", flat=True)
    )
    _mail_after_commit(UPDATE, meetup.pk, member_ids, changes=serialised)
    _schedule_reminders(meetup.pk)


def meetup_cancelled(*, meetup: Meetup) -> None:
    """Call inside the cancel transaction: everyone invited gets the reason and
    a METHOD:CANCEL calendar message with the same UID."""
    invited = Invitation.objects.filter(meetup=meetup, member=OuterRef("pk"))
    answered = Rsvp.objects.filter(meetup=meetup, member=OuterRef("pk"))
    counting = _counting(meetup).filter(member=OuterRef("pk"))
    member_ids = list(
        User.objects.members()
        .filter(
            Exists(counting)
            | ((Exists(invited) | Exists(answered)) & ~Q(notification_email=EmailFrequency.NEVER))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _mail_after_commit(CANCELLATION, meetup.pk, member_ids)


def promoted(*, rsvp: Rsvp) -> None:
    """Call inside the transaction that moved this answer off the waitlist."""
    _mail_after_commit(PROMOTION, rsvp.meetup_id, [rsvp.member_id])


def moved_to_waitlist(*, rsvp: Rsvp) -> None:
    """Call inside the transaction that moved this yes to the waitlist (the
    organisers lowered the number of seats)."""
    _mail_after_commit(WAITLISTED, rsvp.meetup_id, [rsvp.member_id])


# --- Scheduling ----------------------------------------------------------------


def reminder_hours() -> int:
    """NETVAERK_MEETUP_REMINDER_HOURS (default 24); 0 turns that reminder off."""
    return int(getattr(settings, "NETVAERK_MEETUP_REMINDER_HOURS", 24))


def reminder_times(meetup: Meetup) -> dict[str, datetime]:
    """When each reminder is due (aware datetimes); a kind without a time is off."""
    times = {}
    if reminder_hours() > 0:
        times[DAY_BEFORE] = meetup.starts_at - timedelta(hours=reminder_hours())
    day = timezone.localtime(meetup.starts_at).date()
    morning = datetime.combine(day, MORNING_AT, tzinfo=timezone.get_default_timezone())
    if morning < meetup.starts_at:
        times[MORNING] = morning
    times[RECAP] = meetup.ends_at + RECAP_AFTER
    return times


def _schedule_reminders(meetup_id: int) -> None:
    """After the commit, queue each reminder for its time, tagged with the
    meetup's SEQUENCE then; a later change queues new ones and the old ones
    find another SEQUENCE and do nothing. Reminders whose time has already
    passed are not queued (the invitation or update said it all)."""
    from moeder import tasks

    def enqueue():
        meetup = Meetup.objects.filter(pk=meetup_id, status=MeetupStatus.PUBLISHED).first()
        if meetup is None:
            return
        now = timezone.now()
        with transaction.atomic():
            for kind, due in reminder_times(meetup).items():
                if kind != RECAP and due <= now:
                    continue
                task = tasks.send_reminders
                if task.get_backend().supports_defer:
                    task = task.using(run_after=due)
                # A backend that cannot defer (the immediate one in tests) runs
                # it now; the task then does nothing before `due`.
                task.enqueue(
                    meetup_id=meetup.pk,
                    kind=kind,
                    sequence=meetup.sequence,
                    due=due.isoformat(),
                )

    transaction.on_commit(enqueue)


def _mail_after_commit(kind: str, meetup_id: int, member_ids: list[int], **extra) -> None:
    """After the commit, queue one mail task per member, all or none."""
    from moeder import tasks

    def enqueue():
        with transaction.atomic():
            for member_id in member_ids:
                tasks.send_meetup_mail.enqueue(
                    kind=kind, meetup_id=meetup_id, member_id=member_id, **extra
                )

    if member_ids:
        transaction.on_commit(enqueue)


# --- Rendering -----------------------------------------------------------------


def _absolute(path: str) -> str:
    return absolute_url(path)


def _to_json(value):
    return value.isoformat() if isinstance(value, datetime) else ("" if value is None else value)


def format_when(value: datetime) -> str:
    """Copenhagen time in the active language: "lørdag d. 5. december 2026 kl. 18:00"."""
    local = timezone.localtime(value)
    return gettext("%(weekday)s %(date)s at %(time)s") % {
        "weekday": formats.date_format(local, "l"),
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
    }


def format_span(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    until = formats.time_format(end, "TIME_FORMAT") if start.date() == end.date() else None
    return gettext("%(start)s until %(end)s") % {
        "start": format_when(start),
        "end": until or format_when(end),
    }


def _change_lines(changes: dict[str, list], *, show_online: bool) -> list[dict]:
    labels = {
        "starts_at": gettext("Starts"),
        "ends_at": gettext("Ends"),
        "venue_name": gettext("Venue"),
        "address": gettext("Address"),
        "online_url": gettext("Online link"),
    }
    lines = []
    for name in CHANGE_FIELDS:
        if name not in changes:
            continue
        old, new = changes[name]
        if name in _TIME_FIELDS:
            old, new = (format_when(datetime.fromisoformat(v)) if v else "" for v in (old, new))
        lines.append(
            {
                "label": labels[name],
                "old": old or gettext("(none)"),
                "new": new or gettext("(none)"),
                "hidden": name == "online_url" and not show_online,
            }
        )
    return lines


def _subject(kind: str, meetup: Meetup) -> str:
    local = timezone.localtime(meetup.starts_at)
    values = {
        "title": meetup.title,
        "date": formats.date_format(local, "MONTH_DAY_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
    }
    subjects = {
        INVITATION: gettext("Netværk: You are invited: %(title)s, %(date)s"),
        UPDATE: gettext("Netværk: Changed: %(title)s, %(date)s"),
        CANCELLATION: gettext("Netværk: Cancelled: %(title)s, %(date)s"),
        PROMOTION: gettext("Netværk: You got a seat: %(title)s, %(date)s"),
        WAITLISTED: gettext("Netværk: On the waitlist: %(title)s, %(date)s"),
        DAY_BEFORE: gettext("Netværk: Reminder: %(title)s, %(date)s"),
        MORNING: gettext("Netværk: Today at %(time)s: %(title)s"),
        RECAP: gettext("Netværk: Thank you for coming to %(title)s"),
    }
    return subjects[kind] % values


def _organisers(meetup: Meetup) -> str:
    names = [meetup.created_by.display_name]
    for host in MeetupHost.objects.filter(meetup=meetup).select_related("user").order_by("pk"):
        if host.user.display_name not in names:
            names.append(host.user.display_name)
    return ", ".join(names)


# Which mails respect "never email me" (and so carry an unsubscribe link).
_UNSUBSCRIBABLE = (INVITATION, DAY_BEFORE, RECAP)
_CALENDAR_METHOD = {
    INVITATION: "REQUEST",
    UPDATE: "REQUEST",
    PROMOTION: "REQUEST",
    WAITLISTED: "REQUEST",  # the attendee's PARTSTAT is TENTATIVE while waiting
    CANCELLATION: "CANCEL",
}


def meetup_message(
    kind: str, *, meetup: Meetup, member: User, changes: dict[str, list] | None = None
) -> EmailMultiAlternatives:
    """One mail to one member, rendered in their language."""
    rsvp = Rsvp.objects.filter(meetup=meetup, member=member).first()
    show_online = can_see_online_link(member, meetup, rsvp)
    with translation.override(member.language):
        context = {
            "member": member,
            "meetup": meetup,
            "when": format_span(meetup.starts_at, meetup.ends_at),
            "place": ", ".join(p for p in (meetup.venue_name, meetup.address) if p),
            # The link to an online meetup is for those who have a seat.
            "online_url": meetup.online_url if show_online else "",
            "is_online": bool(meetup.online_url),
            "organisers": _organisers(meetup),
            "excerpt": Truncator(plain_text(meetup)).chars(500),
            "meetup_url": _absolute(meetup.get_absolute_url()),
            "changes": _change_lines(changes or {}, show_online=show_online),
            "thread_url": _absolute(meetup.thread.get_absolute_url()) if meetup.thread else "",
            "settings_url": _absolute(reverse("accounts:profile_edit")),
        }
        if kind == INVITATION:
            context["answer_urls"] = answer_urls(member=member, meetup=meetup)
        headers = {"Auto-Submitted": "auto-generated"}
        if kind in _UNSUBSCRIBABLE:
            context["unsubscribe_url"] = unsubscribe = unsubscribe_url(member)
            headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        subject = " ".join(_subject(kind, meetup).split())
        body = render_to_string(f"moeder/email/{kind}.txt", context)
        method = _CALENDAR_METHOD.get(kind)
        ics = event_ics(meetup, method=method, attendee=member) if method else None
    message = EmailMultiAlternatives(subject=subject, body=body, to=[member.email], headers=headers)
    if ics is not None:
        # As an alternative part (Outlook, Apple Mail) and as a file (Gmail, others).
        message.attach_alternative(ics.decode(), f"text/calendar; method={method}; charset=utf-8")
        message.attach("moede.ics", ics, "application/ics")
    return message
