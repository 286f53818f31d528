"""Categories, tags, threads and posts (with their revisions and category moderators)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import memos
from netvaerk.prepared import Prepared
from netvaerk.urlkit import fast_reverse

POSTS_PER_PAGE = 20


class Access(models.TextChoices):
    """Who may read a category, or start threads in it."""

    EVERYONE = "everyone", _("Everyone, also visitors who are not logged in")
    MEMBERS = "members", _("Members")
    STAFF = "staff", _("Moderators and network leaders")


class State(models.TextChoices):
    """Where moderation has put a thread or a post."""

    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")  # by a moderator or by members' flags; the author sees why
    DELETED = "deleted", _("Deleted")  # soft: network leaders can restore it
    MERGED = "merged", _("Merged")  # threads only: its posts live on in `merged_into`


class ThreadKind(models.TextChoices):
    QUESTION = "question", _("Question")
    DISCUSSION = "discussion", _("Discussion")


class CategoryQuerySet(models.QuerySet):
    def ordered(self):
        return self.order_by("position", "name")

    def for_index(self, threads):
        """The index: each category with its latest thread among `threads` (the
        viewer's `forum.permissions.visible_threads`, so that a hidden or deleted
        thread's title never shows as a category's latest)."""
        latest = threads.filter(category=OuterRef("pk")).order_by("-last_posted_at", "-pk")
        return self.ordered().annotate(
            latest_thread_id=Subquery(latest.values("pk")[:1]),
            latest_thread_title=Subquery(latest.values("title")[:1]),
            latest_thread_language=Subquery(latest.values("language")[:1]),
            latest_thread_slug=Subquery(latest.values("slug")[:1]),
            latest_posted_at=Subquery(latest.values("last_posted_at")[:1]),
        )

    def with_removed_counts(self, threads):
        """`hidden_count` and `deleted_count`: how many of `threads` (the viewer's
        `reachable_threads`, for those who moderate) a moderator took off the lists,
        so that moderators see that something is hidden without its title."""

        def count(state):
            rows = (
                threads.filter(category=OuterRef("pk"), state=state)
                .order_by()
                .values("category")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            )
            return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)

        return self.annotate(hidden_count=count(State.HIDDEN), deleted_count=count(State.DELETED))


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    read_access = models.CharField(
        _("who may read"), max_length=10, choices=Access.choices, default=Access.MEMBERS
    )
    start_access = models.CharField(
        _("who may start threads"), max_length=10, choices=Access.choices, default=Access.MEMBERS
    )
    # Announcements: a new thread here is e-mailed to every member (unless they
    # opted out); only organisers and network leaders may start one.
    always_mailed = models.BooleanField(
        _("always mailed (announcements)"),
        default=False,
        help_text=_(
            "A new thread here is e-mailed to every member who has not opted out of "
            "announcements. Only organisers and network leaders may start one."
        ),
    )
    thread_count = models.PositiveIntegerField(_("threads"), default=0, editable=False)
    post_count = models.PositiveIntegerField(_("posts"), default=0, editable=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        memos.forget()

    def get_absolute_url(self):
        return fast_reverse("forum:category_detail", slug=self.slug)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        memos.forget()
        return result


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=50, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return fast_reverse("forum:tag_detail", slug=self.slug)


class ThreadQuerySet(models.QuerySet):
    def for_listing(self, user):
        """What a thread list shows, never a post body; unread state for `user`
        (`load_tags` adds the tags of the page's threads)."""
        qs = self.select_related("category", "author", "last_poster").order_by(
            "-is_pinned", "-last_posted_at", "-pk"
        )
        if user.is_authenticated:
            read = ThreadRead.objects.filter(user=user, thread=OuterRef("pk"))
            qs = qs.annotate(last_read_number=Subquery(read.values("last_read_number")[:1]))
        return qs

    def published(self):
        return self.filter(state=State.PUBLISHED)

    def questions(self):
        return self.filter(kind=ThreadKind.QUESTION)

    def unanswered(self):
        return self.questions().filter(reply_count=0)

    def unsolved(self):
        return self.questions().filter(accepted_post__isnull=True)

    def solved(self):
        return self.filter(accepted_post__isnull=False)


class Thread(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="threads", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, allow_unicode=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ThreadKind.choices, default=ThreadKind.QUESTION
    )
    # The language of the title (its author's language then), so pages
    # can mark it: lang="da" on Danish text under /en/ (WCAG 3.1.2).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="threads",
        verbose_name=_("author"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="threads", verbose_name=_("tags"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_posted_at = models.DateTimeField(_("last activity"), default=timezone.now)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    first_reply_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    accepted_post = models.ForeignKey(
        "Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted answer"),
    )
    # When the answer was accepted (the personal digest's "newly solved").
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    # "What did you end up doing?": the asker's note under the accepted answer
    # (closing the loop; searchable with the accepted answer).
    outcome = models.TextField(_("what I ended up doing"), max_length=2000, blank=True)
    outcome_html = models.TextField(editable=False, blank=True)
    outcome_at = models.DateTimeField(_("outcome written"), null=True, blank=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    lock_reason = models.CharField(_("why it is locked"), max_length=300, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PUBLISHED
    )
    moderation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            # The lists' full order (pinned, latest, id as the tie-break), so
            # that no list sorts its threads: it reads the first page off these.
            models.Index(
                fields=["-is_pinned", "-last_posted_at", "-id"], name="forum_thread_latest_idx"
            ),
            models.Index(
                fields=["category", "-is_pinned", "-last_posted_at", "-id"],
                name="forum_thread_category_idx",
            ),
            models.Index(
                fields=["kind", "reply_count", "created_at"], name="forum_thread_unanswered_idx"
            ),
            # The index's latest thread per category (id breaks ties, so
            # threads posted at the same moment need no sort).
            models.Index(
                fields=["category", "-last_posted_at", "-id"], name="forum_thread_cat_latest_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return fast_reverse("forum:thread_detail", pk=self.pk, slug=self.slug)

    @property
    def post_count(self) -> int:
        return self.reply_count + 1

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION

    @property
    def is_solved(self) -> bool:
        return self.accepted_post_id is not None

    @property
    def is_unread(self) -> bool:
        last_read = getattr(self, "last_read_number", None)
        return last_read is None or last_read < self.post_count

    @property
    def new_post_count(self) -> int:
        """Posts since the member's last visit (0 if never opened: then all are new)."""
        last_read = getattr(self, "last_read_number", None)
        return self.post_count - last_read if last_read else 0

    @property
    def time_to_first_answer(self):
        return self.first_reply_at - self.created_at if self.first_reply_at else None


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=State.PUBLISHED)

    def for_thread_page(self):
        """The posts of a thread page with their authors; ``load_thanks`` adds
        who thanked them (one query, only when a post on the page has thanks)."""
        return self.select_related("author").defer(*SEARCH_COLUMNS).order_by("number")

    def with_bookmarked_by(self, user):
        """``post.bookmarked_by_me`` for ``user``, in the same query."""
        from forum.models.member import Bookmark  # member.py builds on this module

        return self.annotate(
            bookmarked_by_me=Exists(Bookmark.objects.filter(user=user, post=OuterRef("pk")))
        )


def _tags_of(thread_ids):
    return (
        Thread.tags.through.objects.filter(thread_id__in=thread_ids)
        .order_by("tag__name", "tag_id")
        .values_list("thread_id", "tag_id", "tag__name", "tag__slug")
    )


# Built once per number of threads (netvaerk.prepared).
_TAGS_OF = Prepared(_tags_of, lambda thread_ids: len(thread_ids))


# PostgreSQL's full-text vectors on forum_post (large; only search reads them, in SQL).
SEARCH_COLUMNS = ("search_vector", "head_vector")


def load_tags(threads: list) -> None:
    """``thread.tag_list`` (by name) for loaded threads in one small query
    (a prefetch costs Django several times as much to build)."""
    by_thread: dict[int, list] = {thread.pk: [] for thread in threads}
    if by_thread:
        for thread_id, tag_id, name, slug in _TAGS_OF.list(list(by_thread)):
            by_thread[thread_id].append(Tag(pk=tag_id, name=name, slug=slug))
    for thread in threads:
        thread.tag_list = by_thread[thread.pk]


def load_thanks(posts: list) -> None:
    """``post.reaction_list`` (the thanks, with who gave them, oldest first) for
    loaded posts: one query for the posts whose ``reaction_count`` says they
    have thanks, none when no post has."""
    from forum.models.member import Reaction  # member.py builds on this module

    thanked = [post for post in posts if post.reaction_count]
    for post in posts:
        if not post.reaction_count:
            post.reaction_list = []
    if thanked:
        prefetch_related_objects(
            thanked,
            Prefetch(
                "reactions",
                queryset=Reaction.objects.select_related("user").order_by("created_at"),
                to_attr="reaction_list",
            ),
        )


class Post(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    number = models.PositiveIntegerField(_("number in the thread"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), max_length=50_000)
    body_html = models.TextField(editable=False)
    # The language it was written in (the author's language then), so pages
    # can mark it: lang="da" on Danish text under /en/ (WCAG 3.1.2).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # Goes up with each change of the text: an edit form submits the version it
    # started from, and a save from an older version is refused (no lost edits).
    version = models.PositiveIntegerField(default=1, editable=False)
    reaction_count = models.PositiveIntegerField(_("thanks"), default=0)
    # PostgreSQL full-text index (title A, tags B, body C; `danish` config),
    # kept in step by forum.search. Unused (NULL) on SQLite, which has FTS5.
    search_vector = SearchVectorField(null=True, editable=False)
    # PostgreSQL: the title and tags alone (first posts only), a small vector
    # whose own GIN index finds and ranks title matches without reading bodies.
    head_vector = SearchVectorField(null=True, editable=False)
    submission_key = models.CharField(max_length=40, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PUBLISHED
    )
    moderation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="forum_post_number_unique"),
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="forum_post_submission_once",
            ),
        ]

    def __str__(self):
        return f"{self.thread} #{self.number}"

    def get_absolute_url(self):
        return fast_reverse("forum:post_permalink", pk=self.pk)

    @property
    def page_number(self) -> int:
        return (self.number - 1) // POSTS_PER_PAGE + 1

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED


class ThreadRead(models.Model):
    """How far a member has read a thread: one row per member and thread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_reads"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read_number = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forum_one_read_per_thread")
        ]

    def __str__(self):
        return f"{self.user} – {self.thread}: {self.last_read_number}"


class PostRevision(models.Model):
    """One version of a post's text; the first edit also stores the original."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=150, blank=True)
    body = models.TextField(_("text"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="forum_revision_number_unique")
        ]

    def __str__(self):
        return f"{self.post} v{self.number}"


class CategoryModerator(models.Model):
    """A member who moderates one category (moderators and network leaders
    moderate every category)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="moderators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderated_categories"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("category moderator")
        verbose_name_plural = _("category moderators")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "user"], name="forum_one_category_moderator"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.category}"
