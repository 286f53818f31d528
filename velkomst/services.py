"""The newcomer path: the three steps, the greeter and the check-in mail."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Role, User
from duties.models import DutySlot
from forum.models import Post, State, Thread, ThreadKind
from moderation.models import QueuedPost, QueueState
from netvaerk.mail import enqueue_message
from netvaerk.site import absolute_url, current_site
from notifications.services import notice
from velkomst.models import Welcome

MAX_GREETERS = 3
CHECKIN_AFTER = timedelta(days=14)
# Members who joined longer ago than this are past the check-in (a new deploy
# does not mail the whole network).
CHECKIN_WINDOW = timedelta(days=30)


def introduction_category() -> str:
    return settings.NETVAERK_INTRODUCTION_CATEGORY


# --- The three steps ------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    hint: str
    done: bool
    url: str
    action: str
    awaiting: bool = False  # written, waiting for a moderator's approval


def _progress_row(member: User) -> User:
    """The member with what the steps read, in one query."""
    intro = introduction_category()
    published = Q(state=State.PUBLISHED, thread__state=State.PUBLISHED)
    return (
        User.objects.filter(pk=member.pk)
        .annotate(
            has_skills=Exists(User.skills.through.objects.filter(user_id=OuterRef("pk"))),
            introduced=Exists(
                Post.objects.filter(published, author=OuterRef("pk"), thread__category__slug=intro)
            ),
            asked=Exists(
                Thread.objects.filter(
                    author=OuterRef("pk"), kind=ThreadKind.QUESTION, state=State.PUBLISHED
                ).exclude(category__slug=intro)
            ),
            # A new member's first posts may wait for approval (moderation).
            intro_waiting=Exists(
                QueuedPost.objects.filter(author=OuterRef("pk"), state=QueueState.PENDING).filter(
                    Q(category__slug=intro) | Q(thread__category__slug=intro)
                )
            ),
            question_waiting=Exists(
                QueuedPost.objects.filter(
                    author=OuterRef("pk"),
                    state=QueueState.PENDING,
                    thread=None,
                    kind=ThreadKind.QUESTION,
                ).exclude(category__slug=intro)
            ),
        )
        .get()
    )


def steps(member: User) -> list[Step]:
    """Fill in the profile, introduce yourself, ask your first question: each
    ticked off from what the member has really done."""
    row = _progress_row(member)
    intro_query = urlencode(
        {
            "kategori": introduction_category(),
            "type": ThreadKind.DISCUSSION,
            "titel": gettext("Hello from %(name)s") % {"name": member.display_name},
            "tekst": gettext(
                "Hi everyone! I am %(name)s%(company)s. I work with … and I am looking for …"
            )
            % {
                "name": member.display_name,
                "company": f" ({member.company})" if member.company else "",
            },
        }
    )
    return [
        Step(
            key="profile",
            title=gettext("Fill in your profile"),
            hint=gettext(
                "Your region, your industry and what you can help with, so that "
                "members near you and with the same questions find you."
            ),
            done=bool(row.region and row.industry and row.has_skills),
            url=reverse("accounts:profile_edit"),
            action=gettext("Edit your profile"),
        ),
        Step(
            key="introduce",
            title=gettext("Introduce yourself"),
            hint=gettext("Say hello in “Præsentation”: who you are and what you are looking for."),
            done=row.introduced,
            url=f"{reverse('forum:thread_create')}?{intro_query}",
            action=gettext("Write your introduction"),
            awaiting=row.intro_waiting and not row.introduced,
        ),
        Step(
            key="ask",
            title=gettext("Ask your first question"),
            hint=gettext("Whatever you are stuck on: someone in the network has been there."),
            done=row.asked,
            url=f"{reverse('forum:thread_create')}?{urlencode({'type': ThreadKind.QUESTION})}",
            action=gettext("Ask a question"),
            awaiting=row.question_waiting and not row.asked,
        ),
    ]


# --- The greeter ------------------------------------------------------------------


def find_greeters(member: User, *, now: datetime | None = None) -> list[User]:
    """Who welcomes a newcomer: the members on the greeter duty in the rota
    (on duty now, else the next one to hold it); without one, the organisers
    in the newcomer's region. At most MAX_GREETERS; never the newcomer."""
    now = now or timezone.now()
    slots = list(
        DutySlot.objects.filter(
            duty__name__iexact=settings.NETVAERK_GREETER_DUTY,
            duty__archived_at=None,
            member__isnull=False,
            member__is_active=True,
            ends_at__gt=now,
        )
        .exclude(member=member)
        .select_related("member")
        .order_by("starts_at", "pk")[:20]
    )
    greeters: list[User] = []
    for slot in slots:
        if slot.starts_at <= now and slot.member not in greeters:
            greeters.append(slot.member)
    if not greeters and slots:
        greeters = [slots[0].member]
    if not greeters and member.region:
        greeters = list(
            User.objects.members()
            .filter(role_assignments__role=Role.ORGANISER, region=member.region)
            .exclude(pk=member.pk)
            .distinct()
            .order_by("pk")[:MAX_GREETERS]
        )
    return greeters[:MAX_GREETERS]


