"""Date poll writes, each in one transaction that locks the meetup row first
(as moeder.services does), then the poll: a second organiser acting on a stale
page gets a clear PollError instead of a half-done or repeated action."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_member
from datepolls.models import OptionKind, Poll, PollOption, PollVote, Vote
from datepolls.permissions import can_manage_poll
from moeder import notify as meetup_notify
from moeder import services as meetup_services
from moeder.models import Meetup, MeetupStatus
from moeder.permissions import visible_meetups
from notifications.services import notice

MAX_OPTIONS = 30


class PollError(Exception):
    """The action cannot be done as asked; the message is shown to the member."""


# --- Reading -------------------------------------------------------------------


def poll_link_context(user, meetup: Meetup) -> dict:
    """What the meetup page needs for its link to the poll, in one query (the
    meetup's hosts prefetched, as the meetup page does)."""
    context = {"poll_url": "", "manage_link": False, "answer_link": False}
    if not is_member(user):
        return context
    invited = Meetup.extra_invitees.through.objects.filter(meetup_id=meetup.pk, user_id=user.pk)
    row = (
        Poll.objects.filter(meetup_id=meetup.pk)
        .annotate(invited=Exists(invited))
        .values("opened_at", "closed_at", "invited")
        .first()
    )
    managing = can_manage_poll(user, meetup)
    is_open = bool(row and row["opened_at"] and not row["closed_at"])
    audience = bool(not meetup.regions or user.region in meetup.regions or (row and row["invited"]))
    context["poll_url"] = reverse("datepolls:poll_detail", kwargs={"meetup_pk": meetup.pk})
    context["manage_link"] = managing and (meetup.is_draft or row is not None)
    context["answer_link"] = not managing and is_open and meetup.is_draft and audience
    return context


# --- Writing -------------------------------------------------------------------


def _lock(meetup: Meetup, *, create: bool = False) -> tuple[Meetup, Poll | None]:
    locked = Meetup.objects.select_for_update().select_related("created_by").get(pk=meetup.pk)
    poll = Poll.objects.select_for_update().filter(meetup=locked).first()
    if poll is None and create:
        poll = Poll.objects.create(meetup=locked)
    return locked, poll


def _require_editable(meetup: Meetup, poll: Poll | None) -> None:
    if poll is not None and poll.is_decided:
        raise PollError(_("The poll is already decided."))
    if meetup.status == MeetupStatus.CANCELLED:
        raise PollError(_("The meetup is cancelled."))
    if meetup.status != MeetupStatus.DRAFT:
        raise PollError(_("The meetup is already published, so the poll is over."))


def _check_date(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at <= timezone.now():
        raise PollError(_("That date has passed. Choose a date in the future."))
    if ends_at <= starts_at:
        raise PollError(_("The meetup must end after it starts."))


def _next_position(poll: Poll) -> int:
    last = poll.options.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _check_room(poll: Poll) -> None:
    if poll.options.count() >= MAX_OPTIONS:
        raise PollError(_("A poll can have at most %(count)s options.") % {"count": MAX_OPTIONS})


@transaction.atomic
def add_date_option(*, meetup: Meetup, starts_at: datetime, ends_at: datetime) -> PollOption:
    locked, poll = _lock(meetup, create=True)
    _require_editable(locked, poll)
    _check_date(starts_at, ends_at)
    _check_room(poll)
    if poll.options.filter(kind=OptionKind.DATE, starts_at=starts_at, ends_at=ends_at).exists():
        raise PollError(_("That date is already an option."))
    return PollOption.objects.create(
        poll=poll,
        kind=OptionKind.DATE,
        starts_at=starts_at,
        ends_at=ends_at,
        position=_next_position(poll),
    )


@transaction.atomic
def add_venue_option(*, meetup: Meetup, venue_name: str, address: str = "") -> PollOption:
    venue_name, address = " ".join(venue_name.split()), " ".join(address.split())
    if not venue_name:
        raise PollError(_("Please write the name of the venue."))
    locked, poll = _lock(meetup, create=True)
    _require_editable(locked, poll)
    _check_room(poll)
    if poll.options.filter(kind=OptionKind.VENUE, venue_name=venue_name, address=address).exists():
        raise PollError(_("That venue is already an option."))
    return PollOption.objects.create(
        poll=poll,
        kind=OptionKind.VENUE,
        venue_name=venue_name[:150],
        address=address[:300],
        position=_next_position(poll),
    )


@transaction.atomic
def remove_option(*, meetup: Meetup, option_id: int) -> bool:
    """Remove an option and its answers; False when it was already gone."""
    locked, poll = _lock(meetup)
    _require_editable(locked, poll)
    if poll is None:
        return False
    deleted, _counts = PollOption.objects.filter(poll=poll, pk=option_id).delete()
    return bool(deleted)


@transaction.atomic
def open_poll(*, meetup: Meetup, actor: User) -> Poll:
    """Open (or reopen, after adding options) the poll and invite the audience:
    a notice and a mail each, sent by a task after the commit."""
    from datepolls import tasks

    locked, poll = _lock(meetup)
    _require_editable(locked, poll)
    options = list(poll.options.all()) if poll else []
    if not options:
        raise PollError(_("Add at least one date or venue first."))
    now = timezone.now()
    if any(o.is_date and o.starts_at <= now for o in options):
        raise PollError(_("Remove the dates that have passed first."))
    poll.opened_at = now
    poll.closed_at = None
    poll.invite_round += 1
    poll.save(update_fields=["opened_at", "closed_at", "invite_round"])
    poll_id, round_ = poll.pk, poll.invite_round
    transaction.on_commit(
        lambda: tasks.send_poll_invitations.enqueue(poll_id=poll_id, invite_round=round_)
    )
    return poll


@transaction.atomic
def close_poll(*, meetup: Meetup, actor: User) -> Poll:
    """Stop taking answers without deciding (it can be opened again)."""
    locked, poll = _lock(meetup)
    _require_editable(locked, poll)
    if poll is None or not poll.is_open:
        raise PollError(_("The poll is not open."))
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    return poll


@transaction.atomic
def vote(*, meetup: Meetup, member: User, answers: dict[int, str]) -> tuple[int, int]:
    """Save a member's answers (option id → yes/ifneedbe/no). Options removed
    meanwhile are skipped. Returns (saved, skipped)."""
    locked, poll = _lock(meetup)
    if poll is None or not poll.is_open or locked.status != MeetupStatus.DRAFT:
        raise PollError(_("The poll is closed."))
    if any(value not in Vote.values for value in answers.values()):
        raise PollError(_("Choose yes, if need be or no."))
    options = set(poll.options.filter(pk__in=answers).values_list("pk", flat=True))
    existing = {
        v.option_id: v for v in PollVote.objects.filter(option_id__in=options, member=member)
    }
    now = timezone.now()
    changed, new = [], []
    for option_id in sorted(options):
        value = answers[option_id]
        if option_id in existing:
            if existing[option_id].value != value:
                existing[option_id].value, existing[option_id].updated_at = value, now
                changed.append(existing[option_id])
        else:
            new.append(PollVote(option_id=option_id, member=member, value=value, updated_at=now))
    PollVote.objects.bulk_update(changed, ["value", "updated_at"])
    try:
        with transaction.atomic():
            PollVote.objects.bulk_create(new)
    except IntegrityError:  # a second request from the same member got there first
        raise PollError(_("Your answers were already saved. Please check them below.")) from None
    return len(options), len(answers) - len(options)


@transaction.atomic
def decide(
    *,
    meetup: Meetup,
    actor: User,
    date_option_id: int | None,
    venue_option_id: int | None,
) -> Meetup:
    """Pick the winners: the meetup gets the date and venue and is published,
    everyone who answered is invited, and those who said no to the chosen
    date are told (with the next meetup for them, if any)."""
    locked, poll = _lock(meetup)
    if poll is not None and poll.is_decided:
        raise PollError(_("The poll is already decided."))
    _require_editable(locked, poll)
    options = {o.pk: o for o in poll.options.all()} if poll else {}
    if not options:
        raise PollError(_("Add at least one date or venue first."))
    kinds = {o.kind for o in options.values()}
    date = _chosen(options, date_option_id, OptionKind.DATE, kinds)
    venue = _chosen(options, venue_option_id, OptionKind.VENUE, kinds)
    fields = {}
    if date is not None:
        if date.starts_at <= timezone.now():
            raise PollError(_("That date has passed. Add a new date and ask again."))
        fields.update(starts_at=date.starts_at, ends_at=date.ends_at)
    if venue is not None:
        fields.update(venue_name=venue.venue_name, address=venue.address)
    voter_ids = list(
        PollVote.objects.filter(option__poll=poll, member__is_active=True)
        .values_list("member_id", flat=True)
        .distinct()
    )
    try:
        locked = meetup_services.update_meetup(meetup=locked, editor=actor, **fields)
        locked.extra_invitees.add(*voter_ids)
        locked = meetup_services.publish(meetup=locked, actor=actor)
    except meetup_services.MeetupError as refused:
        raise PollError(str(refused)) from refused
    now = timezone.now()
    poll.chosen_date, poll.chosen_venue = date, venue
    poll.decided_at = now
    poll.closed_at = poll.closed_at or now
    poll.save(update_fields=["chosen_date", "chosen_venue", "decided_at", "closed_at"])
    if date is not None:
        _tell_those_who_said_no(meetup=locked, option=date, actor=actor)
    return locked


def _chosen(options, option_id, kind, kinds) -> PollOption | None:
    if option_id is None:
        if kind in kinds:
            if kind == OptionKind.DATE:
                raise PollError(_("Choose one of the dates."))
            raise PollError(_("Choose one of the venues."))
        return None
    option = options.get(option_id)
    if option is None or option.kind != kind:
        raise PollError(_("That option was removed meanwhile. Please choose again."))
    return option


def _tell_those_who_said_no(*, meetup: Meetup, option: PollOption, actor: User) -> None:
    said_no = PollVote.objects.filter(option=option, value=Vote.NO, member=OuterRef("pk"))
    members = User.objects.with_access().members().filter(Exists(said_no)).order_by("pk")
    now = timezone.now()
    for member in members:
        upcoming = (
            visible_meetups(member)
            .filter(status=MeetupStatus.PUBLISHED, starts_at__gt=now)
            .exclude(pk=meetup.pk)
            .order_by("starts_at", "pk")
            .first()
        )
        with translation.override(member.language):
            link = (upcoming or meetup).get_absolute_url()
        notice(
            recipient=member,
            actor=actor,
            link=link,
            message=lambda upcoming=upcoming: _said_no_message(meetup, upcoming),
        )


def _said_no_message(meetup: Meetup, upcoming: Meetup | None) -> str:
    values = {"title": meetup.title, "when": meetup_notify.format_when(meetup.starts_at)}
    if upcoming is None:
        return (
            _(
                "“%(title)s” will be held on %(when)s, a date that does not suit you. "
                "We hope to see you another time."
            )
            % values
        )
    values.update(next=upcoming.title, next_when=meetup_notify.format_when(upcoming.starts_at))
    return (
        _(
            "“%(title)s” will be held on %(when)s, a date that does not suit you. "
            "The next meetup for you is “%(next)s” on %(next_when)s."
        )
        % values
    )


def invitation_message(poll: Poll, *, organiser: str, first: bool | None = None) -> str:
    """The notice of a round of invitations (in the active language). `first`:
    whether anyone was invited before (a double-clicked first round is first)."""
    values = {"title": poll.meetup.title, "name": organiser}
    if first is None:
        first = poll.invite_round <= 1
    if not first:
        return (
            _("New options were added to the poll about “%(title)s”. Please answer them too.")
            % values
        )
    return (
        _("%(name)s asks when and where “%(title)s” should be held. Please answer the poll.")
        % values
    )
