"""Retention of meetup answers (accounts.extensions.retention; registered by
MoederConfig.ready()): answers to a meetup's questions (dietary, access needs)
go NETVAERK_RETENTION["meetup_answers_days"] after it ended; who answered and
who came is reduced to figures on the meetup after "checkins_days"."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum

from accounts.extensions import Retention
from moeder.models import Answer, Meetup, QuestionAnswer, Rsvp


def _before(now, name: str):
    return now - timedelta(days=settings.NETVAERK_RETENTION[name])


@transaction.atomic
def purge_question_answers(*, now) -> int:
    old = QuestionAnswer.objects.filter(
        rsvp__meetup__ends_at__lt=_before(now, "meetup_answers_days")
    )
    return old.delete()[0]


@transaction.atomic
def archive_checkins(*, now) -> int:
    """Replace the answers of long-past meetups by their counts."""
    attending = Q(rsvps__answer=Answer.YES, rsvps__waitlisted=False)
    meetups = (
        Meetup.objects.filter(ends_at__lt=_before(now, "checkins_days"), rsvps__isnull=False)
        .distinct()
        .annotate(
            n_yes=Count("rsvps", filter=attending, distinct=True),
            n_maybe=Count("rsvps", filter=Q(rsvps__answer=Answer.MAYBE), distinct=True),
            n_no=Count("rsvps", filter=Q(rsvps__answer=Answer.NO), distinct=True),
            n_came=Count("rsvps", filter=Q(rsvps__checked_in_at__isnull=False), distinct=True),
            n_no_shows=Count(
                "rsvps", filter=attending & Q(rsvps__checked_in_at__isnull=True), distinct=True
            ),
            n_late=Count("rsvps", filter=Q(rsvps__withdrew_late=True), distinct=True),
            n_guests=Sum("rsvps__guests", filter=attending),
        )
    )
    removed = 0
    for meetup in meetups:
        counts = {
            "yes": meetup.n_yes,
            "maybe": meetup.n_maybe,
            "no": meetup.n_no,
            "came": meetup.n_came,
            "no_shows": meetup.n_no_shows,
            "late_withdrawals": meetup.n_late,
            "guests": meetup.n_guests or 0,
        }
        previous = meetup.archived_counts or {}
        merged = {key: previous.get(key, 0) + value for key, value in counts.items()}
        Meetup.objects.filter(pk=meetup.pk).update(archived_counts=merged)
        removed += Rsvp.objects.filter(meetup=meetup).delete()[0]
    return removed


RULES = [
    Retention("moeder.question_answers", purge_question_answers, 60),
    Retention("moeder.checkins", archive_checkins, 61),
]
