"""The help relay: an unanswered question reaches the members who can help.

``run_relay`` (the periodic job ``manage.py run_periodic relay`` and the task
``relay.tasks.run_relay``) looks at the unanswered questions of the last
days. After the category's delay in waking hours (a newcomer's first question
sooner) it asks up to NETVAERK_RELAY["members_asked"] opted-in members whose
skills match best (then members with accepted answers on the same tags);
after a second delay the helpers on duty, then the moderators. Each step is
taken once (RelayProgress, compare and set), nobody is asked twice about a
question (a unique constraint), and the relay stops when someone replies.
"""

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Role, Skill, User
from duties.models import DutySlot
from forum.models import Access, Post, State, Thread
from netvaerk.locks import exclusive
from netvaerk.mail import enqueue_message
from netvaerk.site import absolute_url
from notifications import services as notifications
from relay.matching import matching_skill_ids, stems_for
from relay.models import RelayProgress, RelayRequest, Step
from relay.waking import waking_due

ASK_KIND = "relay.ask"
INVITED_KIND = "relay.invited"
DECLINE_SALT = "netvaerk.relay.decline"
STEPS = {1: Step.RELAY, 2: Step.DUTY, 3: Step.MODERATORS}
LOCK_SECONDS = 600


def config() -> dict:
    return settings.NETVAERK_RELAY


# --- When ---------------------------------------------------------------------


def step_times(thread: Thread, *, first_question: bool) -> list[datetime]:
    """When each of the three steps falls due for this question."""
    setting = getattr(thread.category, "relay_setting", None)
    delay = setting.delay_hours if setting else config()["delay_hours"]
    if first_question:
        delay = min(delay, config()["newcomer_delay_hours"])
    second = config()["second_delay_hours"]
    return [waking_due(thread.created_at, delay + n * second) for n in range(3)]


def _relayable(now: datetime):
    """Unanswered published questions every member may read, recent enough,
    whose relay has not finished; with what the scan needs, in one query."""
    earlier = Thread.objects.filter(
        author=OuterRef("author"), created_at__lt=OuterRef("created_at")
    )
    return (
        Thread.objects.published()
        .unanswered()
        .filter(
            created_at__gte=now - timedelta(days=config()["max_age_days"]),
            category__read_access__in=[Access.EVERYONE, Access.MEMBERS],
        )
        .exclude(category__relay_setting__enabled=False)
        .exclude(relay_progress__finished_at__isnull=False)
        .select_related("category__relay_setting", "author", "relay_progress")
        .annotate(first_question=~Exists(earlier))
        .order_by("created_at", "pk")
    )


# --- Who ----------------------------------------------------------------------


def _question_text(thread: Thread, tags) -> str:
    return " ".join([thread.title, *(tag.name for tag in tags)])


def relay_candidates(thread: Thread, *, now: datetime | None = None, limit: int | None = None):
    """The opted-in members who match the question best, not paused, under their
    weekly cap, not the asker, not asked about it before; members asked recently
    last. Returns (members, skill_ids). A fixed number of queries (five),
    whatever the number of members."""
    now = now or timezone.now()
    limit = config()["members_asked"] if limit is None else limit
    tags = list(thread.tags.all())  # prefetched by the run, else one query
    skill_ids = sorted(matching_skill_ids(stems_for(_question_text(thread, tags))))
    tag_ids = [tag.pk for tag in tags]
    answerers = {}
    if tag_ids:
        answerers = dict(
            Thread.objects.filter(
                tags__in=tag_ids, accepted_post__isnull=False, state=State.PUBLISHED
            )
            .exclude(pk=thread.pk)
            .values_list("accepted_post__author")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n")[:50]
        )
    if not skill_ids and not answerers:
        return [], skill_ids
    # Who may be asked: opted in, not paused, not the asker, not asked about
    # this question before, under their weekly cap (uncorrelated subqueries).
    capped = (
        RelayRequest.objects.filter(step=Step.RELAY, asked_at__gte=now - timedelta(days=7))
        .values("member")
        .annotate(c=Count("pk"))
        .filter(c__gte=F("member__help_requests_per_week"))
        .values("member")
    )
    eligible = (
        User.objects.filter(is_active=True, help_requests=True, erased_at=None)
        .filter(
            Q(help_requests_paused_until__isnull=True)
            | Q(help_requests_paused_until__lt=timezone.localdate(now))
        )
        .exclude(pk=thread.author_id)
        .exclude(pk__in=RelayRequest.objects.filter(thread=thread).values("member"))
        .exclude(pk__in=capped)
        .only("pk", "display_name", "email", "language")
    )
    members = []
    if skill_ids:
        # Declared skills first: most matching skills, then asked longest ago.
        members = list(
            eligible.filter(skills__in=skill_ids)
            .annotate(
                score=Count("skills", distinct=True), last_asked=Max("relay_requests__asked_at")
            )
            .order_by("-score", F("last_asked").asc(nulls_first=True), "pk")[:limit]
        )
    chosen = {m.pk for m in members}
    answerer_ids = [pk for pk in answerers if pk and pk not in chosen]
    if len(members) < limit and answerer_ids:
        # Then members with accepted answers on the same tags.
        score = Case(
            *(When(pk=pk, then=Value(answerers[pk])) for pk in answerer_ids),
            default=Value(0),
            output_field=IntegerField(),
        )
        members += list(
            eligible.filter(pk__in=answerer_ids)
            .annotate(score=score, last_asked=Max("relay_requests__asked_at"))
            .order_by("-score", F("last_asked").asc(nulls_first=True), "pk")[: limit - len(members)]
        )
    return members, skill_ids


