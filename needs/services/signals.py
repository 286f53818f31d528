""" "Jeg ville komme til et møde om dette" on forum threads, and planning a meetup from them."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Region, Role, User
from forum.models import Thread
from forum.permissions import can_read_category
from moeder.models import Meetup
from needs.models import (
    ThreadMeetup,
    ThreadSignal,
)
from needs.permissions import can_plan_thread_meetup, can_see_people, can_signal_thread

# The follow-up question goes out this long after the meetup has ended.
from needs.services.common import (
    PLACEHOLDER_VENUE,
    AlreadyPlanned,
    _notify,
    placeholder_times,
    signal_threshold,
)

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


def thread_signal_context(user, thread: Thread, *, signalled: bool | None = None) -> dict:
    """What templates/needs/_thread_signal.html shows (two queries; none when
    the caller knows that there are no signals and no planned meetups:
    ``signalled=False``)."""
    rows = []
    if signalled is not False:
        rows = list(
            ThreadSignal.objects.filter(thread=thread)
            .values("region")
            .annotate(
                count=Count("pk"),
                mine=Count("pk", filter=Q(member_id=user.pk if user.is_authenticated else None)),
            )
            .order_by("region")
        )
    planned = (
        {}
        if signalled is False
        else {
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
    )
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
