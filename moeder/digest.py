"""Moeder's section of the personal digest: published meetups in the member's
region (or for everyone) in the next three weeks that they have not answered,
with the signed one-click Ja / Måske / Nej links of invitations. Three queries
per batch of members."""

from collections import defaultdict
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from moeder.models import Meetup, MeetupStatus, Rsvp
from moeder.notify import answer_urls
from notifications.extensions import DigestSection, absolute_link

AHEAD = timedelta(weeks=3)


def _links(user, meetup):
    return lambda: answer_urls(member=user, meetup=meetup)


def _url(meetup):
    return absolute_link(meetup)


def unanswered_meetups(users, now) -> dict[int, list]:
    meetups = list(
        Meetup.objects.filter(
            status=MeetupStatus.PUBLISHED, starts_at__gte=now, starts_at__lte=now + AHEAD
        )
        .prefetch_related("extra_invitees")
        .order_by("starts_at", "pk")
    )
    meetups = [m for m in meetups if m.rsvp_deadline is None or m.rsvp_deadline > now]
    if not meetups:
        return {}
    answered = defaultdict(set)
    for member_id, meetup_id in Rsvp.objects.filter(
        member_id__in=[u.pk for u in users], meetup__in=meetups
    ).values_list("member_id", "meetup_id"):
        answered[member_id].add(meetup_id)
    found: dict[int, list] = {}
    for user in users:
        items = []
        for meetup in meetups:
            if meetup.pk in answered[user.pk] or meetup.created_by_id == user.pk:
                continue
            invited = {u.pk for u in meetup.extra_invitees.all()}
            if meetup.regions and user.region not in meetup.regions and user.pk not in invited:
                continue
            items.append({"meetup": meetup, "links": _links(user, meetup), "url": _url(meetup)})
        if items:
            found[user.pk] = items
    return found


SECTION = DigestSection(
    "moeder.meetups",
    _("Meetups near you that you have not answered"),
    "moeder/email/_digest_meetups.txt",
    unanswered_meetups,
    html_template="moeder/email/_digest_meetups.html",
    order=30,
)


def register() -> None:
    from notifications.extensions import digest_sections

    digest_sections.register(SECTION)
