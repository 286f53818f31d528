"""Meetup writes, each in one transaction. Answers lock the meetup row first,
so concurrent answers for the last seat give exactly one seat (PostgreSQL row
lock; SQLite takes the write lock up front with IMMEDIATE transactions)."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from forum import services as forum_services
from forum.models import Category
from moeder import extensions, notify, tentative
from moeder.models import (
    Answer,
    Meetup,
    MeetupHost,
    MeetupStatus,
    Question,
    QuestionAnswer,
    Rsvp,
)
from netvaerk.markup import render_markdown

MEETUP_CATEGORY = "moeder"
# Changes that members who answered must hear about (and that bump SEQUENCE).
NOTIFIED_FIELDS = ("starts_at", "ends_at", "venue_name", "address", "online_url")


class MeetupError(Exception):
    """The action cannot be done as asked; the message is shown to the member."""


def meetup_slug(title: str) -> str:
    return slugify(title, allow_unicode=True)[:150] or "moede"


@transaction.atomic
def create_meetup(*, creator: User, hosts: list[User] | None = None, **fields) -> Meetup:
    """`language`: what title and description are written in; the creator's
    language unless the text comes from elsewhere (a need, a forum thread)."""
    fields.setdefault("language", creator.language)
    fields["description_html"] = render_markdown(fields.get("description", ""))
    meetup = Meetup.objects.create(created_by=creator, slug=meetup_slug(fields["title"]), **fields)
    set_hosts(meetup=meetup, hosts=hosts or [])
    return meetup


def set_hosts(*, meetup: Meetup, hosts: list[User]) -> None:
    MeetupHost.objects.filter(meetup=meetup).exclude(user__in=hosts).delete()
    for user in hosts:
        if user.pk != meetup.created_by_id:
            MeetupHost.objects.get_or_create(meetup=meetup, user=user)


@transaction.atomic
def update_meetup(*, meetup: Meetup, editor: User, hosts: list[User] | None = None, **fields):
    """Save an edit. For a published meetup, a new time or place bumps the
    calendar SEQUENCE and tells everyone who answered what changed; more seats
    promote from the waitlist, fewer than are taken move the latest answers to
    it. The returned meetup's `moved_to_waitlist` lists the answers moved."""
    locked = Meetup.objects.select_for_update().get(pk=meetup.pk)
    if locked.status == MeetupStatus.CANCELLED:
        raise MeetupError(_("A cancelled meetup cannot be changed."))
    changes = {
        name: (getattr(locked, name), value)
        for name, value in fields.items()
        if name in NOTIFIED_FIELDS and getattr(locked, name) != value
    }
    if "description" in fields:
        fields["description_html"] = render_markdown(fields["description"])
    if "title" in fields and fields["title"] != locked.title:
        fields["slug"] = meetup_slug(fields["title"])
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.updated_at = timezone.now()
    if changes and locked.status == MeetupStatus.PUBLISHED:
        locked.sequence += 1
    locked.save()
    if hosts is not None:
        set_hosts(meetup=locked, hosts=hosts)
    locked.moved_to_waitlist = []
    if locked.status == MeetupStatus.PUBLISHED:
        if changes:
            notify.meetup_changed(meetup=locked, changes=changes)
        moved = _make_room(locked)
        kept = {rsvp.pk for rsvp in _promote(locked, quiet={rsvp.pk for rsvp in moved})}
        locked.moved_to_waitlist = [rsvp for rsvp in moved if rsvp.pk not in kept]
        for rsvp in locked.moved_to_waitlist:
            notify.moved_to_waitlist(rsvp=rsvp)
        if moved:
            _note_waitlist_peak(locked)
        if locked.is_tentative:  # a queued decision for an older version does nothing
            tentative.schedule_decision(meetup=locked)
        if "ends_at" in changes:
            extensions.meetup_moved.call(meetup=locked)
    return locked


def _meetup_category() -> Category:
    category = Category.objects.filter(slug=MEETUP_CATEGORY).first()
    if category is None:  # removed by a leader: make it again
        category = Category.objects.create(
            name="Møder",
            slug=MEETUP_CATEGORY,
            read_access="members",
            start_access="staff",
            description="Én tråd til hvert møde: spørgsmål før, noter og links efter.",
        )
    return category


