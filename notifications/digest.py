"""The personal digest ("Din uge i netværket"): one mail per member and period
with what the sections in `notifications.extensions.digest_sections` found for
them, skipped when they found nothing.

How it meets the daily notification summary: a member whose notification mail
is "a daily summary" and who gets a personal digest gets their unread
notifications inside it (its first section), and no separate summary that
day: never two summary mails the same morning.

Periods: daily digests cover a day ("d2026-12-07"), weekly ones an ISO week
("w2026-50"), in Danish time. `manage.py send_digests` runs once a day (in the
morning); weekly digests go out on the first run of the week, Monday's. A
`DigestSent` row per member and period, written before the mail is queued,
makes a second run of the same period send nothing.
"""

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.template import Context, Template
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import EmailFrequency, User
from netvaerk.mail import enqueue_message, enqueue_messages
from netvaerk.site import absolute_url, base_url
from notifications.extensions import digest_sections
from notifications.models import DigestFrequency, DigestSent, DigestSetting, Notification

BATCH_SIZE = 500  # members per batch (as the letter's)
PERIOD_LENGTH = {
    DigestFrequency.DAILY: timedelta(days=1),
    DigestFrequency.WEEKLY: timedelta(days=7),
}
UNSUBSCRIBE_SALT = "netvaerk.digest-unsubscribe"
NOTIFICATIONS_SECTION = "notifications"


@dataclass
class Section:
    name: str
    title: str
    template: str
    items: list
    html_template: str = ""


@dataclass
class Digest:
    user: User
    period: str
    sections: list[Section] = field(default_factory=list)
    notification_ids: list[int] = field(default_factory=list)


def period_of(frequency: str, now: datetime) -> str:
    local = timezone.localtime(now)
    if frequency == DigestFrequency.DAILY:
        return f"d{local.date().isoformat()}"
    year, week, _weekday = local.isocalendar()
    return f"w{year}-{week:02d}"


def frequency_of(user: User) -> str:
    """The member's digest frequency (no setting: weekly, unless they asked
    for no notification mail at all)."""
    setting = DigestSetting.objects.filter(user=user).first()
    if setting is not None:
        return setting.frequency
    if user.notification_email == EmailFrequency.NEVER:
        return DigestFrequency.NEVER
    return DigestFrequency.WEEKLY


def recipients():
    """Members who may get a digest, with their frequency as `digest_frequency`."""
    chosen = DigestSetting.objects.filter(user=OuterRef("pk")).values("frequency")[:1]
    default = Case(
        When(notification_email=EmailFrequency.NEVER, then=Value(DigestFrequency.NEVER)),
        default=Value(DigestFrequency.WEEKLY),
        output_field=CharField(),
    )
    return (
        User.objects.members()
        .filter(erased_at=None)
        .exclude(email="")
        .annotate(digest_frequency=Coalesce(Subquery(chosen), default))
        .exclude(digest_frequency=DigestFrequency.NEVER)
    )


def _due(now: datetime):
    """Members due a digest now: none sent yet for their current period."""
    members = recipients()
    daily, weekly = period_of(DigestFrequency.DAILY, now), period_of(DigestFrequency.WEEKLY, now)
    sent_daily = DigestSent.objects.filter(user=OuterRef("pk"), period=daily)
    sent_weekly = DigestSent.objects.filter(user=OuterRef("pk"), period=weekly)
    return members.exclude(
        digest_frequency=DigestFrequency.DAILY, pk__in=Subquery(sent_daily.values("user_id"))
    ).exclude(
        digest_frequency=DigestFrequency.WEEKLY, pk__in=Subquery(sent_weekly.values("user_id"))
    )


def _load(queryset, limit: int | None = None):
    """A batch of members with what the permission rules and sections read
    (roles, two-factor, sanctions, skills), by id."""
    queryset = (
        queryset.with_access().filter(suspended_now=False).prefetch_related("skills").order_by("pk")
    )
    return list(queryset[:limit] if limit else queryset)


