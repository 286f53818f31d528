"""The help relay's records: every member asked about a question, and how far
the relay has got with each question."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    """Who was asked, in the order the relay asks them."""

    RELAY = "relay", _("Members who can help")
    DUTY = "duty", _("Helpers on duty")
    MODERATORS = "moderators", _("Moderators")
    INVITED = "invited", _("Invited by the asker")


STEP_ORDER = {Step.RELAY: 1, Step.DUTY: 2, Step.MODERATORS: 3}


class RelayRequestQuerySet(models.QuerySet):
    def for_thread(self, thread):
        return self.filter(thread=thread)

    def asked_since(self, since):
        return self.filter(asked_at__gte=since)

    def relayed(self):
        """Requests the relay made (relay, duty, moderators), not the asker's
        own invitations: what the network's health figures count."""
        return self.exclude(step=Step.INVITED)


class RelayRequest(models.Model):
    """One member asked to look at one question: never twice (unique)."""

    thread = models.ForeignKey(
        "forum.Thread",
        on_delete=models.CASCADE,
        related_name="relay_requests",
        verbose_name=_("question"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="relay_requests",
        verbose_name=_("member asked"),
    )
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    # Set by the relay's next run once the member replied in the thread.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # "Ikke lige nu": the member declined from the mail.
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)

    objects = RelayRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        constraints = [
            models.UniqueConstraint(fields=["thread", "member"], name="relay_ask_once"),
        ]
        indexes = [
            models.Index(fields=["member", "-asked_at"], name="relay_member_recent_idx"),
        ]

    def __str__(self):
        return f"{self.thread_id} → {self.member_id} ({self.step})"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class RelayProgress(models.Model):
    """How far the relay has got with one question: the last step taken
    (0: none). A step is taken by the one run that moves it on (compare and
    set), so two runs at once never take the same step twice."""

    thread = models.OneToOneField(
        "forum.Thread", on_delete=models.CASCADE, related_name="relay_progress"
    )
    step = models.PositiveSmallIntegerField(default=0)
    # The words of the skills matched at the first step ("moms"), for the asker's notice.
    topic = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when the relay stopped: someone replied, or every step was taken.
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("relay progress")
        verbose_name_plural = _("relay progress")

    def __str__(self):
        return f"{self.thread_id}: {self.step}"


class CategoryRelay(models.Model):
    """A category's own delay before an unanswered question is relayed."""

    category = models.OneToOneField(
        "forum.Category",
        on_delete=models.CASCADE,
        related_name="relay_setting",
        verbose_name=_("category"),
    )
    delay_hours = models.PositiveSmallIntegerField(
        _("relay after this many waking hours without a reply"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
    )
    enabled = models.BooleanField(_("relay unanswered questions"), default=True)

    class Meta:
        verbose_name = _("category relay setting")
        verbose_name_plural = _("category relay settings")

    def __str__(self):
        return str(self.category)