@transaction.atomic
def publish(*, meetup: Meetup, actor: User) -> Meetup:
    """Publish a draft: its discussion thread is created and the invitations
    go out (by the task worker, in batches)."""
    locked = Meetup.objects.select_for_update().get(pk=meetup.pk)
    if locked.status != MeetupStatus.DRAFT:
        raise MeetupError(_("The meetup is already published."))
    if locked.starts_at <= timezone.now():
        raise MeetupError(_("The meetup starts in the past. Change the time first."))
    if locked.is_tentative and not (
        locked.decide_at and timezone.now() < locked.decide_at < locked.starts_at
    ):
        raise MeetupError(
            _("The go/no-go decision must be between now and the start. Change it first.")
        )
    if locked.thread_id is None:
        when = timezone.localtime(locked.starts_at).strftime("%d.%m.%Y")
        thread = forum_services.start_thread(
            category=_meetup_category(),
            author=locked.created_by,
            title=f"{locked.title} ({when})"[:150],
            kind="discussion",
            body=_(
                "Questions before the meetup, and notes, links and what you learned after it: "
                "write them here."
            )
            + f"\n\n{locked.get_absolute_url()}",
        )
        locked.thread = thread
    locked.status = MeetupStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.updated_at = timezone.now()
    locked.save()
    notify.meetup_published(meetup=locked)
    tentative.schedule_decision(meetup=locked)
    extensions.meetup_published.call(meetup=locked)  # e.g. the needs board tells backers
    return locked


@transaction.atomic
def cancel(*, meetup: Meetup, actor: User, reason: str) -> Meetup:
    locked = Meetup.objects.select_for_update().get(pk=meetup.pk)
    if locked.status == MeetupStatus.CANCELLED:
        raise MeetupError(_("The meetup is already cancelled."))
    was_published = locked.status == MeetupStatus.PUBLISHED
    locked.status = MeetupStatus.CANCELLED
    locked.cancel_reason = reason
    locked.sequence += 1
    locked.updated_at = timezone.now()
    locked.save()
    if was_published:
        notify.meetup_cancelled(meetup=locked)
    extensions.meetup_cancelled.call(meetup=locked)
    return locked


def seats_taken(meetup: Meetup, *, excluding: Rsvp | None = None) -> int:
    attending = Rsvp.objects.filter(meetup=meetup).attending()
    if excluding is not None and excluding.pk:
        attending = attending.exclude(pk=excluding.pk)
    totals = attending.aggregate(members=Count("pk"), guests=Sum("guests"))
    return (totals["members"] or 0) + (totals["guests"] or 0)


@transaction.atomic
def answer(
    *,
    meetup: Meetup,
    member: User,
    answer: str,
    guests: int = 0,
    answers: dict[int, str | list[str]] | None = None,
    show_in_list: bool = True,
    morning_reminder: bool = False,
) -> Rsvp:
    """Answer yes, maybe or no (or change the answer). A yes takes seats for the
    member and their guests, or a place on the waitlist when they don't fit."""
    locked = Meetup.objects.select_for_update().get(pk=meetup.pk)
    now = timezone.now()
    if locked.status != MeetupStatus.PUBLISHED:
        raise MeetupError(_("The meetup is not open for answers."))
    if locked.starts_at <= now:
        raise MeetupError(_("The meetup has already started."))
    if locked.rsvp_deadline and locked.rsvp_deadline <= now:
        raise MeetupError(_("The deadline for answers has passed."))
    if answer not in Answer.values:
        raise MeetupError(_("Choose yes, maybe or no."))
    if guests < 0 or guests > locked.guests_allowed:
        raise MeetupError(
            _("You may bring at most %(count)s guests.") % {"count": locked.guests_allowed}
        )
    rsvp = Rsvp.objects.filter(meetup=locked, member=member).first()
    if rsvp is None:
        rsvp = Rsvp(meetup=locked, member=member, created_at=now)
    was_attending = rsvp.pk and rsvp.answer == Answer.YES and not rsvp.waitlisted
    rsvp.answer = answer
    rsvp.guests = guests if answer == Answer.YES else 0
    rsvp.show_in_list = show_in_list
    rsvp.morning_reminder = morning_reminder
    rsvp.updated_at = now
    if answer == Answer.YES:
        fits = locked.capacity is None or (
            seats_taken(locked, excluding=rsvp) + rsvp.seats <= locked.capacity
        )
        # Waiting parties that fit were promoted already (after every change),
        # so a newcomer who fits takes no one's place.
        if fits:
            rsvp.waitlisted, rsvp.waitlisted_at = False, None
        elif not rsvp.waitlisted:  # joins the end of the queue
            rsvp.waitlisted, rsvp.waitlisted_at = True, now
    else:
        rsvp.waitlisted, rsvp.waitlisted_at = False, None
        if was_attending and _is_late(locked, now):
            rsvp.withdrew_late = True
    try:
        with transaction.atomic():
            rsvp.save()
    except IntegrityError:  # a second request from the same member got there first
        raise MeetupError(_("Your answer was already saved. Please check it below.")) from None
    _save_answers(rsvp, answers or {})
    _promote(locked)
    if rsvp.waitlisted:
        _note_waitlist_peak(locked)
    return rsvp


def _note_waitlist_peak(meetup: Meetup) -> None:
    waiting = Rsvp.objects.filter(meetup=meetup, waitlisted=True).count()
    Meetup.objects.filter(pk=meetup.pk, waitlist_peak__lt=waiting).update(waitlist_peak=waiting)