def build(users: list[User], now: datetime, *, notifications: bool = True) -> list[Digest]:
    """The digests of a batch of members (loaded with `with_access()`, skills
    prefetched, `digest_frequency` annotated), empty ones left out. A fixed
    number of queries for the batch, whatever its size. `notifications` False
    leaves out the unread notifications (the page shows them elsewhere)."""
    for user in users:
        user.digest_since = now - PERIOD_LENGTH.get(user.digest_frequency, timedelta(days=7))
    found = {}
    for section in digest_sections:
        found[section.name] = section.collect(users, now)
    pending = _pending_notifications(users) if notifications else {}
    digests = []
    for user in users:
        digest = Digest(user=user, period=period_of(user.digest_frequency, now))
        for section in digest_sections:
            items = found[section.name].get(user.pk) or []
            if items:
                digest.sections.append(
                    Section(
                        section.name,
                        section.title,
                        section.template,
                        items[: section.limit],
                        section.html_template,
                    )
                )
        if digest.sections:
            # It replaces the daily summary today: the member's unread notifications ride along.
            notifications = pending.get(user.pk, [])
            if notifications:
                digest.notification_ids = [n.pk for n in notifications]
                digest.sections.insert(
                    0,
                    Section(
                        NOTIFICATIONS_SECTION,
                        _("Your notifications"),
                        "notifications/email/_digest_notifications.txt",
                        notifications,
                        "notifications/email/_digest_notifications.html",
                    ),
                )
            digests.append(digest)
    return digests


def _pending_notifications(users: list[User]) -> dict[int, list[Notification]]:
    from notifications.services import resolve

    daily = [u.pk for u in users if u.notification_email == EmailFrequency.DAILY]
    if not daily:
        return {}
    by_user: dict[int, list[Notification]] = {}
    pending = (
        Notification.objects.unread()
        .filter(emailed_at=None, recipient_id__in=daily)
        .select_related("recipient", "actor")
        .order_by("recipient_id", "created_at")
    )
    items = list(pending)
    resolve(items)  # each for its recipient
    for notification in items:
        if notification.mailable:
            by_user.setdefault(notification.recipient_id, []).append(notification)
    return by_user


def overview(user: User, now: datetime | None = None) -> tuple[str, list[Section]]:
    """ "Din oversigt": what the member's digest would hold now, for the page in
    the site (the mail is never the only place to see it). Returns the
    frequency the period is counted by and the sections with content; a member
    who chose no digest sees the last week. The same sections and the same
    permission rules as the mail."""
    now = now or timezone.now()
    frequency = frequency_of(user)
    if frequency == DigestFrequency.NEVER:
        frequency = DigestFrequency.WEEKLY
    users = _load(User.objects.members().filter(pk=user.pk, erased_at=None))
    if not users:
        return frequency, []
    users[0].digest_frequency = frequency
    digests = build(users, now, notifications=False)
    return frequency, (digests[0].sections if digests else [])


def overview_url() -> str:
    return absolute_url(reverse("notifications:digest_overview"))


# --- Unsubscribing -----------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first()


def unsubscribe_url(user: User) -> str:
    path = reverse("notifications:digest_unsubscribe", kwargs={"token": unsubscribe_token(user)})
    return absolute_url(path)


@transaction.atomic
def set_frequency(*, user: User, frequency: str) -> None:
    DigestSetting.objects.update_or_create(user=user, defaults={"frequency": frequency})


# --- Sending -----------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _cached_url(name: str, language: str | None, base: str) -> str:
    return absolute_url(reverse(name))


def _fixed_url(name: str) -> str:
    """A page's absolute address in the active language (reversed once per language)."""
    return _cached_url(name, translation.get_language(), base_url())


@dataclass
class RenderedSection:
    """A section as a mail shows it: its items rendered for the plain-text and
    the HTML part."""

    title: str
    html_template: str
    text: str
    html: str


