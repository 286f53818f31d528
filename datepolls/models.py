"""Date and venue polls inside a meetup draft: the organisers offer candidate
dates (Copenhagen time, stored in UTC) and venues, the audience answers
Ja / Hvis nødvendigt / Nej per option, and the organisers pick the winners."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moeder.models import Meetup


class OptionKind(models.TextChoices):
    DATE = "date", _("Date")
    VENUE = "venue", _("Venue")


class Vote(models.TextChoices):
    YES = "yes", _("Yes")
    IF_NEED_BE = "ifneedbe", _("If need be")
    NO = "no", _("No")


class Poll(models.Model):
    """One per meetup. Open while `opened_at` is set and `closed_at` is not;
    decided when a date or venue was chosen (the meetup is then published)."""

    meetup = models.OneToOneField(
        Meetup, on_delete=models.CASCADE, related_name="poll", verbose_name=_("meetup")
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    chosen_date = models.ForeignKey(
        "PollOption",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen date"),
    )
    chosen_venue = models.ForeignKey(
        "PollOption",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen venue"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Each opening is a round of invitations; the task sending a round marks
    # it done here, so a restarted worker sends no round twice.
    invite_round = models.PositiveIntegerField(default=0, editable=False)
    invited_round = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")

    def __str__(self):
        return str(self.meetup)

    def get_absolute_url(self):
        return reverse("datepolls:poll_detail", kwargs={"meetup_pk": self.meetup_id})

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None


class PollOptionQuerySet(models.QuerySet):
    def for_grid(self):
        """In order, with the totals per answer."""
        return self.order_by("kind", "position", "pk").annotate(
            yes_count=Count("votes", filter=Q(votes__value=Vote.YES)),
            ifneedbe_count=Count("votes", filter=Q(votes__value=Vote.IF_NEED_BE)),
            no_count=Count("votes", filter=Q(votes__value=Vote.NO)),
        )


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(_("kind"), max_length=5, choices=OptionKind.choices)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    venue_name = models.CharField(_("venue"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PollOptionQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=OptionKind.DATE,
                        starts_at__isnull=False,
                        ends_at__gt=models.F("starts_at"),
                    )
                    | (Q(kind=OptionKind.VENUE) & ~Q(venue_name=""))
                ),
                name="datepolls_option_complete",
            )
        ]

    def __str__(self):
        if self.kind == OptionKind.DATE:
            return f"{timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"
        return ", ".join(p for p in (self.venue_name, self.address) if p)

    @property
    def is_date(self) -> bool:
        return self.kind == OptionKind.DATE


class PollVote(models.Model):
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes"
    )
    value = models.CharField(_("answer"), max_length=8, choices=Vote.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        constraints = [
            models.UniqueConstraint(fields=["option", "member"], name="datepolls_one_vote_each")
        ]
        indexes = [models.Index(fields=["member", "option"], name="datepolls_vote_member_idx")]

    def __str__(self):
        return f"{self.member}: {self.get_value_display()} ({self.option})"
