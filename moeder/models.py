"""Meetups: physical and online meetings, with RSVP, waitlist and calendars.

Times are stored in UTC and entered and shown in Europe/Copenhagen (TIME_ZONE).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from netvaerk.urlkit import fast_reverse


class MeetupKind(models.TextChoices):
    NETWORK = "network", _("Network meeting")
    PROFESSIONAL = "professional", _("Professional meeting")
    SOCIAL = "social", _("Social event")
    WORKSHOP = "workshop", _("Workshop")
    ONLINE = "online", _("Online meeting")


class MeetupStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class MeetupQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[MeetupStatus.PUBLISHED, MeetupStatus.CANCELLED])

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def for_listing(self, user=None):
        """What a list shows: counts of seats taken and waiting, and my answer."""
        qs = self.select_related("created_by").annotate(
            seats_taken=Coalesce(
                Sum("rsvps__guests", filter=Q(rsvps__answer=Answer.YES, rsvps__waitlisted=False))
                + Count("rsvps", filter=Q(rsvps__answer=Answer.YES, rsvps__waitlisted=False)),
                0,
            ),
            waiting=Count("rsvps", filter=Q(rsvps__waitlisted=True)),
        )
        if user is not None and user.is_authenticated:
            mine = Rsvp.objects.filter(meetup=OuterRef("pk"), member=user)
            qs = qs.annotate(
                my_answer=models.Subquery(mine.values("answer")[:1]),
                my_waitlisted=models.Subquery(mine.values("waitlisted")[:1]),
            )
        return qs

    def hosted_by(self, user):
        return self.filter(Q(created_by=user) | Exists(MeetupHost.objects.filter(
            meetup=OuterRef("pk"), user=user)))  # fmt: skip


class Meetup(models.Model):
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, allow_unicode=True)
    description = models.TextField(_("description"), max_length=20_000, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    # The language of title and description (the organiser's language then), so pages
    # can mark it: lang="da" on Danish text under /en/ (WCAG 3.1.2).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    kind = models.CharField(
        _("kind"), max_length=14, choices=MeetupKind.choices, default=MeetupKind.NETWORK
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue_name = models.CharField(_("venue"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to those who have said yes."),
    )
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty: no limit. Guests take seats too.")
    )
    rsvp_deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    guests_allowed = models.PositiveSmallIntegerField(
        _("guests per member"), default=0, help_text=_("How many guests each member may bring.")
    )
    # Empty: every member is invited; else members of these regions.
    regions = models.JSONField(_("regions"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetupStatus.choices, default=MeetupStatus.DRAFT
    )
    cancel_reason = models.CharField(_("why it is cancelled"), max_length=500, blank=True)
    # Tentative: held only if at least `min_attendees` say yes before `decide_at`.
    min_attendees = models.PositiveIntegerField(_("held if at least"), null=True, blank=True)
    decide_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meetups_created",
        verbose_name=_("organiser"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # iCalendar: one UID for the meetup's whole life, SEQUENCE up on every change
    # of time, place or status.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    thread = models.OneToOneField(
        "forum.Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetup",
        verbose_name=_("discussion thread"),
    )
    # Invited besides the audience: supporters of a need, voters in a date poll,
    # members who asked for a meetup in a thread (they may live elsewhere).
    extra_invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("also invited")
    )
    # Who answered and came, as figures only, once the answers themselves are
    # past their retention (moeder.retention): {"yes": 12, "came": 10, …}.
    archived_counts = models.JSONField(default=dict, blank=True, editable=False)
    # The longest the waitlist has been (for the organisers' insights).
    waitlist_peak = models.PositiveIntegerField(default=0, editable=False)
    # Invitations: how many members the audience had when published (progress).
    invitations_planned = models.PositiveIntegerField(default=0, editable=False)

    objects = MeetupQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meetup")
        verbose_name_plural = _("meetups")
        indexes = [models.Index(fields=["status", "starts_at"], name="moeder_meetup_upcoming_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="moeder_meetup_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return fast_reverse("moeder:meetup_detail", pk=self.pk, slug=self.slug)

    @property
    def is_draft(self) -> bool:
        return self.status == MeetupStatus.DRAFT

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetupStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_tentative(self) -> bool:
        return self.min_attendees is not None

    @property
    def region_labels(self) -> list[str]:
        return [str(Region(r).label) for r in self.regions if r in Region.values]

    @property
    def map_url(self) -> str:
        """A plain link to a map search (nothing embedded that calls out)."""
        from urllib.parse import quote

        place = ", ".join(p for p in (self.venue_name, self.address) if p)
        return f"https://www.openstreetmap.org/search?query={quote(place)}" if place else ""


class MeetupHost(models.Model):
    """A co-host: organises the meetup with its creator."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="hosts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meetups_hosted"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meetup", "user"], name="moeder_one_host_row")
        ]

    def __str__(self):
        return f"{self.user} @ {self.meetup}"


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")


class Question(models.Model):
    """A question the organisers ask with the RSVP, e.g. "Kostbehov"."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(
        _("kind of answer"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class RsvpQuerySet(models.QuerySet):
    def attending(self):
        return self.filter(answer=Answer.YES, waitlisted=False)

    def waiting(self):
        return self.filter(waitlisted=True).order_by("waitlisted_at", "pk")


class Rsvp(models.Model):
    """A member's answer to a meetup: one row per member and meetup."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices)
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    waitlisted = models.BooleanField(_("on the waitlist"), default=False)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    show_in_list = models.BooleanField(_("show my name in the list of who is coming"), default=True)
    morning_reminder = models.BooleanField(_("remind me on the morning of the day"), default=False)
    checked_in_at = models.DateTimeField(_("came"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    withdrew_late = models.BooleanField(default=False, editable=False)

    objects = RsvpQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["meetup", "member"], name="moeder_one_rsvp_per_member")
        ]
        indexes = [models.Index(fields=["meetup", "answer", "waitlisted"], name="moeder_rsvp_idx")]

    def __str__(self):
        return f"{self.member}: {self.get_answer_display()} ({self.meetup})"

    @property
    def seats(self) -> int:
        return 1 + self.guests


class QuestionAnswer(models.Model):
    rsvp = models.ForeignKey(Rsvp, on_delete=models.CASCADE, related_name="question_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField(max_length=500, blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rsvp", "question"], name="moeder_one_answer_each")
        ]

    def __str__(self):
        return self.display

    @property
    def display(self) -> str:
        return ", ".join(self.choices) if self.choices else self.text


class Invitation(models.Model):
    """A member was invited by email (one row each: nothing is sent twice)."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meetup_invitations"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meetup", "member"], name="moeder_one_invitation")
        ]

    def __str__(self):
        return f"{self.member} → {self.meetup}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A member's secret address for their personal calendar feed (regenerable)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user}"


class ReminderSent(models.Model):
    """A reminder (the day before, the morning of, the recap) went to a member:
    one row each, so a restarted worker never sends one twice."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="reminders_sent")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # "day_before", "morning", "recap"
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meetup", "member", "kind"], name="moeder_one_reminder")
        ]

    def __str__(self):
        return f"{self.kind}: {self.member} ({self.meetup})"
