"""What the needs board does when a meetup it planned is published, cancelled or moved,
and the "Blev dit behov mødt?" follow-up after it."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from moeder.models import Answer, Meetup, MeetupStatus, Rsvp
from needs.models import (
    ACTIVE_STATUSES,
    FollowUpAnswer,
    FollowUpAnswerChoice,
    FollowUpAsked,
    Need,
    NeedStatus,
)
from needs.services.board import backer_ids

# The follow-up question goes out this long after the meetup has ended.
from needs.services.common import FOLLOW_UP_AFTER, FOLLOW_UP_EARLY, _lock, _notify, _when

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