def _topic(members: list[User], skill_ids: list[int]) -> str:
    """The skill most of the asked members share ("moms"), for the asker's notice."""
    if not members or not skill_ids:
        return ""
    names = Counter(
        Skill.objects.filter(pk__in=skill_ids, members__in=members).values_list("name", flat=True)
    )
    return names.most_common(1)[0][0][:100] if names else ""


def _on_duty(thread: Thread, now: datetime) -> list[User]:
    asked = RelayRequest.objects.filter(thread=thread).values("member")
    ids = (
        DutySlot.objects.on_duty_now(now=now)
        .exclude(member=thread.author_id)
        .exclude(member__in=asked)
        .values("member")
    )
    return list(User.objects.filter(pk__in=ids).only("pk", "display_name", "email", "language"))


def _moderators(thread: Thread) -> list[User]:
    asked = RelayRequest.objects.filter(thread=thread).values("member")
    return list(
        User.objects.filter(role_assignments__role=Role.MODERATOR, is_active=True)
        .exclude(pk=thread.author_id)
        .exclude(pk__in=asked)
        .distinct()
        .only("pk", "display_name", "email", "language")
    )


# --- Asking -------------------------------------------------------------------


def decline_token(request: RelayRequest) -> str:
    return signing.dumps({"r": request.pk, "m": request.member_id}, salt=DECLINE_SALT)


def request_from_token(token: str) -> RelayRequest | None:
    try:
        data = signing.loads(token, salt=DECLINE_SALT, max_age=timedelta(days=30))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        RelayRequest.objects.select_related("thread", "member")
        .filter(pk=data.get("r"), member_id=data.get("m"))
        .first()
    )


def _about(title: str) -> str:
    """ "Moms ved salg til EU" → "moms ved salg til EU" (inside a sentence)."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _message(request: RelayRequest, thread: Thread) -> EmailMultiAlternatives:
    member = request.member
    with translation.override(member.language):
        subject = gettext("Can you help %(name)s with %(question)s?") % {
            "name": thread.author.display_name,
            "question": _about(thread.title),
        }
        body = render_to_string(
            "relay/email/ask.txt",
            {
                "member": member,
                "thread": thread,
                "step": request.step,
                "question_url": absolute_url(thread.get_absolute_url()),
                "decline_url": absolute_url(
                    reverse("relay:decline", kwargs={"token": decline_token(request)})
                ),
                "profile_url": absolute_url(reverse("accounts:profile_edit")),
            },
        )
    return EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=body,
        to=[member.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def _ask(thread: Thread, members: list[User], step: str, now: datetime) -> list[RelayRequest]:
    """Record, notify and mail: inside the caller's transaction (mail after commit)."""
    if not members:
        return []
    requests = RelayRequest.objects.bulk_create(
        RelayRequest(thread=thread, member=member, step=step, asked_at=now) for member in members
    )
    for request, member in zip(requests, members, strict=True):
        request.member = member
    kind = INVITED_KIND if step == Step.INVITED else ASK_KIND
    created = notifications.create(
        recipients={member.pk: kind for member in members}, subject=thread, actor=thread.author
    )
    by_member = {n.recipient_id: n.pk for n in created}
    for request in requests:
        # Our own mail stands for the notification's: once it went out the
        # notification counts as mailed (no second mail, not in the summary).
        receipt = (notifications.EMAILED_RECEIPT, [by_member[request.member_id]])
        enqueue_message(_message(request, thread), receipt=receipt)
    return requests