@transaction.atomic
def start_path(*, member: User, now: datetime | None = None) -> Welcome:
    """The member's welcome row; on the first call (or while no greeter could
    be found, e.g. before the member chose a region) find the greeters and
    tell them. Safe to call on every visit: greeters hear of a newcomer once."""
    welcome, _created = Welcome.objects.get_or_create(member=member)
    if welcome.greeter_id is not None:
        return welcome
    welcome = Welcome.objects.select_for_update().get(pk=welcome.pk)
    if welcome.greeter_id is not None:  # someone else got there first
        return welcome
    greeters = find_greeters(member, now=now)
    if not greeters:
        return welcome
    welcome.greeter = greeters[0]
    welcome.save(update_fields=["greeter"])
    name = member.display_name
    for greeter in greeters:
        notice(
            recipient=greeter,
            kind="velkomst.greet",
            actor=member,
            link=reverse("accounts:member_detail", args=[member.pk]),
            message=lambda: (
                gettext("%(name)s is new in the network: say hello and welcome them!")
                % {"name": name}
            ),
        )
    return welcome


# --- The check-in mail ------------------------------------------------------------


def _checkin_message(welcome: Welcome) -> EmailMultiAlternatives:
    member = welcome.member
    greeter = welcome.greeter
    with translation.override(member.language):
        meetups = reverse("moeder:index")
        if member.region:
            meetups = f"{meetups}?{urlencode({'region': member.region})}"
        context = {
            "member": member,
            "greeter": greeter,
            "site_name": current_site().name,
            "ask_url": absolute_url(
                f"{reverse('forum:thread_create')}?{urlencode({'type': ThreadKind.QUESTION})}"
            ),
            "meetups_url": absolute_url(meetups),
            "greeter_url": absolute_url(reverse("accounts:member_detail", args=[greeter.pk]))
            if greeter
            else "",
            "welcome_url": absolute_url(reverse("velkomst:welcome")),
        }
        subject = gettext("Did you get an answer to what you were looking for?")
        return EmailMultiAlternatives(
            subject=f"[{current_site().name}] {subject}",
            body=render_to_string("velkomst/email/checkin.txt", context),
            to=[member.email],
            headers={"Auto-Submitted": "auto-generated"},
        )


def checkin_due(*, now: datetime):
    """Members who joined 14 to 30 days ago, with a confirmed address, not mailed yet."""
    return (
        User.objects.members()
        .filter(
            date_joined__lte=now - CHECKIN_AFTER,
            date_joined__gt=now - CHECKIN_WINDOW,
            erased_at=None,
            # Only an address the member confirmed (an unconfirmed sign-up never logged in).
            emailaddress__verified=True,
            emailaddress__primary=True,
        )
        .exclude(welcome__checkin_sent_at__isnull=False)
        .order_by("pk")
    )


def send_checkins(*, now: datetime | None = None) -> int:
    """Mail each member who joined two weeks ago "Har du fået svar på det, du
    søgte?", once: the row is claimed (checkin_sent_at set) in the transaction
    that queues the mail, so two runs at once or a rerun never send twice."""
    now = now or timezone.now()
    sent = 0
    for member in checkin_due(now=now).iterator(chunk_size=500):
        with transaction.atomic():
            welcome = start_path(member=member, now=now)
            claimed = Welcome.objects.filter(pk=welcome.pk, checkin_sent_at=None).update(
                checkin_sent_at=now
            )
            if not claimed:
                continue
            welcome = Welcome.objects.select_related("member", "greeter").get(pk=welcome.pk)
            enqueue_message(_checkin_message(welcome))
            sent += 1
    return sent
