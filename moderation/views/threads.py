"""Moderating a thread: pin, lock, hide, delete, restore, move, merge, split."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import require
from forum.models import Category, State, Thread
from forum.permissions import (
    is_staff_moderator,
    moderated_category_ids,
    reachable_threads,
)
from moderation import services
from moderation.forms import (
    MergeForm,
    MoveForm,
    ReasonForm,
    SplitForm,
    thread_choices_for,
)
from moderation.permissions import (
    can_delete,
    can_merge,
    can_moderate_thread,
    can_restore,
)
from moderation.views.common import (
    _confirm,
)
from netvaerk.paging import form_data
from netvaerk.ratelimit import limit_writes


def _thread(request, pk) -> Thread:
    thread = get_object_or_404(
        reachable_threads(request.user).exclude(state=State.MERGED).select_related("category"),
        pk=pk,
    )
    require(can_moderate_thread(request.user, thread))
    return thread


def _thread_action(
    request, pk, *, perform, title, question, button, success, reason_required=True, danger=False
):
    thread = _thread(request, pk)
    form = ReasonForm(form_data(request), required=reason_required)
    return _confirm(
        request,
        form=form,
        back=thread.get_absolute_url(),
        title=title,
        question=question % {"title": thread.title},
        button=button,
        success=success,
        danger=danger,
        context={"thread": thread},
        perform=lambda f: perform(
            thread=thread, actor=request.user, reason=f.cleaned_data["reason"]
        ),
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_pin(request, pk):
    return _thread_action(
        request,
        pk,
        reason_required=False,
        title=_("Pin the thread"),
        question=_("Pin “%(title)s” to the top of its category and the latest list?"),
        button=_("Pin"),
        success=_("The thread is pinned."),
        perform=lambda **kw: services.set_pinned(pinned=True, **kw),
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_unpin(request, pk):
    return _thread_action(
        request,
        pk,
        reason_required=False,
        title=_("Unpin the thread"),
        question=_("Unpin “%(title)s”?"),
        button=_("Unpin"),
        success=_("The thread is no longer pinned."),
        perform=lambda **kw: services.set_pinned(pinned=False, **kw),
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_lock(request, pk):
    return _thread_action(
        request,
        pk,
        title=_("Lock the thread"),
        question=_(
            "Lock “%(title)s”? Members can read it but not reply. "
            "The reason is shown in the thread."
        ),
        button=_("Lock"),
        success=_("The thread is locked."),
        perform=services.lock_thread,
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_unlock(request, pk):
    return _thread_action(
        request,
        pk,
        reason_required=False,
        title=_("Unlock the thread"),
        question=_("Unlock “%(title)s” so that members can reply again?"),
        button=_("Unlock"),
        success=_("The thread is open again."),
        perform=services.unlock_thread,
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_hide(request, pk):
    return _thread_action(
        request,
        pk,
        title=_("Hide the thread"),
        question=_(
            "Hide “%(title)s”? It leaves every list and search; "
            "its author still sees it, with your reason."
        ),
        button=_("Hide"),
        success=_("The thread is hidden."),
        perform=services.hide_thread,
        danger=True,
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_unhide(request, pk):
    return _thread_action(
        request,
        pk,
        reason_required=False,
        title=_("Show the thread again"),
        question=_("Show “%(title)s” in lists and search again?"),
        button=_("Show again"),
        success=_("The thread is visible again."),
        perform=services.unhide_thread,
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_delete(request, pk):
    thread = _thread(request, pk)
    require(can_delete(request.user, thread))
    return _thread_action(
        request,
        pk,
        title=_("Delete the thread"),
        question=_("Delete “%(title)s”? Only network leaders can see and restore it afterwards."),
        button=_("Delete"),
        success=_("The thread is deleted."),
        perform=services.delete_thread,
        danger=True,
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_restore(request, pk):
    require(can_restore(request.user))
    return _thread_action(
        request,
        pk,
        reason_required=False,
        title=_("Restore the thread"),
        question=_("Restore “%(title)s”?"),
        button=_("Restore"),
        success=_("The thread is restored."),
        perform=services.restore_thread,
    )


def _moderated_categories(user):
    categories = Category.objects.ordered()
    if not is_staff_moderator(user):
        categories = categories.filter(pk__in=moderated_category_ids(user))
    return categories


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_move(request, pk):
    thread = _thread(request, pk)
    categories = _moderated_categories(request.user).exclude(pk=thread.category_id)
    form = MoveForm(form_data(request), categories=categories)
    return _confirm(
        request,
        form=form,
        back=thread.get_absolute_url(),
        title=_("Move the thread"),
        question=_("Move “%(title)s” to another category?") % {"title": thread.title},
        button=_("Move"),
        success=_("The thread is moved."),
        context={"thread": thread},
        perform=lambda f: services.move_thread(
            thread=thread,
            actor=request.user,
            category=f.cleaned_data["category"],
            reason=f.cleaned_data["reason"],
        ),
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_merge(request, pk):
    thread = _thread(request, pk)
    form = MergeForm(form_data(request), threads=thread_choices_for(request.user))

    def perform(f):
        target = f.cleaned_data["target"]
        require(can_merge(request.user, thread, target))
        return services.merge_threads(
            source=thread, target=target, actor=request.user, reason=f.cleaned_data["reason"]
        ).get_absolute_url()

    return _confirm(
        request,
        form=form,
        back=thread.get_absolute_url(),
        title=_("Merge the thread"),
        question=_(
            "Move every post of “%(title)s” into another thread, in order of time? "
            "The old address will lead to that thread."
        )
        % {"title": thread.title},
        button=_("Merge"),
        success=_("The threads are merged."),
        danger=True,
        context={"thread": thread},
        perform=perform,
    )


def _chosen_replies(request, replies) -> list[int]:
    """ "Split from here" (?fra=<post>) ticks that reply and every one after it;
    ?post=<pk> (repeatable) ticks the ones named."""
    start = request.GET.get("fra", "")
    if start.isdigit():
        numbers = [r.number for r in replies if str(r.pk) == start]
        return [r.pk for r in replies if numbers and r.number >= numbers[0]]
    return [int(v) for v in request.GET.getlist("post") if v.isdigit() and len(v) < 12]


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_split(request, pk):
    thread = _thread(request, pk)
    replies = list(thread.posts.filter(number__gt=1).select_related("author").order_by("number"))
    categories = _moderated_categories(request.user)
    form = SplitForm(
        form_data(request),
        replies=replies,
        categories=categories,
        initial={"category": thread.category_id, "posts": _chosen_replies(request, replies)},
    )
    return _confirm(
        request,
        form=form,
        back=thread.get_absolute_url(),
        title=_("Split the thread"),
        question=_("Move the chosen replies of “%(title)s” into a new thread.")
        % {"title": thread.title},
        button=_("Split"),
        success=_("The replies are moved into a new thread."),
        context={"thread": thread},
        perform=lambda f: services.split_posts(
            thread=thread,
            post_ids=f.cleaned_data["posts"],
            actor=request.user,
            title=f.cleaned_data["title"],
            category=f.cleaned_data["category"],
            reason=f.cleaned_data["reason"],
        ).get_absolute_url(),
    )
