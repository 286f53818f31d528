"""Needs board writes, each in one transaction; notices go out via
notifications.services.notice (in-site notice + mail after commit).

Changes to a need lock its row first and check its state again, so a form
shown before the need was closed or planned gets a clear NeedError instead of
a half-done change.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, Role, User
from forum.models import Thread
from forum.permissions import can_read_category
from moeder.models import Answer, Meetup, MeetupStatus, Rsvp
from needs.models import (
    ACTIVE_STATUSES,
    Comment,
    FollowUpAnswer,
    FollowUpAnswerChoice,
    FollowUpAsked,
    Need,
    NeedStatus,
    NeedTag,
    Support,
    ThreadMeetup,
    ThreadSignal,
)
from needs.permissions import can_plan_thread_meetup, can_see_people, can_signal_thread
from netvaerk.markup import MarkupError, render_markdown
from notifications.services import notice

# The follow-up question goes out this long after the meetup has ended.
FOLLOW_UP_AFTER = timedelta(hours=1)
# A worker that runs a little early (clocks differ) still counts as on time.
FOLLOW_UP_EARLY = timedelta(minutes=1)
# A meetup drafted from a need or a thread starts this many days ahead, 17-19.
PLACEHOLDER_DAYS = 14
PLACEHOLDER_START = time(17)
PLACEHOLDER_END = time(19)
PLACEHOLDER_VENUE = "Aftales"
DEFAULT_SIGNAL_THRESHOLD = 5


class NeedError(Exception):
    """The change cannot be made as asked; `message` is shown to the member."""

    message = _("That need cannot be changed right now.")

    def __init__(self, message=None):
        super().__init__(message)
        if message is not None:
            self.message = message


class NeedChanged(NeedError):
    message = _("The need changed while you were looking at it. Please check it and try again.")


class NeedNotActive(NeedError):
    message = _("This need is no longer open, so it cannot be supported or planned.")


class NeedClosed(NeedError):
    message = _("This need is closed.")


class OwnNeed(NeedError):
    message = _("You cannot support your own need; it already counts as yours.")


class AlreadySupported(NeedError):
    message = _("You already support this need.")


class AlreadyPlanned(NeedError):
    message = _("A meetup has already been planned for this.")


class BadText(NeedError):
    message = _("The text could not be formatted. Please shorten or simplify it.")


def signal_threshold() -> int:
    return getattr(settings, "NETVAERK_MEETUP_SIGNALS", DEFAULT_SIGNAL_THRESHOLD)


def _render(text: str) -> str:
    try:
        return render_markdown(text)
    except MarkupError as error:
        raise BadText from error


def _lock(need: Need) -> Need:
    locked = Need.objects.select_for_update().filter(pk=need.pk).first()
    if locked is None:
        raise NeedError(gettext("That need no longer exists."))
    return locked


def _set_tags(need: Need, tags: list[str]) -> None:
    NeedTag.objects.filter(need=need).exclude(name__in=tags).delete()
    have = set(NeedTag.objects.filter(need=need).values_list("name", flat=True))
    NeedTag.objects.bulk_create([NeedTag(need=need, name=t) for t in tags if t not in have])


def placeholder_times(now: datetime | None = None) -> tuple[datetime, datetime]:
    """17:00-19:00 Copenhagen time, PLACEHOLDER_DAYS from today (the organiser edits it)."""
    zone = timezone.get_default_timezone()
    day = timezone.localdate(now or timezone.now(), zone) + timedelta(days=PLACEHOLDER_DAYS)
    return (
        timezone.make_aware(datetime.combine(day, PLACEHOLDER_START), zone),
        timezone.make_aware(datetime.combine(day, PLACEHOLDER_END), zone),
    )


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _notify(*, recipient: User, message, link: str, thread: Thread | None = None) -> None:
    notice(
        recipient=recipient,
        message=message,
        subject=thread,
        link=link,
    )


# --- Needs -------------------------------------------------------------------


@transaction.atomic
def post_need(
    *, author: User, title: str, description: str = "", region: str = "", tags: list[str] = ()
) -> Need:
    need = Need.objects.create(
        author=author,
        title=title,
        description=description,
        description_html=_render(description),
        region=region,
        language=author.language,
    )
    _set_tags(need, list(tags))
    return need


@transaction.atomic
def update_need(*, need: Need, title: str, description: str, region: str, tags: list[str]) -> Need:
    locked = _lock(need)
    if locked.is_closed:
        raise NeedClosed
    locked.title = title
    locked.description = description
    locked.description_html = _render(description)
    locked.region = region
    locked.updated_at = timezone.now()
    locked.save()
    _set_tags(locked, tags)
    return locked


@transaction.atomic
def set_status(*, need: Need, status: str, reason: str = "", seen_status: str | None = None):
    """Open, planned, met or closed (closed with a reason). `seen_status`: the
    status the form was shown with; another one now means a stale form."""
    locked = _lock(need)
    if seen_status is not None and seen_status != locked.status:
        raise NeedChanged
    if status == NeedStatus.PLANNED and locked.meetup_id is None:
        raise NeedError(gettext("Only a need with a meetup can be planned. Plan a meetup instead."))
    locked.status = status
    locked.closed_reason = reason if status == NeedStatus.CLOSED else ""
    if status == NeedStatus.OPEN:
        locked.meetup = None  # open again: it can be planned anew
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "closed_reason", "meetup", "updated_at"])
    return locked


@transaction.atomic
def support_need(*, need: Need, member: User) -> Support:
    locked = _lock(need)
    if locked.author_id == member.pk:
        raise OwnNeed
    if not locked.is_active:
        raise NeedNotActive
    try:
        with transaction.atomic():
            support = Support.objects.create(need=locked, member=member)
    except IntegrityError:
        raise AlreadySupported from None
    Need.objects.filter(pk=locked.pk).update(support_count=F("support_count") + 1)
    if locked.meetup_id is not None:  # planned: invite the new supporter too
        locked.meetup.extra_invitees.add(member)
    return support


@transaction.atomic
def withdraw_support(*, need: Need, member: User) -> bool:
    locked = _lock(need)
    deleted, _rows = Support.objects.filter(need=locked, member=member).delete()
    if deleted:
        Need.objects.filter(pk=locked.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
    return bool(deleted)


@transaction.atomic
def add_comment(*, need: Need, author: User, body: str) -> Comment:
    locked = _lock(need)
    if locked.is_closed:
        raise NeedClosed
    comment = Comment.objects.create(
        need=locked, author=author, body=body, body_html=_render(body), language=author.language
    )
    Need.objects.filter(pk=locked.pk).update(comment_count=F("comment_count") + 1)
    return comment


def backer_ids(need: Need) -> set[int]:
    """The author and every supporter."""
    ids = set(Support.objects.filter(need=need).values_list("member_id", flat=True))
    ids.add(need.author_id)
    return ids


@transaction.atomic
def plan_need(*, need: Need, organiser: User) -> Meetup:
    """A meetup draft from an open need: the need is planned, and its author and
    supporters are invited when the meetup is published."""
    from moeder.services import create_meetup

    locked = _lock(need)
    if locked.meetup_id is not None:
        raise AlreadyPlanned
    if locked.status != NeedStatus.OPEN:
        raise NeedNotActive
    starts_at, ends_at = placeholder_times()
    description = locked.description
    link = f"[{locked.title}]({locked.get_absolute_url()})"
    note = gettext("Planned from the need %(link)s on the needs board.") % {"link": link}
    meetup = create_meetup(
        creator=organiser,
        title=locked.title[:150],
        description=f"{description}\n\n{note}".strip(),
        language=locked.language,  # the need's words
        kind="network",
        regions=[locked.region] if locked.region else [],
        starts_at=starts_at,
        ends_at=ends_at,
        venue_name=PLACEHOLDER_VENUE,
        address="",
    )
    meetup.extra_invitees.add(*backer_ids(locked))
    locked.meetup = meetup
    locked.status = NeedStatus.PLANNED
    locked.closed_reason = ""
    locked.updated_at = timezone.now()
    locked.save(update_fields=["meetup", "status", "closed_reason", "updated_at"])
    return meetup


# --- When a meetup is published, and after it ------------------------------------


def meetup_published(*, meetup: Meetup) -> int:
    """Called by moeder.services.publish inside its transaction: tell the
    backers of the meetup's needs, and schedule the follow-up question.
    Returns how many members were told."""
    needs = list(Need.objects.filter(meetup=meetup).select_related("meetup"))
    if not needs:
        return 0
    told = 0
    for need in needs:
        recipients = User.objects.members().filter(pk__in=backer_ids(need))
        for recipient in recipients:
            with translation.override(recipient.language):  # /en/… for English readers
                link = meetup.get_absolute_url()
            _notify(
                recipient=recipient,
                link=link,
                message=lambda need=need: (
                    gettext(
                        "A meetup was planned for “%(need)s”: %(meetup)s, %(when)s. "
                        "You are invited."
                    )
                    % {"need": need.title, "meetup": meetup.title, "when": _when(meetup.starts_at)}
                ),
            )
            told += 1
    _schedule_follow_up(meetup)
    return told


def meetup_cancelled(*, meetup: Meetup) -> int:
    """Called by moeder.services.cancel: its planned needs are open again (and
    can be planned anew). Returns how many."""
    return Need.objects.filter(meetup=meetup, status=NeedStatus.PLANNED).update(
        meetup=None, status=NeedStatus.OPEN, updated_at=timezone.now()
    )


def meetup_moved(*, meetup: Meetup) -> None:
    """Called by moeder.services.update_meetup when a published meetup's end
    moved: ask the follow-up question after the new end."""
    if Need.objects.filter(meetup=meetup).exists():
        _schedule_follow_up(meetup)


def _schedule_follow_up(meetup: Meetup) -> None:
    from needs import tasks

    meetup_id, run_after = meetup.pk, meetup.ends_at + FOLLOW_UP_AFTER

    def enqueue():
        task = tasks.ask_follow_up
        if task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        # A backend that cannot defer (the immediate one in tests) runs it now;
        # the task then does nothing for a meetup that has not ended.
        task.enqueue(meetup_id=meetup_id)

    transaction.on_commit(enqueue)


def ask_follow_up(*, meetup_id: int, now: datetime | None = None) -> int:
    """Ask the backers who came "Blev dit behov mødt?", once each (a
    FollowUpAsked row per member and need). Returns how many were asked now."""
    now = now or timezone.now()
    meetup = Meetup.objects.filter(pk=meetup_id, status=MeetupStatus.PUBLISHED).first()
    if meetup is None or meetup.ends_at + FOLLOW_UP_AFTER > now + FOLLOW_UP_EARLY:
        return 0
    asked = 0
    came = Q(answer=Answer.YES, waitlisted=False) | Q(checked_in_at__isnull=False)
    for need in Need.objects.filter(meetup=meetup):
        member_ids = Rsvp.objects.filter(came, meetup=meetup, member__in=backer_ids(need))
        members = User.objects.members().filter(pk__in=member_ids.values("member_id"))
        for member in members:
            with transaction.atomic():
                _row, created = FollowUpAsked.objects.get_or_create(
                    need=need, member=member, defaults={"meetup": meetup, "asked_at": now}
                )
                if not created:
                    continue
                with translation.override(member.language):
                    link = reverse("needs:follow_up", kwargs={"pk": need.pk})
                _notify(
                    recipient=member,
                    link=link,
                    message=lambda need=need: (
                        gettext("Was your need met? Tell us how “%(need)s” went at %(meetup)s.")
                        % {"need": need.title, "meetup": meetup.title}
                    ),
                )
                asked += 1
    return asked


@transaction.atomic
def answer_follow_up(*, need: Need, member: User, answer: str, comment: str = "") -> FollowUpAnswer:
    """Store (or change) a supporter's answer; a yes or partly marks an open or
    planned need as met."""
    locked = _lock(need)
    row, _created = FollowUpAnswer.objects.update_or_create(
        need=locked,
        member=member,
        defaults={"answer": answer, "comment": comment, "updated_at": timezone.now()},
    )
    if (
        answer in (FollowUpAnswerChoice.YES, FollowUpAnswerChoice.PARTLY)
        and locked.status in ACTIVE_STATUSES
    ):
        Need.objects.filter(pk=locked.pk).update(status=NeedStatus.MET, updated_at=timezone.now())
    return row


# --- Thread signals --------------------------------------------------------------


def _planners():
    """Organisers and leaders whose powers are on (loaded as the rules read them)."""
    from needs.permissions import can_plan

    candidates = (
        User.objects.members()
        .filter(role_assignments__role__in=[Role.ORGANISER, Role.NETWORK_LEADER])
        .distinct()
        .with_access()
    )
    return [user for user in candidates if can_plan(user)]


@transaction.atomic
def signal_thread(*, thread: Thread, member: User, region: str) -> bool:
    """Signal (or move one's signal to another region). Returns whether it is new.
    When a region reaches the threshold, the thread's author and the planners
    are told once."""
    signal = ThreadSignal.objects.select_for_update().filter(thread=thread, member=member).first()
    created = signal is None
    if created:
        try:
            with transaction.atomic():
                ThreadSignal.objects.create(thread=thread, member=member, region=region)
        except IntegrityError:  # a double click: the other request made it
            return False
    elif signal.region != region:
        signal.region = region
        signal.save(update_fields=["region"])
    else:
        return False
    _offer_if_enough(thread, region)
    return created


def _offer_if_enough(thread: Thread, region: str) -> None:
    count = ThreadSignal.objects.filter(thread=thread, region=region).count()
    if count < signal_threshold():
        return
    ThreadMeetup.objects.get_or_create(thread=thread, region=region)
    # Only the request that sets offered_at tells anyone: never twice.
    if not ThreadMeetup.objects.filter(thread=thread, region=region, offered_at=None).update(
        offered_at=timezone.now()
    ):
        return
    label = Region(region).label
    recipients = {user.pk: user for user in _planners()}
    author = User.objects.members().filter(pk=thread.author_id).with_access().first()
    if author is not None:
        recipients[author.pk] = author
    for recipient in recipients.values():
        if not can_read_category(recipient, thread.category):
            continue  # a staff-only thread's title stays with those who may read it
        with translation.override(recipient.language):
            link = thread.get_absolute_url()
        _notify(
            recipient=recipient,
            thread=thread,
            link=link,
            message=lambda: (
                gettext(
                    "%(count)s members in %(region)s would come to a meetup about “%(title)s”. "
                    "An organiser can make a meetup draft from the thread."
                )
                % {"count": count, "region": label, "title": thread.title}
            ),
        )


@transaction.atomic
def withdraw_signal(*, thread: Thread, member: User) -> bool:
    deleted, _rows = ThreadSignal.objects.filter(thread=thread, member=member).delete()
    return bool(deleted)


@transaction.atomic
def plan_thread_meetup(*, thread: Thread, region: str, organiser: User) -> Meetup:
    """A meetup draft about a thread for one region; its signallers are invited."""
    from moeder.services import create_meetup

    ThreadMeetup.objects.get_or_create(thread=thread, region=region)
    offer = ThreadMeetup.objects.select_for_update().get(thread=thread, region=region)
    if offer.meetup_id is not None:
        raise AlreadyPlanned
    starts_at, ends_at = placeholder_times()
    link = f"[{thread.title}]({thread.get_absolute_url()})"
    meetup = create_meetup(
        creator=organiser,
        title=thread.title[:150],
        description=gettext("Members asked for a meetup about the forum thread %(link)s.")
        % {"link": link},
        language=thread.language,  # the thread's title
        kind="network",
        regions=[region],
        starts_at=starts_at,
        ends_at=ends_at,
        venue_name=PLACEHOLDER_VENUE,
        address="",
    )
    signallers = ThreadSignal.objects.filter(thread=thread, region=region).values_list(
        "member_id", flat=True
    )
    meetup.extra_invitees.add(*signallers)
    offer.meetup = meetup
    offer.created_by = organiser
    offer.save(update_fields=["meetup", "created_by"])
    return meetup


def thread_signal_context(user, thread: Thread) -> dict:
    """What templates/needs/_thread_signal.html shows (two queries)."""
    rows = list(
        ThreadSignal.objects.filter(thread=thread)
        .values("region")
        .annotate(
            count=Count("pk"),
            mine=Count("pk", filter=Q(member_id=user.pk if user.is_authenticated else None)),
        )
        .order_by("region")
    )
    planned = {
        offer.region: offer.meetup
        for offer in ThreadMeetup.objects.filter(thread=thread, meetup__isnull=False)
        .select_related("meetup")
        .only(
            "region",
            "meetup__title",
            "meetup__language",
            "meetup__slug",
            "meetup__status",
            "meetup__starts_at",
        )
    }
    can_plan = can_plan_thread_meetup(user, thread)
    labels = dict(Region.choices)
    regions, my_region = [], ""
    for row in rows:
        if row["mine"]:
            my_region = row["region"]
        meetup = planned.get(row["region"])
        regions.append(
            {
                "region": row["region"],
                "label": labels.get(row["region"], row["region"]),
                "count": row["count"],
                "is_mine": bool(row["mine"]),
                "meetup": meetup,
                "meetup_is_public": meetup is not None and not meetup.is_draft,
                "can_plan": can_plan and meetup is None,
                "at_threshold": row["count"] >= signal_threshold(),
            }
        )
    return {
        "regions": regions,
        "total": sum(row["count"] for row in rows),
        "my_region": my_region,
        "has_signalled": bool(my_region),
        "can_signal": can_signal_thread(user, thread),
        "can_see_people": can_see_people(user),
        "can_plan": can_plan,
        "region_choices": Region.choices,
        "default_region": my_region or (getattr(user, "region", "") or ""),
        "threshold": signal_threshold(),
        "planned": [
            {"region": labels.get(r, r), "meetup": m, "is_public": not m.is_draft}
            for r, m in planned.items()
        ],
    }
