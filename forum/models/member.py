"""What a member keeps about threads and posts: read positions, thanks,
bookmarks, follows and drafts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models.content import Category, Post, Tag, Thread, ThreadKind


class Reaction(models.Model):
    """A member's "Tak" (thanks) for a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thanks")
        verbose_name_plural = _("thanks")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="forum_one_reaction_per_post")
        ]

    def __str__(self):
        return f"{self.user} → {self.post}"


class BookmarkQuerySet(models.QuerySet):
    def for_listing(self):
        return (
            self.select_related("post", "post__author", "post__thread", "post__thread__category")
            .defer("post__body", "post__body_html")
            .order_by("-created_at", "-pk")
        )


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="forum_one_bookmark_per_post")
        ]

    def __str__(self):
        return f"{self.user} → {self.post}"


class ThreadFollow(models.Model):
    """A member follows (or mutes) a thread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    is_muted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forum_one_follow_per_thread")
        ]

    def __str__(self):
        return f"{self.user} → {self.thread}"


class CategoryMailing(models.Model):
    """Mailing-list mode: the member gets every new post in the category by
    mail, with a personal reply address (forum.mailinglist)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_mailings"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="mailings")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="forum_one_mailing_per_category"
            )
        ]

    def __str__(self):
        return f"{self.user} ✉ {self.category}"


class CategoryFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_follows"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="forum_one_follow_per_category"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.category}"


class TagFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tag_follows"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="forum_one_follow_per_tag")
        ]

    def __str__(self):
        return f"{self.user} → {self.tag}"


class DraftQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("thread", "category").order_by("-updated_at", "-pk")


class Draft(models.Model):
    """Unsent text, kept on the server: one new-thread draft per member and one
    reply draft per member and thread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(max_length=12, choices=ThreadKind.choices, blank=True)
    title = models.CharField(max_length=150, blank=True)
    tags_text = models.CharField(max_length=300, blank=True)
    body = models.TextField(max_length=60_000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Goes up with each save: a save (or autosave) from an older version, e.g.
    # another tab, is refused instead of overwriting the newer text.
    version = models.PositiveIntegerField(default=1)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(thread__isnull=True), name="forum_one_new_thread_draft"
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="forum_one_reply_draft_per_thread",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.title or self.thread}"

    def get_absolute_url(self):
        if self.thread_id:
            return reverse("forum:reply_create", kwargs={"pk": self.thread_id})
        return reverse("forum:thread_create")
