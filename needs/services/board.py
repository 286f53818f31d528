"""Needs on the board: posting, editing, status, support, comments, planning a meetup."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from moeder.models import Meetup
from needs.models import (
    Comment,
    Need,
    NeedStatus,
    Support,
)

# The follow-up question goes out this long after the meetup has ended.
from needs.services.common import (
    PLACEHOLDER_VENUE,
    AlreadyPlanned,
    AlreadySupported,
    NeedChanged,
    NeedClosed,
    NeedError,
    NeedNotActive,
    OwnNeed,
    _lock,
    _render,
    _set_tags,
    placeholder_times,
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
