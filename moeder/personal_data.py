"""Meetups' part of a member's data export and account deletion
(accounts.extensions.personal_data; registered by MoederConfig.ready())."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.extensions import PersonalData
from accounts.privacy import rows
from moeder.models import (
    CalendarFeed,
    Invitation,
    Meetup,
    MeetupHost,
    QuestionAnswer,
    ReminderSent,
    Rsvp,
)


def export(user) -> dict[str, list[dict]]:
    return {
        "meetup_answers": rows(
            Rsvp.objects.filter(member=user).order_by("created_at", "pk"),
            "meetup_id",
            "meetup__title",
            "meetup__starts_at",
            "answer",
            "guests",
            "waitlisted",
            "show_in_list",
            "morning_reminder",
            "created_at",
            "updated_at",
        ),
        "meetup_question_answers": rows(
            QuestionAnswer.objects.filter(rsvp__member=user).order_by("rsvp__meetup_id", "pk"),
            "rsvp__meetup__title",
            "question__text",
            "text",
            "choices",
        ),
        "check_ins": rows(
            Rsvp.objects.filter(member=user, checked_in_at__isnull=False).order_by("checked_in_at"),
            "meetup__title",
            "checked_in_at",
        ),
        "invitations": rows(
            Invitation.objects.filter(member=user).order_by("sent_at", "pk"),
            "meetup__title",
            "sent_at",
        ),
        "meetups_organised": rows(
            Meetup.objects.filter(Q(created_by=user) | Q(hosts__user=user))
            .distinct()
            .order_by("starts_at", "pk"),
            "id",
            "title",
            "starts_at",
            "status",
        ),
        "calendar_feed": rows(CalendarFeed.objects.filter(user=user), "created_at"),
    }


def erase(*, user, keep_posts: bool) -> None:
    from moeder.services import _promote

    now = timezone.now()
    # Answers to meetups still to come go, and their seats go to the waitlist.
    upcoming = Rsvp.objects.filter(member=user, meetup__starts_at__gt=now)
    meetup_ids = set(upcoming.values_list("meetup_id", flat=True))
    upcoming.delete()
    for meetup in Meetup.objects.select_for_update().filter(pk__in=meetup_ids).order_by("pk"):
        _promote(meetup)
    # Past meetups keep the answer as an anonymous figure (came, no-show) for
    # the organisers' insights; what the member told them goes.
    QuestionAnswer.objects.filter(rsvp__member=user).delete()
    Rsvp.objects.filter(member=user).update(show_in_list=False, morning_reminder=False)
    Invitation.objects.filter(member=user).delete()
    ReminderSent.objects.filter(member=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    MeetupHost.objects.filter(user=user).delete()
    Meetup.extra_invitees.through.objects.filter(user=user).delete()


PART = PersonalData(
    name="moeder",
    label=_("Meetups"),
    export=export,
    erase=erase,
    covers=(
        "moeder.Rsvp",
        "moeder.Invitation",
        "moeder.CalendarFeed",
        "moeder.MeetupHost",
        "moeder.Meetup",
    ),
    left_out={
        "moeder.ReminderSent": "Only which reminders were sent, so none goes twice; deleted "
        "with the account.",
    },
    order=60,
)
