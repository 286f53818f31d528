from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleAssignment, User

MAX_BODY_CHARS = 50_000
# Members holding any of these roles read the handbook and take the course.
COURSE_ROLES = (Role.ORGANISER, Role.MODERATOR, Role.NETWORK_LEADER)


class PageQuerySet(models.QuerySet):
    def for_listing(self):
        """What a list of pages shows: no text."""
        return self.only("pk", "slug", "title", "language", "lesson_number", "updated_at").order_by(
            "title", "pk"
        )

    def lessons(self):
        """The course, in order."""
        return self.filter(lesson_number__isnull=False).order_by("lesson_number", "pk")

    def with_completion(self, user):
        """Annotate `is_completed`: whether `user` has marked the page as read."""
        return self.annotate(
            is_completed=Exists(
                LessonCompletion.objects.filter(page=OuterRef("pk"), user_id=user.pk)
            )
        )

    def for_detail(self):
        return self.select_related("updated_by")


class Page(models.Model):
    """A page of the handbook, in Markdown; the history is in PageRevision."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text (Markdown)"), max_length=MAX_BODY_CHARS)
    # The language the title and text were written in (the interface language of
    # whoever saved them last), so the page can mark them: lang="da" under /en/.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    body_html = models.TextField(editable=False)
    lesson_number = models.PositiveSmallIntegerField(
        _("lesson number"),
        null=True,
        blank=True,
        help_text=_(
            "Pages with a number make up the course for new moderators and organisers, "
            "in that order. Leave empty for an ordinary page."
        ),
    )
    revision_number = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("handbook page")
        verbose_name_plural = _("handbook pages")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lesson_number"], name="handbook_one_page_per_lesson"),
            models.CheckConstraint(
                condition=models.Q(lesson_number__isnull=True) | models.Q(lesson_number__gte=1),
                name="handbook_lesson_number_from_one",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("handbook:page_detail", kwargs={"slug": self.slug})

    @property
    def is_lesson(self) -> bool:
        return self.lesson_number is not None


class PageRevision(models.Model):
    """One saved version of a page; every save adds one, numbered from 1."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    editor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")
        ordering = ["page", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "number"], name="handbook_revision_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.page} v{self.number}"


class LessonCompletion(models.Model):
    """A member has read and understood one lesson of the course."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="lesson_completions",
        verbose_name=_("member"),
    )
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="completions", verbose_name=_("lesson")
    )
    completed_at = models.DateTimeField(_("read and understood"), default=timezone.now)

    class Meta:
        verbose_name = _("completed lesson")
        verbose_name_plural = _("completed lessons")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page"], name="handbook_one_completion_per_lesson"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.page}"


def course_participants(qs=None):
    """Everyone expected to take the course: members holding a role, with their
    roles and completed lessons loaded (`completed_page_ids`)."""
    qs = User.objects.all() if qs is None else qs
    return (
        qs.members()
        .filter(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=COURSE_ROLES)))
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role")),
            Prefetch(
                "lesson_completions",
                queryset=LessonCompletion.objects.filter(page__lesson_number__isnull=False).only(
                    "pk", "user_id", "page_id", "completed_at"
                ),
                to_attr="lesson_completion_list",
            ),
        )
        .only("pk", "display_name", "email", "language", "is_active")
        .order_by(Lower("display_name"), "pk")
    )
