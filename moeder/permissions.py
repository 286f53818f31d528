"""Meetup rules: who sees, organises, answers and checks in."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.permissions import (
    is_member,
    is_network_leader,
    is_organiser,
    is_silenced,
)
from moeder.models import MeetupHost, MeetupStatus


def can_create_meetup(user) -> bool:
    """Organisers (tovholdere) and network leaders."""
    return is_organiser(user) or is_network_leader(user)


def is_host(user, meetup) -> bool:
    """The creator or a co-host (hosts are prefetched by the detail view)."""
    if not is_member(user):
        return False
    if meetup.created_by_id == user.pk:
        return True
    cache = getattr(meetup, "_prefetched_objects_cache", {})
    if "hosts" in cache:
        return any(host.user_id == user.pk for host in meetup.hosts.all())
    return MeetupHost.objects.filter(meetup=meetup, user=user).exists()


def can_manage_meetup(user, meetup) -> bool:
    """Edit, publish, cancel, see every answer, check in: its hosts and leaders."""
    return is_network_leader(user) or (is_member(user) and is_host(user, meetup))


def in_audience(user, meetup) -> bool:
    """Invited: every member, the members of its regions, or named in addition."""
    if not is_member(user):
        return False
    if not meetup.regions or user.region in meetup.regions:
        return True
    return meetup.extra_invitees.filter(pk=user.pk).exists()


def can_view_meetup(user, meetup) -> bool:
    """Drafts: their organisers only. Published (and cancelled) meetups: members
    of the audience; everyone-meetups also to visitors (without the details
    reserved for members)."""
    if meetup.status == MeetupStatus.DRAFT:
        return can_manage_meetup(user, meetup)
    if can_manage_meetup(user, meetup) or in_audience(user, meetup):
        return True
    return not meetup.regions and not is_member(user)


def visible_meetups(user, qs=None):
    from moeder.models import Meetup

    qs = Meetup.objects.all() if qs is None else qs
    if is_network_leader(user):
        return qs
    published = Q(status__in=[MeetupStatus.PUBLISHED, MeetupStatus.CANCELLED])
    if not is_member(user):
        return qs.filter(published, regions=[])
    audience = Q(regions=[])
    if user.region:
        audience |= (
            Q(regions__contains=[user.region])
            if _json_contains()
            else Q(regions__icontains=f'"{user.region}"')
        )
    invited = Meetup.extra_invitees.through.objects.filter(meetup_id=OuterRef("pk"), user=user)
    audience |= Q(Exists(invited))  # a subquery, not a join: list counts stay right
    hosting = Q(created_by=user) | Exists(
        MeetupHost.objects.filter(meetup=OuterRef("pk"), user=user)
    )
    return qs.filter((published & audience) | hosting)


def _json_contains() -> bool:
    """JSON containment works on PostgreSQL; SQLite lacks it, so a text match
    on the quoted region code (codes are plain ASCII words) stands in."""
    from django.db import connection

    return connection.vendor == "postgresql"


def can_rsvp(user, meetup) -> bool:
    """Answer (or change one's answer) while the meetup is open for answers."""
    return (
        in_audience(user, meetup)
        and not is_silenced(user)
        and meetup.status == MeetupStatus.PUBLISHED
        and meetup.starts_at > timezone.now()
        and (meetup.rsvp_deadline is None or meetup.rsvp_deadline > timezone.now())
    )


def can_see_attendees(user, meetup) -> bool:
    """Members see who is coming (those who chose to be listed); organisers everyone."""
    return is_member(user)


def can_see_online_link(user, meetup, rsvp) -> bool:
    return can_manage_meetup(user, meetup) or (
        rsvp is not None and rsvp.answer == "yes" and not rsvp.waitlisted
    )


def can_view_insights(user) -> bool:
    """Attendance figures across meetups: organisers and network leaders."""
    return is_organiser(user) or is_network_leader(user)


def meetup_thread_link(user, meetup) -> str | None:
    """How the meetup page offers its discussion thread: "read" (a link that
    opens), "login" (a visitor who would read it as a member) or None (the
    thread is gone, hidden, or in a category this person cannot read)."""
    from forum.models import Access, State
    from forum.permissions import can_reach_thread

    thread = meetup.thread
    if thread is None:
        return None
    if can_reach_thread(user, thread):
        return "read"
    if (
        not is_member(user)
        and thread.state == State.PUBLISHED
        and thread.category.read_access == Access.MEMBERS
    ):
        return "login"
    return None


# Pictures and files in a meetup's description (netvaerk.uploads.upload_scopes):
# whoever can see the meetup.
UPLOAD_SCOPE = "moeder.meetup"


def can_read_meetup_upload(user, meetup_id) -> bool:
    return visible_meetups(user).filter(pk=meetup_id).exists()
