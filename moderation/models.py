"""Moderation: the actions it writes to the audit log (accounts.AuditEntry),
members' flags, the approval queue for new members' posts and moderators'
private notes on members."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Moderation's actions in the audit log (registered in ModerationConfig.ready)."""

    PIN = "pin", _("pinned the thread")
    UNPIN = "unpin", _("unpinned the thread")
    LOCK = "lock", _("locked the thread")
    UNLOCK = "unlock", _("unlocked the thread")
    MOVE = "move", _("moved the thread")
    MERGE = "merge", _("merged the threads")
    SPLIT = "split", _("split posts into a new thread")
    EDIT = "edit", _("edited the post")
    HIDE_POST = "hide_post", _("hid the post")
    UNHIDE_POST = "unhide_post", _("showed the post again")
    DELETE_POST = "delete_post", _("deleted the post")
    RESTORE_POST = "restore_post", _("restored the post")
    HIDE_THREAD = "hide_thread", _("hid the thread")
    UNHIDE_THREAD = "unhide_thread", _("showed the thread again")
    DELETE_THREAD = "delete_thread", _("deleted the thread")
    RESTORE_THREAD = "restore_thread", _("restored the thread")
    AUTO_HIDE = "auto_hide", _("hid the post after members' flags")
    DISMISS_FLAGS = "dismiss_flags", _("dismissed the flags")
    WARN = "warn", _("warned the member")
    SILENCE = "silence", _("silenced the member")
    SUSPEND = "suspend", _("suspended the member")
    LIFT = "lift", _("lifted a sanction")
    APPROVE = "approve", _("approved a post")
    REJECT = "reject", _("rejected a post")
    NOTE = "note", _("wrote a moderator note")
    CATEGORY_MODERATOR = "category_moderator", _("changed a category's moderators")


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or hurtful")
    OFF_TOPIC = "off_topic", _("Off-topic")
    MODERATOR = "moderator", _("Needs a moderator's attention")
    OTHER = "other", _("Something else")


class FlagOutcome(models.TextChoices):
    HIDDEN = "hidden", _("The post was hidden")
    EDITED = "edited", _("The post was edited")
    DELETED = "deleted", _("The post was deleted")
    DISMISSED = "dismissed", _("No action was needed")
    WARNED = "warned", _("The author was warned")
    SILENCED = "silenced", _("The author was silenced")


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def queue(self, category_ids=None):
        """Posts with open flags, most flagged and oldest first: one row per post
        with the count and the latest flag's time (the review queue)."""
        from forum.models import Post

        posts = Post.objects.filter(pk__in=self.open().values("post_id"))
        if category_ids is not None:
            posts = posts.filter(thread__category__in=category_ids)
        return (
            posts.annotate(
                open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)),
                last_flagged_at=Max("flags__created_at", filter=Q(flags__resolved_at__isnull=True)),
            )
            .select_related("thread", "thread__category", "author")
            .order_by("-open_flags", "last_flagged_at", "pk")
        )


class Flag(models.Model):
    """A member asks the moderators to look at a post."""

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(_("why"), max_length=12, choices=FlagReason.choices)
    text = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=FlagOutcome.choices, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "flagger"], name="moderation_one_flag_per_member"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.post}"


class QueueReason(models.TextChoices):
    NEW_MEMBER = "new_member", _("One of a new member's first posts")
    LINKS = "links", _("Many links from a new member")


class QueueState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class QueuedPostQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=QueueState.PENDING)

    def for_queue(self):
        return self.pending().select_related("author", "thread", "category").order_by("created_at")


class QueuedPost(models.Model):
    """A new member's post waiting for a moderator: not a post until approved
    (so no list, search, feed or notification can show it). Approval publishes
    it with its original time and sends its notifications then."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="queued_posts"
    )
    # A reply names its thread; a new thread names its category, kind, title and tags.
    thread = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="queued_posts"
    )
    category = models.ForeignKey(
        "forum.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True)
    tags_text = models.CharField(max_length=300, blank=True)
    body = models.TextField(_("text"), max_length=50_000)
    body_html = models.TextField(editable=False)
    submission_key = models.CharField(max_length=40, blank=True)
    why = models.CharField(_("why it waits"), max_length=12, choices=QueueReason.choices)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    state = models.CharField(max_length=10, choices=QueueState.choices, default=QueueState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=500, blank=True)
    post = models.ForeignKey(
        "forum.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = QueuedPostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("post awaiting approval")
        verbose_name_plural = _("posts awaiting approval")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="moderation_queued_once",
            )
        ]

    def __str__(self):
        return self.title or f"{self.thread} ({self.author})"

    def get_absolute_url(self):
        return reverse("moderation:approval_queue")

    @property
    def is_new_thread(self) -> bool:
        return self.thread_id is None


class ModeratorNote(models.Model):
    """A private note on a member, for moderators and network leaders only."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("moderator note")
        verbose_name_plural = _("moderator notes")

    def __str__(self):
        return f"{self.member}: {self.text[:40]}"