class Renderer:
    """Renders the mails of a batch of digests with as little template work per
    member as their content allows: each template compiled once, the subject
    rendered once per language and kind of period, and a section's items
    rendered once per language for all the members who get the same items
    (members with the same skills or follows get the same threads). Section
    templates see ``items`` and ``base_url`` (and the active language), nothing
    about the member: what they render depends on the items alone."""

    def __init__(self):
        self._templates: dict[str, Template] = {}
        self._subjects: dict[tuple, str] = {}
        self._fragments: dict[tuple, tuple[list, str]] = {}

    def template(self, name: str) -> Template:
        if name not in self._templates:
            self._templates[name] = get_template(name).template
        return self._templates[name]

    def subject(self, weekly: bool) -> str:
        """The subject template's output (what the HTML part's title shows)."""
        key = (translation.get_language(), weekly)
        if key not in self._subjects:
            template = self.template("notifications/email/digest_subject.txt")
            self._subjects[key] = template.render(Context({"weekly": weekly}))
        return self._subjects[key]

    def fragment(self, name: str, items: list, *, autoescape: bool) -> str:
        key = (name, translation.get_language(), autoescape, tuple(map(id, items)))
        found = self._fragments.get(key)
        if found is None:
            context = Context({"items": items, "base_url": base_url()}, autoescape=autoescape)
            # The items are kept with their text: their ids in the key stay theirs.
            found = self._fragments[key] = (items, self.template(name).render(context))
        return found[1]

    def section(self, section: Section) -> RenderedSection:
        html_name = section.html_template or section.template
        return RenderedSection(
            title=section.title,
            html_template=section.html_template,
            text=self.fragment(section.template, section.items, autoescape=False),
            html=self.fragment(html_name, section.items, autoescape=True),
        )

    def render(self, digest: Digest) -> EmailMultiAlternatives:
        user = digest.user
        token_url = unsubscribe_url(user)
        weekly = digest.period.startswith("w")
        with translation.override(user.language):
            subject = self.subject(weekly)
            context = {
                "user": user,
                "digest": digest,
                "sections": [self.section(section) for section in digest.sections],
                "weekly": weekly,
                "subject": subject,
                "base_url": base_url(),
                "unsubscribe_url": token_url,
                "settings_url": _fixed_url("notifications:digest_settings"),
                "overview_url": _fixed_url("notifications:digest_overview"),
            }
            body = self.template("notifications/email/digest.txt").render(Context(context))
            html = self.template("notifications/email/digest.html").render(Context(context))
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=body,
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{token_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(html, "text/html")
        return message


def render(digest: Digest, renderer: Renderer | None = None) -> EmailMultiAlternatives:
    """The mail of one digest (a batch shares one `Renderer`)."""
    return (renderer or Renderer()).render(digest)


def send_personal_digests(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Queue the personal digests due now, a batch of members at a time; each
    batch records what it queued (`DigestSent`) in the same transaction, so a
    re-run of the period sends nothing twice. Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    after = 0
    while True:
        users = _load(_due(now).filter(pk__gt=after), limit=batch_size)
        if not users:
            break
        after = users[-1].pk
        digests = build(users, now)
        if not digests:
            continue
        renderer = Renderer()  # per batch: its fragments hold the batch's items
        messages = [(digest, renderer.render(digest)) for digest in digests]
        try:
            with transaction.atomic():
                _record(digests, now)
                enqueue_messages((message, _receipt(digest)) for digest, message in messages)
        except IntegrityError:
            # A second run of the same period got to some of these members first:
            # one at a time, skipping those it already recorded.
            sent = 0
            for digest, message in messages:
                try:
                    with transaction.atomic():
                        _record([digest], now)
                        _enqueue(digest, message)
                except IntegrityError:
                    continue
                sent += 1
            queued += sent
            continue
        queued += len(digests)
    return queued


def _record(digests: list[Digest], now: datetime) -> None:
    DigestSent.objects.bulk_create(
        DigestSent(
            user=digest.user,
            period=digest.period,
            sections=[s.name for s in digest.sections],
            created_at=now,
        )
        for digest in digests
    )


def _receipt(digest: Digest) -> tuple[str, list[int]] | None:
    from notifications.services import EMAILED_RECEIPT

    return (EMAILED_RECEIPT, digest.notification_ids) if digest.notification_ids else None


def _enqueue(digest: Digest, message) -> None:
    enqueue_message(message, receipt=_receipt(digest))


def had_digest_today(now: datetime | None = None):
    """A queryset of user ids who got a personal digest on this (Danish) day."""
    local = timezone.localtime(now or timezone.now())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return DigestSent.objects.filter(created_at__gte=start).values("user_id")
