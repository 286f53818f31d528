"""Tentative meetups: held only if at least `min_attendees` members say yes
before `decide_at`. At that time a task decides: go (the meetup is confirmed,
the tentative flag cleared and everyone who answered yes or maybe gets an
updated calendar invitation) or no-go (the meetup is cancelled politely, which
sends the cancellation notice). The organisers are told either way.

`schedule_decision` is called inside the transactions that publish a meetup or
change a published one; the task is queued after the commit for `decide_at`,
tagged with the meetup's SEQUENCE and `decide_at` then. The decision locks the
meetup row and acts only if the meetup is still published, still tentative,
with the same SEQUENCE and `decide_at`, and that time has come: deciding twice,
a doubled task, a meetup edited or cancelled since, all do nothing.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from moeder.models import Answer, Meetup, MeetupHost, MeetupStatus, Rsvp
from netvaerk.mail import enqueue_message

# A decision that a worker runs this much before its time (clocks differ a
# little between machines) still counts as on time.
DECIDE_EARLY = timedelta(minutes=1)


def schedule_decision(*, meetup: Meetup) -> None:
    """Call inside the transaction that published or changed the meetup: after
    the commit, queue the decision for `decide_at` (nothing for a meetup that
    is not published and tentative by then)."""
    meetup_id = meetup.pk

    def enqueue():
        current = Meetup.objects.filter(pk=meetup_id, status=MeetupStatus.PUBLISHED).first()
        if current is None or current.min_attendees is None or current.decide_at is None:
            return
        decision = decide
        if decision.get_backend().supports_defer:
            decision = decision.using(run_after=current.decide_at)
        # A backend that cannot defer (the immediate one in tests) runs it now;
        # the task then does nothing before `decide_at`.
        decision.enqueue(
            meetup_id=current.pk,
            sequence=current.sequence,
            decide_at=current.decide_at.isoformat(),
        )

    transaction.on_commit(enqueue)


@task()
def decide(meetup_id: int, sequence: int, decide_at: str) -> str:
    """Go or no-go at `decide_at`; returns what was done: "confirmed",
    "cancelled" or "" (nothing: too early, already decided, changed since)."""
    return decide_now(meetup_id=meetup_id, sequence=sequence, decide_at=decide_at)


def attending_count(meetup: Meetup) -> int:
    """Members who said yes and have a seat (guests and the waitlist not counted)."""
    return Rsvp.objects.filter(meetup=meetup).attending().count()


@transaction.atomic
def decide_now(*, meetup_id: int, sequence: int, decide_at: str, now=None) -> str:
    from moeder import services

    now = now or timezone.now()
    due = datetime.fromisoformat(decide_at)
    meetup = (
        Meetup.objects.select_for_update(of=("self",))
        .select_related("created_by")
        .filter(pk=meetup_id)
        .first()
    )
    if (
        meetup is None
        or meetup.status != MeetupStatus.PUBLISHED
        or meetup.min_attendees is None
        or meetup.decide_at is None
        or meetup.sequence != sequence
        or meetup.decide_at != due
        or now < meetup.decide_at - DECIDE_EARLY
        or meetup.starts_at <= now  # too late to decide anything
    ):
        return ""
    count = attending_count(meetup)
    if count >= meetup.min_attendees:
        Meetup.objects.filter(pk=meetup.pk).update(
            min_attendees=None, decide_at=None, sequence=F("sequence") + 1, updated_at=now
        )
        meetup.refresh_from_db()
        _confirm_to_attendees(meetup)
        _tell_organisers(meetup, confirmed=True, count=count)
        return "confirmed"
    minimum = meetup.min_attendees
    services.cancel(meetup=meetup, actor=meetup.created_by, reason=too_few_reason())
    meetup.refresh_from_db()
    _tell_organisers(meetup, confirmed=False, count=count, minimum=minimum)
    return "cancelled"


def too_few_reason() -> str:
    """The cancel reason, shown to everyone: in each language of the site."""
    texts = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            text = _("Too few signed up – we will try again later.")
        if text not in texts:
            texts.append(text)
    return " / ".join(texts)


def _organisers(meetup: Meetup) -> list[User]:
    host_ids = MeetupHost.objects.filter(meetup=meetup).values("user_id")
    return list(
        User.objects.members()
        .filter(pk__in=host_ids)
        .exclude(pk=meetup.created_by_id)
        .order_by("pk")
    ) + ([meetup.created_by] if meetup.created_by.is_active else [])


def _tell_organisers(meetup: Meetup, *, confirmed: bool, count: int, minimum: int = 0) -> None:
    from notifications.services import notice

    def message():
        values = {"title": meetup.title, "count": count, "minimum": minimum}
        if confirmed:
            return (
                _(
                    "“%(title)s” is confirmed: %(count)s said yes in time. Everyone who answered "
                    "yes or maybe got an updated calendar invitation."
                )
                % values
            )
        return (
            _(
                "“%(title)s” was cancelled automatically: only %(count)s said yes, and it needed "
                "%(minimum)s. Everyone invited was told."
            )
            % values
        )

    for organiser in _organisers(meetup):
        with translation.override(organiser.language):
            link = meetup.get_absolute_url()
        notice(
            recipient=organiser,
            link=link,
            message=message,
        )


def _confirm_to_attendees(meetup: Meetup) -> None:
    """After the commit, one mail task per member who answered yes or maybe."""
    member_ids = list(
        Rsvp.objects.filter(
            meetup=meetup, answer__in=[Answer.YES, Answer.MAYBE], member__is_active=True
        )
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )
    meetup_id, sequence = meetup.pk, meetup.sequence

    def enqueue():
        with transaction.atomic():
            for member_id in member_ids:
                send_confirmation.enqueue(
                    meetup_id=meetup_id, member_id=member_id, sequence=sequence
                )

    if member_ids:
        transaction.on_commit(enqueue)


@task()
def send_confirmation(meetup_id: int, member_id: int, sequence: int) -> bool:
    """ "It is on": one mail with the updated calendar invitation; nothing when
    the meetup changed again since (a newer mail went out) or was cancelled."""
    meetup = Meetup.objects.select_related("created_by").filter(pk=meetup_id).first()
    member = User.objects.filter(pk=member_id, is_active=True).first()
    if (
        meetup is None
        or member is None
        or meetup.status != MeetupStatus.PUBLISHED
        or meetup.sequence != sequence
    ):
        return False
    enqueue_message(confirmation_message(meetup=meetup, member=member))
    return True


def confirmation_message(*, meetup: Meetup, member: User) -> EmailMultiAlternatives:
    """Rendered in the member's language, times in Europe/Copenhagen, with a
    METHOD:REQUEST calendar part (same UID, the new SEQUENCE)."""
    from moeder import notify
    from moeder.calendar import event_ics

    with translation.override(member.language):
        values = {
            "name": member.display_name,
            "title": meetup.title,
            "when": notify.format_span(meetup.starts_at, meetup.ends_at),
            "place": ", ".join(p for p in (meetup.venue_name, meetup.address) if p) or _("(none)"),
            "url": settings.NETVAERK_BASE_URL.rstrip("/") + meetup.get_absolute_url(),
        }
        subject = _("Netværk: Confirmed: %(title)s") % values
        body = (
            _("Hi %(name)s,") % values
            + "\n\n"
            + _("Enough members said yes, so “%(title)s” will be held as planned.") % values
            + "\n\n"
            + _("When: %(when)s") % values
            + "\n"
            + _("Where: %(place)s") % values
            + "\n\n"
            + _("The calendar entry in this email replaces the old one. Your answer: %(url)s")
            % values
            + "\n\n-- \nNetværk\n"
        )
        ics = event_ics(meetup, method="REQUEST", attendee=member)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        to=[member.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(ics.decode(), "text/calendar; method=REQUEST; charset=utf-8")
    message.attach("moede.ics", ics, "application/ics")
    return message
