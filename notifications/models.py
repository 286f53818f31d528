from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NOTICE = "notice"  # a free-text notice; the other kinds belong to the apps that send them


class NotificationQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("actor").order_by("-created_at", "-pk")

    def unread(self):
        return self.filter(read_at__isnull=True)

    def about(self, subject):
        """Notifications pointing at `subject` (a post, a thread, a meetup …)."""
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)  # a name registered in notifications.extensions.kinds
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What it is about (a post, a thread …); the owning app resolves it for display.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # What a notice says (e.g. the reason a post was hidden), in the recipient's language,
    # and in each language of the site ({"da": …, "en": …}): shown in the reader's.
    message = models.CharField(max_length=500, blank=True)
    texts = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, blank=True)  # where a notice without a subject leads
    count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.kind}"

    def get_absolute_url(self):
        return reverse("notifications:notification_open", kwargs={"pk": self.pk})

    @property
    def text(self) -> str:
        """What the notice says, in the language the page or mail is in."""
        language = (translation.get_language() or "").split("-")[0]
        return self.texts.get(language) or self.message

    @property
    def target_url(self) -> str:
        """Where opening it leads (after `notifications.services.resolve`)."""
        return self.link or getattr(self, "subject_url", "")


# --- Private conversations ----------------------------------------------------------
# Between 2 and 10 members; only participants may read them (notifications.permissions).


class ConversationQuerySet(models.QuerySet):
    def for_member(self, user):
        """The conversations `user` takes part in (not left), newest first, with
        `unread` (others' messages since they last read), `muted` and
        `people` (the participants with their users) loaded."""
        mine = Participant.objects.filter(conversation=models.OuterRef("pk"), user=user)
        unread = (
            Message.objects.filter(
                conversation=models.OuterRef("pk"),
                created_at__gte=models.OuterRef("last_read"),
            )
            .exclude(author=user)
            .order_by()
            .values("conversation")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return (
            self.filter(participants__user=user, participants__left_at=None)
            .annotate(
                last_read=models.Subquery(mine.values("last_read_at")[:1]),
                muted=models.Subquery(mine.values("muted")[:1]),
            )
            .annotate(unread=Coalesce(models.Subquery(unread), 0))
            .prefetch_related(
                models.Prefetch(
                    "participants",
                    queryset=Participant.objects.filter(left_at=None)
                    .select_related("user")
                    .order_by("joined_at", "pk"),
                    to_attr="people",
                )
            )
            .order_by("-last_message_at", "-pk")
        )


class Conversation(models.Model):
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return self.subject or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("conversations:conversation_detail", kwargs={"pk": self.pk})


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_seats"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    muted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_seat_per_member")
        ]

    def __str__(self):
        return f"{self.user} in {self.conversation_id}"


class MessageQuerySet(models.QuerySet):
    def for_reading(self):
        return self.select_related("author").order_by("created_at", "pk")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Removed by a moderator after a report: the text is gone, a notice shows.
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_list_idx")]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class Block(models.Model):
    """`blocker` no longer hears from `blocked`: no new conversation, no adding,
    no new messages in the conversations they share."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("blocked member")
        verbose_name_plural = _("blocked members")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair")
        ]

    def __str__(self):
        return f"{self.blocker} blocks {self.blocked}"


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly (Monday morning)")
    DAILY = "daily", _("Daily")
    NEVER = "never", _("Never")


class DigestSetting(models.Model):
    """How often a member wants the personal digest. No row: weekly (never when
    the member asked for no notification mail at all)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_setting"
    )
    frequency = models.CharField(
        _("send me the personal digest"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )

    class Meta:
        verbose_name = _("digest setting")
        verbose_name_plural = _("digest settings")

    def __str__(self):
        return f"{self.user}: {self.frequency}"


class DigestSent(models.Model):
    """A personal digest queued for a member and period ("d2026-12-07",
    "w2026-50"): one row each, so a second run of the same period sends nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_digests"
    )
    period = models.CharField(max_length=20)
    sections = models.JSONField(default=list, blank=True)  # the names of the sections sent
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="notifications_one_digest")
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="notifications_digest_idx")]

    def __str__(self):
        return f"{self.user}: {self.period}"


class ReportResolution(models.TextChoices):
    OPEN = "", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    REMOVED = "removed", _("Message removed")


class MessageReport(models.Model):
    """A participant reported a private message to the moderators. Moderators
    see that message and a few around it (notifications.reports), never the
    whole conversation."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("what is wrong?"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolution = models.CharField(
        max_length=10, choices=ReportResolution.choices, default="", blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reported message")
        verbose_name_plural = _("reported messages")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"], name="one_report_per_message_and_member"
            )
        ]
        indexes = [models.Index(fields=["resolution", "created_at"], name="report_queue_idx")]

    def __str__(self):
        return gettext("Report %(number)s of a private message") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("conversations:report_detail", args=[self.pk])
