"""The shared duty rota: duties that leaders define and the slots members take.

Times are stored in UTC (USE_TZ) and entered and shown in settings.TIME_ZONE
(Europe/Copenhagen); `weekly_occurrences` repeats a slot by local wall-clock
time, so a weekly 09:00 slot stays at 09:00 across daylight-saving changes.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The rota shows this many upcoming slots per duty; the duty's page shows all.
ROTA_SLOTS_PER_DUTY = 8
MAX_WEEKS = 26


class Eligibility(models.TextChoices):
    MEMBERS = "members", _("Any member")
    MODERATORS = "moderators", _("Moderators and network leaders only")


class DutyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at=None)

    def archived(self):
        return self.exclude(archived_at=None)

    def for_rota(self, *, now: datetime):
        """Active duties with their next upcoming slots (and how many there are)."""
        upcoming = Q(slots__ends_at__gt=now)
        return (
            self.active()
            .annotate(upcoming_count=Count("slots", filter=upcoming))
            .prefetch_related(
                Prefetch(
                    "slots",
                    queryset=DutySlot.objects.upcoming(now=now)
                    .select_related("member")
                    .order_by("starts_at", "pk")[:ROTA_SLOTS_PER_DUTY],
                    to_attr="upcoming_slots",
                )
            )
            .order_by(Lower("name"), "pk")
        )


class Duty(models.Model):
    """A recurring job in the network, e.g. "Velkomstvært"."""

    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(
        _("description"),
        max_length=2000,
        blank=True,
        help_text=_("What the person on duty does. Sent to them when their slot starts."),
    )
    eligibility = models.CharField(
        _("who may take it"),
        max_length=20,
        choices=Eligibility.choices,
        default=Eligibility.MEMBERS,
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = DutyQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        indexes = [models.Index(Lower("name"), name="duties_duty_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("duties:duty_detail", kwargs={"pk": self.pk})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_for_moderators(self) -> bool:
        return self.eligibility == Eligibility.MODERATORS


class DutySlotQuerySet(models.QuerySet):
    def upcoming(self, *, now: datetime):
        """Slots not yet over: running now or still to come."""
        return self.filter(ends_at__gt=now)

    def for_duty_page(self, duty: "Duty", *, now: datetime):
        return (
            self.upcoming(now=now)
            .filter(duty=duty)
            .select_related("member")
            .order_by("starts_at", "pk")
        )

    def held_by(self, member, *, now: datetime):
        return (
            self.upcoming(now=now)
            .filter(member=member, duty__archived_at=None)
            .select_related("duty", "member")
            .order_by("starts_at", "pk")
        )

    def on_duty_now(self, *, now: datetime | None = None):
        """Held slots of active duties running now, with duty and member, in one query."""
        now = now or timezone.now()
        return (
            self.filter(
                starts_at__lte=now,
                ends_at__gt=now,
                member__isnull=False,
                member__is_active=True,
                duty__archived_at=None,
            )
            .select_related("duty", "member")
            .order_by(Lower("duty__name"), "starts_at", "pk")
        )


class DutySlot(models.Model):
    """One stretch of time for a duty, held by at most one member."""

    duty = models.ForeignKey(
        Duty, on_delete=models.CASCADE, related_name="slots", verbose_name=_("duty")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duty_slots",
        verbose_name=_("on duty"),
    )
    handover_note = models.TextField(_("handover note"), max_length=1000, blank=True)
    # When the current holder was told that the slot started; reset on every
    # change of holder or time, so each holder is told exactly once.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = DutySlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty slot")
        verbose_name_plural = _("duty slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="duties_slot_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["duty", "starts_at"], name="duties_one_slot_per_duty_and_start"
            ),
        ]
        indexes = [
            models.Index(fields=["duty", "ends_at", "starts_at"], name="duties_slot_duty_idx"),
            models.Index(fields=["member", "ends_at"], name="duties_slot_member_idx"),
            models.Index(fields=["ends_at", "starts_at"], name="duties_slot_time_idx"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.duty} – {local:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("duties:duty_detail", kwargs={"pk": self.duty_id})

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now

    def is_over(self, now: datetime) -> bool:
        return self.ends_at <= now

    def is_running(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


class NonexistentLocalTime(ValueError):
    """A wall-clock time that a daylight-saving change skips or repeats."""

    def __init__(self, when: datetime):
        super().__init__(when)
        self.when = when


def _local_to_utc(naive: datetime, zone) -> datetime:
    """Make a local wall-clock time aware; refuse times DST skips or repeats."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        # Inside the hour that is skipped (spring) or repeated (autumn).
        raise NonexistentLocalTime(naive)
    return first.astimezone(UTC)


def weekly_occurrences(
    starts_at: datetime, ends_at: datetime, *, weeks: int
) -> list[tuple[datetime, datetime]]:
    """The slot and its repeats a week apart, at the same local wall-clock times.

    A slot from Monday 09:00 to Friday 17:00 stays 09:00 to 17:00 Copenhagen time
    in the weeks after a daylight-saving change (so its length in UTC may
    differ by an hour). Raises NonexistentLocalTime when a repeat would start
    or end in the hour a change skips or repeats.
    """
    zone = timezone.get_default_timezone()
    local_start = timezone.localtime(starts_at, zone).replace(tzinfo=None)
    local_end = timezone.localtime(ends_at, zone).replace(tzinfo=None)
    occurrences = []
    for week in range(weeks):
        shift = timedelta(weeks=week)
        occurrences.append(
            (_local_to_utc(local_start + shift, zone), _local_to_utc(local_end + shift, zone))
        )
    return occurrences
