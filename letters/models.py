"""The network letter ("Netværksbrevet"): an issue composed by an editor from
picked solved threads, meetups, needs and knowledge cards plus Markdown text,
sent once to every member who has not opted out, and kept in an archive."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import Thread
from moeder.models import Meetup
from needs.models import Need
from viden.models import Card


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class LetterAudience(models.TextChoices):
    PUBLIC = "public", _("Everyone (public archive)")
    MEMBERS = "members", _("Members only")


class LetterKind(models.TextChoices):
    LETTER = "letter", _("Network letter")
    ANNOUNCEMENT = "announcement", _("Announcement")


class LetterQuerySet(models.QuerySet):
    def sent(self):
        """Sent (or sending) issues of the network letter, not announcements."""
        return self.exclude(status=LetterStatus.DRAFT).filter(kind=LetterKind.LETTER)


class Letter(models.Model):
    title = models.CharField(_("title"), max_length=150)
    intro = models.TextField(_("intro"), max_length=5_000)
    intro_html = models.TextField(editable=False)
    body = models.TextField(_("more text"), max_length=20_000, blank=True)
    body_html = models.TextField(editable=False, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    audience = models.CharField(
        _("archive page for"),
        max_length=10,
        choices=LetterAudience.choices,
        default=LetterAudience.PUBLIC,
    )
    kind = models.CharField(max_length=15, choices=LetterKind.choices, default=LetterKind.LETTER)
    # An announcement: the new thread in an "always mailed" category it mails.
    announced_thread = models.OneToOneField(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    threads = models.ManyToManyField(Thread, blank=True, related_name="+")
    meetups = models.ManyToManyField(Meetup, blank=True, related_name="+")
    needs = models.ManyToManyField(Need, blank=True, related_name="+")
    cards = models.ManyToManyField(Card, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("network letter")
        verbose_name_plural = _("network letters")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("letters:letter_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    @property
    def is_public(self) -> bool:
        return self.audience == LetterAudience.PUBLIC


class LetterDelivery(models.Model):
    """The letter was queued for this member: never twice (unique)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["letter", "user"], name="letters_one_delivery")
        ]

    def __str__(self):
        return f"{self.letter_id} → {self.user_id}"


class LetterOptOut(models.Model):
    """The member wants no network letters, or no announcements (one-click
    unsubscribe from either)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=15, choices=LetterKind.choices, default=LetterKind.LETTER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="letters_one_opt_out_per_kind")
        ]

    def __str__(self):
        return str(self.user_id)
