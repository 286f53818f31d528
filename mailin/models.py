from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    POSTED = "posted", _("Posted")
    HELD = "held", _("Held for approval")
    DUPLICATE = "duplicate", _("Same text already posted")
    EMPTY = "empty", _("No text")
    NO_TOKEN = "no_token", _("No reply address")
    BAD_TOKEN = "bad_token", _("Unknown or forged reply address")
    WRONG_SENDER = "wrong_sender", _("Sender does not match the member")
    THREAD_CLOSED = "thread_closed", _("Thread locked, gone or not readable")
    MEMBER_BARRED = "member_barred", _("Member silenced or suspended")
    RATE_LIMITED = "rate_limited", _("Too many posts")
    AUTO_REPLY = "auto_reply", _("Auto-reply")
    BOUNCE = "bounce", _("Bounce")
    LOOP = "loop", _("Our own mail")
    ERROR = "error", _("Could not be read")


class InboundMail(models.Model):
    """One mail `manage.py fetch_mail` processed, recorded once by its Message-ID
    (or a digest of its bytes when it has none): a re-run never posts twice."""

    message_id = models.CharField(max_length=255, unique=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    sender = models.CharField(max_length=254, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_mails",
    )
    thread_id = models.PositiveBigIntegerField(null=True, blank=True)
    post_id = models.PositiveBigIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("incoming mail")
        verbose_name_plural = _("incoming mails")

    def __str__(self):
        return f"{self.message_id} ({self.outcome})"
