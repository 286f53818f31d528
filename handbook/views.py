import difflib
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import require
from handbook import services
from handbook.forms import PageForm, markup_error_message
from handbook.models import COURSE_ROLES, Page, PageRevision, course_participants
from handbook.permissions import (
    can_edit_handbook,
    can_read_handbook,
    can_restore_revision,
    can_take_course,
    can_view_course_progress,
    can_view_history,
)
from netvaerk.markup import MarkupError
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes

LESSON_FIELDS = ("pk", "slug", "title", "language", "lesson_number")


@dataclass(frozen=True)
class CourseProgress:
    done: int
    total: int
    next_lesson: Page | None

    @property
    def is_finished(self) -> bool:
        return self.total > 0 and self.done == self.total


def _my_lessons(user) -> list[Page]:
    """The course in order, each lesson with `is_completed` for this member."""
    return list(Page.objects.lessons().with_completion(user).only(*LESSON_FIELDS))


def _progress(lessons: list[Page]) -> CourseProgress:
    remaining = [lesson for lesson in lessons if not lesson.is_completed]
    return CourseProgress(
        done=len(lessons) - len(remaining),
        total=len(lessons),
        next_lesson=remaining[0] if remaining else None,
    )


def _line_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Lines marked as kept ("same"), removed ("del") or added ("ins")."""
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "? ":
            continue
        lines.append(({"- ": "del", "+ ": "ins"}.get(tag, "same"), text))
    return lines


@login_required
def index(request):
    require(can_read_handbook(request.user))
    pages = page_of(request, Page.objects.for_listing().with_completion(request.user))
    return render(
        request,
        "handbook/index.html",
        {
            "page_obj": pages,
            "progress": _progress(_my_lessons(request.user)),
            "can_edit": can_edit_handbook(request.user),
            "can_view_course_progress": can_view_course_progress(request.user),
        },
    )


@login_required
def page_detail(request, slug):
    require(can_read_handbook(request.user))
    page = get_object_or_404(Page.objects.for_detail().with_completion(request.user), slug=slug)
    next_lesson = None
    if page.is_lesson:
        next_lesson = (
            Page.objects.lessons()
            .filter(lesson_number__gt=page.lesson_number)
            .only(*LESSON_FIELDS)
            .first()
        )
    return render(
        request,
        "handbook/page_detail.html",
        {
            "page": page,
            "next_lesson": next_lesson,
            "can_take_course": can_take_course(request.user),
            "can_edit": can_edit_handbook(request.user),
            "can_view_history": can_view_history(request.user),
        },
    )


@login_required
@limit_writes("handbook_edit")
@require_http_methods(["GET", "POST"])
def page_create(request):
    require(can_edit_handbook(request.user))
    form = PageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            page = services.create_page(
                title=data["title"],
                body=data["body"],
                lesson_number=data["lesson_number"],
                author=request.user,
            )
        except services.LessonNumberTaken:
            form.add_error("lesson_number", _("That lesson number was taken meanwhile."))
        except MarkupError as error:
            form.add_error("body", markup_error_message(error))
        else:
            messages.success(request, _("The page was created."))
            return redirect(page)
    return render(request, "handbook/page_form.html", {"form": form, "page": None})


@login_required
@limit_writes("handbook_edit")
@require_http_methods(["GET", "POST"])
def page_edit(request, slug):
    require(can_edit_handbook(request.user))
    page = get_object_or_404(Page, slug=slug)
    form = PageForm(request.POST or None, page=page)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            page = services.save_page(
                page=page,
                editor=request.user,
                title=data["title"],
                body=data["body"],
                lesson_number=data["lesson_number"],
                based_on_revision=data["based_on_revision"],
            )
        except services.StaleEdit as stale:
            form, conflict = _stale_form(request, stale.page, data["based_on_revision"])
        except services.LessonNumberTaken:
            form.add_error("lesson_number", _("That lesson number was taken meanwhile."))
        except MarkupError as error:
            form.add_error("body", markup_error_message(error))
        else:
            messages.success(request, _("The page was saved."))
            return redirect(page)
    return render(
        request, "handbook/page_form.html", {"form": form, "page": page, "conflict": conflict}
    )


def _stale_form(request, current: Page, based_on: int):
    """The user's text again, now based on the current version, and what changed meanwhile.

    Saving once more is a deliberate choice to replace the other version."""
    data = request.POST.copy()
    data["based_on_revision"] = current.revision_number
    form = PageForm(data, page=current)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Someone else saved this page while you were editing it, so your changes "
            "were not saved. Your text is kept below. Compare it with the changes made "
            "meanwhile, fold them into your text, and save again."
        ),
    )
    base = PageRevision.objects.filter(page=current, number=based_on).only("body").first()
    conflict = {
        "current": current,
        "diff": _line_diff(base.body if base else "", current.body),
    }
    return form, conflict


@login_required
def page_history(request, slug):
    require(can_view_history(request.user))
    page = get_object_or_404(Page, slug=slug)
    revisions = page_of(
        request,
        page.revisions.select_related("editor")
        .only(
            "pk",
            "page_id",
            "number",
            "title",
            "language",
            "restored_from",
            "created_at",
            "editor__display_name",
            "editor__language",
        )
        .order_by("-number"),
    )
    try:
        newer = int(request.GET.get("til", page.revision_number))
        older = int(request.GET.get("fra", newer - 1))
    except ValueError:
        raise Http404 from None
    if not (0 <= older < 2**31 and 0 <= newer < 2**31):  # the database's integer range
        raise Http404
    by_number = {r.number: r for r in page.revisions.filter(number__in=[older, newer])}
    if newer not in by_number or (older not in by_number and older != 0):
        raise Http404
    old = by_number.get(older)
    new = by_number[newer]
    return render(
        request,
        "handbook/page_history.html",
        {
            "page": page,
            "page_obj": revisions,
            "old": old,
            "new": new,
            "title_changed": old is not None and old.title != new.title,
            "diff": _line_diff(old.body if old else "", new.body),
            "can_restore": can_restore_revision(request.user),
        },
    )


@login_required
@limit_writes("handbook_edit")
@require_http_methods(["GET", "POST"])
def revision_restore(request, slug, number):
    require(can_restore_revision(request.user))
    page = get_object_or_404(Page, slug=slug)
    revision = get_object_or_404(page.revisions.select_related("editor"), number=number)
    if revision.number == page.revision_number:
        messages.info(request, _("That is already the current version."))
        return redirect("handbook:page_history", slug=page.slug)
    if request.method == "POST":
        try:
            page = services.restore_revision(revision=revision, editor=request.user)
        except MarkupError as error:
            messages.error(request, markup_error_message(error))
            return redirect("handbook:page_history", slug=page.slug)
        messages.success(
            request, _("Version %(number)s was restored.") % {"number": revision.number}
        )
        return redirect(page)
    return render(
        request, "handbook/revision_confirm_restore.html", {"page": page, "revision": revision}
    )


@login_required
@limit_writes("handbook_edit")
@require_POST
def lesson_complete(request, slug):
    require(can_take_course(request.user))
    page = get_object_or_404(Page.objects.lessons(), slug=slug)
    services.complete_lesson(user=request.user, page=page)
    messages.success(
        request, _("“%(title)s” is marked as read and understood.") % {"title": page.title}
    )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(page)


@login_required
def course(request):
    require(can_take_course(request.user))
    lessons = _my_lessons(request.user)
    return render(
        request,
        "handbook/course_detail.html",
        {
            "lessons": lessons,
            "progress": _progress(lessons),
            "can_view_course_progress": can_view_course_progress(request.user),
        },
    )


@login_required
def course_overview(request):
    require(can_view_course_progress(request.user))
    lessons = list(Page.objects.lessons().only(*LESSON_FIELDS))
    people = page_of(request, course_participants())
    course_roles = set(COURSE_ROLES)
    rows = []
    for person in people:
        done = {c.page_id: c.completed_at for c in person.lesson_completion_list}
        rows.append(
            {
                "person": person,
                "roles": [
                    Role(a.role).label
                    for a in person.role_assignments.all()
                    if a.role in course_roles
                ],
                "cells": [(lesson, done.get(lesson.pk)) for lesson in lessons],
                "progress": CourseProgress(
                    done=sum(1 for lesson in lessons if lesson.pk in done),
                    total=len(lessons),
                    next_lesson=None,
                ),
            }
        )
    return render(
        request,
        "handbook/course_overview.html",
        {"lessons": lessons, "page_obj": people, "rows": rows, "column_count": len(lessons) + 3},
    )