def _is_late(meetup: Meetup, now) -> bool:
    return (meetup.starts_at - now).total_seconds() < 24 * 3600


def _save_answers(rsvp: Rsvp, answers: dict[int, str | list[str]]) -> None:
    questions = {q.pk: q for q in Question.objects.filter(meetup_id=rsvp.meetup_id)}
    for question_id, value in answers.items():
        if question_id not in questions:
            continue
        choices = value if isinstance(value, list) else []
        text = "" if isinstance(value, list) else str(value)[:500]
        QuestionAnswer.objects.update_or_create(
            rsvp=rsvp, question_id=question_id, defaults={"text": text, "choices": choices}
        )


@transaction.atomic
def withdraw(*, meetup: Meetup, member: User) -> bool:
    """Take back one's answer (until the deadline); a freed seat goes to the waitlist."""
    locked = Meetup.objects.select_for_update().get(pk=meetup.pk)
    now = timezone.now()
    if locked.status != MeetupStatus.PUBLISHED or locked.starts_at <= now:
        raise MeetupError(_("The meetup is not open for answers."))
    if locked.rsvp_deadline and locked.rsvp_deadline <= now:
        raise MeetupError(_("The deadline for answers has passed."))
    rsvp = Rsvp.objects.filter(meetup=locked, member=member).first()
    if rsvp is None:
        return False
    if rsvp.answer == Answer.YES and not rsvp.waitlisted and _is_late(locked, now):
        # Kept as a late "no", so the organisers' figures count it.
        Rsvp.objects.filter(pk=rsvp.pk).update(
            answer=Answer.NO, guests=0, withdrew_late=True, updated_at=now
        )
    else:
        rsvp.delete()
    _promote(locked)
    return True


def _make_room(meetup: Meetup) -> list[Rsvp]:
    """Fewer seats than are taken (the organisers lowered the capacity): move
    the latest answers (by when they were first given) to the waitlist, a
    whole party at a time, until the rest fit. They stand in the queue by that
    same time, so ahead of those who answered after them."""
    over = 0 if meetup.capacity is None else seats_taken(meetup) - meetup.capacity
    if over <= 0:
        return []
    moved = []
    latest_first = Rsvp.objects.filter(meetup=meetup).attending().order_by("-created_at", "-pk")
    for rsvp in latest_first.select_for_update():
        if over <= 0:
            break
        rsvp.waitlisted, rsvp.waitlisted_at = True, rsvp.created_at
        rsvp.updated_at = timezone.now()
        rsvp.save(update_fields=["waitlisted", "waitlisted_at", "updated_at"])
        over -= rsvp.seats
        moved.append(rsvp)
    return moved


def _promote(meetup: Meetup, *, quiet: frozenset[int] | set[int] = frozenset()) -> list[Rsvp]:
    """Give freed seats to the waitlist in order: the first waiting member whose
    party fits (a party too big for the seats left keeps its place). Answers
    in `quiet` (just moved to the waitlist, and back) are not told."""
    if meetup.status != MeetupStatus.PUBLISHED:
        return []
    promoted = []
    for rsvp in Rsvp.objects.filter(meetup=meetup).waiting().select_for_update():
        free = None if meetup.capacity is None else meetup.capacity - seats_taken(meetup)
        if free is not None and free <= 0:
            break
        if free is None or rsvp.seats <= free:
            rsvp.waitlisted, rsvp.waitlisted_at = False, None
            rsvp.updated_at = timezone.now()
            rsvp.save(update_fields=["waitlisted", "waitlisted_at", "updated_at"])
            if rsvp.pk not in quiet:
                notify.promoted(rsvp=rsvp)
            promoted.append(rsvp)
    return promoted


@transaction.atomic
def set_checked_in(*, meetup: Meetup, came: set[int], shown: set[int], actor: User) -> int:
    """Of the answers shown on the host's page, mark the ticked ones as having
    come and the others as not; answers the page did not show stay as they
    are (two hosts checking people in at the same time keep each other's work)."""
    now = timezone.now()
    rsvps = Rsvp.objects.filter(meetup=meetup)
    rsvps.filter(pk__in=came, checked_in_at__isnull=True).update(checked_in_at=now)
    rsvps.filter(pk__in=shown - came).update(checked_in_at=None)
    return rsvps.filter(checked_in_at__isnull=False).count()


@transaction.atomic
def add_question(*, meetup: Meetup, text: str, kind: str, choices: list[str], required: bool):
    position = (
        meetup.questions.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    return Question.objects.create(
        meetup=meetup, text=text, kind=kind, choices=choices, required=required, position=position
    )


@transaction.atomic
def remove_question(*, question: Question) -> None:
    Question.objects.filter(pk=question.pk).delete()