def take_step(*, thread: Thread, number: int, now: datetime | None = None) -> list[RelayRequest]:
    """Take step `number` (1 relay, 2 duty, 3 moderators) for the question, if
    the step before it was the last one taken and nobody has replied. Of two
    runs at once only one moves the step on; the other asks nobody."""
    now = now or timezone.now()
    with transaction.atomic():
        RelayProgress.objects.bulk_create([RelayProgress(thread=thread)], ignore_conflicts=True)
        moved = RelayProgress.objects.filter(
            thread=thread, step=number - 1, finished_at=None
        ).update(step=number, updated_at=now)
        if not moved:
            return []
        if not Thread.objects.filter(pk=thread.pk, reply_count=0, state=State.PUBLISHED).exists():
            RelayProgress.objects.filter(thread=thread).update(finished_at=now)
            return []
        if number == 1:
            members, skill_ids = relay_candidates(thread, now=now)
            if topic := _topic(members, skill_ids):
                RelayProgress.objects.filter(thread=thread).update(topic=topic)
        elif number == 2:
            members = _on_duty(thread, now)
        else:
            members = _moderators(thread)
        if number == 3:
            RelayProgress.objects.filter(thread=thread).update(finished_at=now)
        return _ask(thread, members, STEPS[number], now)


def record_answers(*, now: datetime | None = None) -> int:
    """Mark the requests whose member has since replied, and stop the relay for
    questions that got a reply. Two statements, whatever the number of rows."""
    now = now or timezone.now()
    reply = Post.objects.filter(
        thread=OuterRef("thread"),
        author=OuterRef("member"),
        created_at__gte=OuterRef("asked_at"),
        number__gt=1,
        state=State.PUBLISHED,
    ).order_by("created_at")
    answered = (
        RelayRequest.objects.filter(answered_at=None, asked_at__gte=now - timedelta(days=60))
        .filter(Exists(reply))
        .update(answered_at=Subquery(reply.values("created_at")[:1]))
    )
    RelayProgress.objects.filter(finished_at=None, thread__reply_count__gt=0).update(
        finished_at=now
    )
    return answered


def run_relay(*, now: datetime | None = None) -> dict | None:
    """One pass of the relay; None when another pass is running (the lock)."""
    now = now or timezone.now()
    with exclusive("relay:run", timeout=LOCK_SECONDS) as mine:
        if not mine:
            return None
        answered = record_answers(now=now)
        asked = 0
        for thread in _relayable(now).prefetch_related("tags"):
            progress = getattr(thread, "relay_progress", None)
            done = progress.step if progress else 0
            due = sum(
                1 for at in step_times(thread, first_question=thread.first_question) if at <= now
            )
            if due > done:
                asked += len(take_step(thread=thread, number=done + 1, now=now))
        return {"answered": answered, "asked": asked}


@transaction.atomic
def decline(*, request: RelayRequest, now: datetime | None = None) -> None:
    """ "Ikke lige nu": the member will not look at this question."""
    RelayRequest.objects.filter(pk=request.pk, declined_at=None).update(
        declined_at=now or timezone.now()
    )


# --- "Spørg et medlem" --------------------------------------------------------------


@transaction.atomic
def invite(*, thread: Thread, member: User, now: datetime | None = None) -> RelayRequest | None:
    """The asker invited `member` to answer the new question: a notification and
    a mail; recorded so that the relay does not ask them again."""
    if member.pk == thread.author_id:
        return None
    if RelayRequest.objects.filter(thread=thread, member=member).exists():
        return None
    requests = _ask(thread, [member], Step.INVITED, now or timezone.now())
    return requests[0]


# --- For the asker --------------------------------------------------------------


def status_for_asker(thread: Thread) -> dict | None:
    """How many members the relay asked (by step) and about what: one query."""
    rows = list(
        RelayRequest.objects.filter(thread=thread)
        .relayed()
        .values("step", "thread__relay_progress__topic")
        .annotate(n=Count("pk"))
    )
    if not rows:
        return None
    by_step = {row["step"]: row["n"] for row in rows}
    return {
        "members": by_step.get(Step.RELAY, 0),
        "on_duty": by_step.get(Step.DUTY, 0),
        "moderators": by_step.get(Step.MODERATORS, 0),
        "topic": rows[0]["thread__relay_progress__topic"] or "",
    }
