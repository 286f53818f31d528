"""Writes for the handbook and the course; each in one transaction."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Role, User
from handbook.models import COURSE_ROLES, LessonCompletion, Page, PageRevision
from netvaerk.markup import clean_source, render_markdown
from notifications.services import notice

# Paths under /haandbog/ that a page's slug must not take.
RESERVED_SLUGS = frozenset({"ny", "kursus"})
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


class HandbookError(Exception):
    pass


class StaleEdit(HandbookError):
    """Someone saved the page after the editor started: refuse to overwrite."""

    def __init__(self, page: Page):
        super().__init__("the page changed since the edit began")
        self.page = page


class LessonNumberTaken(HandbookError):
    """Another page already is that lesson."""


class NotALesson(HandbookError):
    pass


def course_url() -> str:
    """Where to send a new moderator or organiser."""
    return reverse("handbook:course")


def point_to_course(*, user: User, role: str, actor: User | None) -> None:
    """A member got a role: point them to the course (listens to
    accounts.extensions.role_granted). Runs in the role change's transaction."""
    if role not in COURSE_ROLES:
        return
    label = Role(role).label
    notice(
        recipient=user,
        actor=actor,
        link=course_url(),
        message=lambda: (
            _(
                "You are now %(role)s. Start with the short course for moderators and "
                "tovholdere in the handbook."
            )
            % {"role": str(label).lower()}
        ),
    )


def slug_base(title: str) -> str:
    """A readable address from a title: "Lås en tråd" → "laas-en-traad"."""
    return slugify(title.translate(_DANISH))[:70].strip("-") or "side"


def unique_slug(title: str) -> str:
    base = slug_base(title)
    taken = set(Page.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _write(page: Page, update_fields: list[str] | None = None) -> None:
    """Save the page; a lesson number taken meanwhile becomes LessonNumberTaken."""
    try:
        with transaction.atomic():  # a savepoint, so that the caller's transaction survives
            page.save(update_fields=update_fields)
    except IntegrityError as error:
        if (
            page.lesson_number is not None
            and Page.objects.filter(lesson_number=page.lesson_number).exclude(pk=page.pk).exists()
        ):
            raise LessonNumberTaken(page.lesson_number) from error
        raise


@transaction.atomic
def create_page(*, title: str, body: str, lesson_number: int | None, author: User) -> Page:
    """A new page and its first version."""
    body = clean_source(body)
    now = timezone.now()
    page = Page(
        slug=unique_slug(title),
        title=title,
        body=body,
        body_html=render_markdown(body),
        language=author.language,
        lesson_number=lesson_number,
        revision_number=1,
        updated_by=author,
        updated_at=now,
    )
    _write(page)
    PageRevision.objects.create(
        page=page,
        number=1,
        title=title,
        body=body,
        language=page.language,
        editor=author,
        created_at=now,
    )
    return page


@transaction.atomic
def save_page(
    *,
    page: Page,
    editor: User,
    title: str,
    body: str,
    lesson_number: int | None,
    based_on_revision: int,
    restored_from: int | None = None,
    language: str | None = None,
) -> Page:
    """Change a page, keeping a new version whenever the title or text changes.

    Raises StaleEdit when the page has a newer version than `based_on_revision`
    (someone else saved meanwhile), LessonNumberTaken when another page already
    is that lesson, and MarkupError when the text cannot be rendered.
    A new version takes `language` (by default the editor's interface
    language), so the page can mark its text with lang=.
    """
    page = Page.objects.select_for_update().get(pk=page.pk)
    if page.revision_number != based_on_revision:
        raise StaleEdit(page)
    body = clean_source(body)
    fields = []
    if title != page.title or body != page.body:
        page.title = title
        page.body = body
        page.body_html = render_markdown(body)
        page.language = language or editor.language
        page.revision_number += 1
        page.updated_by = editor
        page.updated_at = timezone.now()
        fields += [
            "title",
            "body",
            "body_html",
            "language",
            "revision_number",
            "updated_by",
            "updated_at",
        ]
        PageRevision.objects.create(
            page=page,
            number=page.revision_number,
            title=title,
            body=body,
            language=page.language,
            editor=editor,
            restored_from=restored_from,
            created_at=page.updated_at,
        )
    if lesson_number != page.lesson_number:
        page.lesson_number = lesson_number
        fields.append("lesson_number")
    if fields:
        _write(page, fields)
    return page


@transaction.atomic
def restore_revision(*, revision: PageRevision, editor: User) -> Page:
    """Make an old version the current one; the history keeps everything."""
    page = Page.objects.select_for_update().get(pk=revision.page_id)
    return save_page(
        page=page,
        editor=editor,
        title=revision.title,
        body=revision.body,
        lesson_number=page.lesson_number,
        based_on_revision=page.revision_number,
        restored_from=revision.number,
        language=revision.language,  # the old text keeps the language it was written in
    )


@transaction.atomic
def complete_lesson(*, user: User, page: Page) -> LessonCompletion:
    """Mark a lesson as read and understood; marking it again changes nothing."""
    if not page.is_lesson:
        raise NotALesson(page.slug)
    completion, _ = LessonCompletion.objects.get_or_create(user=user, page=page)
    return completion
