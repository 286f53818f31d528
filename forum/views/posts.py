"""Actions on one post: accept, thank, bookmark, edit, history."""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require
from forum import services
from forum.forms import (
    EditPostForm,
    OutcomeForm,
)
from forum.models import (
    Bookmark,
)
from forum.permissions import (
    can_accept_answer,
    can_bookmark,
    can_edit_post,
    can_react,
    can_restore_revision,
    can_view_history,
    can_write_outcome,
    visible_posts,
)
from forum.views.common import _post_or_404, _thread_or_404
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes


@login_required
@require_POST
def accept_answer(request, pk):
    post = get_object_or_404(visible_posts(request.user).select_related("thread"), pk=pk)
    thread = post.thread
    require(can_accept_answer(request.user, thread))
    if "unaccept" in request.POST:
        services.unaccept_answer(thread=thread)
        messages.success(request, _("The answer is no longer marked as accepted."))
    else:
        if post.number == 1:
            raise Http404
        services.accept_answer(thread=thread, post=post, accepted_by=request.user)
        messages.success(request, _("The answer is marked as accepted. Thank you!"))
        thread.accepted_post_id = post.pk
        if can_write_outcome(request.user, thread) and not thread.outcome:
            # Closing the loop: ask (optionally) what the asker ended up doing.
            return redirect("forum:outcome_edit", pk=thread.pk)
    return redirect(post.get_absolute_url())


@login_required
@limit_writes("forum_post")
@require_http_methods(["GET", "POST"])
def outcome_edit(request, pk):
    """The asker's "What did you end up doing?", shown under the accepted answer."""
    thread = _thread_or_404(request.user, pk)
    require(can_write_outcome(request.user, thread))
    form = OutcomeForm(request.POST or None, initial={"outcome": thread.outcome})
    if request.method == "POST" and form.is_valid():
        services.write_outcome(thread=thread, text=form.cleaned_data["outcome"])
        if thread.outcome:
            messages.success(request, _("Thank you! Your outcome is shown under the answer."))
        return redirect(thread)
    return render(request, "forum/outcome_form.html", {"thread": thread, "form": form})


@login_required
@limit_writes("forum_reaction")
@require_POST
def toggle_reaction(request, pk):
    post = get_object_or_404(visible_posts(request.user).select_related("author"), pk=pk)
    require(can_react(request.user, post))
    services.toggle_reaction(post=post, user=request.user)
    return redirect(post.get_absolute_url())


@login_required
@limit_writes("forum_reaction")
@require_POST
def toggle_bookmark(request, pk):
    post = get_object_or_404(visible_posts(request.user), pk=pk)
    require(can_bookmark(request.user))
    if services.toggle_bookmark(post=post, user=request.user):
        messages.success(request, _("Bookmarked. Find it under My bookmarks."))
    else:
        messages.success(request, _("The bookmark was removed."))
    return redirect(post.get_absolute_url())


@login_required
def bookmark_list(request):
    require(can_bookmark(request.user))
    bookmarks = Bookmark.objects.filter(
        user=request.user, post__in=visible_posts(request.user)
    ).for_listing()
    return render(request, "forum/bookmark_list.html", {"page_obj": page_of(request, bookmarks)})


@login_required
@limit_writes("forum_post")
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = _post_or_404(request.user, pk)
    require(can_edit_post(request.user, post))
    first_post = post.number == 1
    initial = {"body": post.body, "title": post.thread.title, "version": post.version}
    form = EditPostForm(request.POST or None, initial=initial, first_post=first_post)
    as_moderator = post.author_id != request.user.pk
    if as_moderator:  # someone else's post: the reason is required and logged
        form.fields["reason"].required = True
        form.fields["reason"].help_text = _(
            "Required when you edit someone else's post: shown in its history and the audit log."
        )
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        edit = services.edit_post_as_moderator if as_moderator else services.edit_post
        try:
            edit(
                post=post,
                **({"moderator": request.user} if as_moderator else {"editor": request.user}),
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title"),
                reason=form.cleaned_data["reason"],
                base_version=form.cleaned_data["version"],
            )
        except services.EditConflict as conflict:
            return _edit_conflict(request, conflict.current, form, first_post=first_post)
        messages.success(request, _("Your changes were saved."))
        return redirect(post.get_absolute_url())
    return render(
        request,
        "forum/post_form.html",
        {"post": post, "form": form, "previewing": "preview" in request.POST},
    )


def _edit_conflict(request, current, form, *, first_post: bool):
    """409: someone changed the post after this form was opened. Nothing was
    saved; the page shows the newer text and keeps the member's in the form,
    now based on the newer version, so saving again is a deliberate choice."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    fresh = EditPostForm(data, first_post=first_post)
    fresh.is_valid()
    fresh.fields["reason"].required = form.fields["reason"].required
    fresh.fields["reason"].help_text = form.fields["reason"].help_text
    messages.warning(
        request,
        _(
            "Someone changed this post after you opened it, so your changes were not saved. "
            "Compare the two texts below; saving again replaces the newer text with yours."
        ),
    )
    return render(
        request,
        "forum/post_form.html",
        {"post": current, "form": fresh, "show_conflict": True, "conflict_text": current.body},
        status=409,
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
def post_history(request, pk):
    post = _post_or_404(request.user, pk)
    require(can_view_history(request.user, post))
    revisions = list(post.revisions.select_related("editor"))
    if not revisions:
        return redirect(post.get_absolute_url())
    numbers = [r.number for r in revisions]
    try:
        newer = int(request.GET.get("til", numbers[-1]))
        older = int(request.GET.get("fra", newer - 1))
    except ValueError:
        raise Http404 from None
    by_number = {r.number: r for r in revisions}
    if newer not in by_number or (older not in by_number and older != 0):
        raise Http404
    old = by_number.get(older)
    new = by_number[newer]
    return render(
        request,
        "forum/post_history.html",
        {
            "post": post,
            "revisions": revisions,
            "old": old,
            "new": new,
            "title_changed": old is not None and old.title != new.title,
            "diff": _line_diff(old.body if old else "", new.body),
            "can_restore": can_restore_revision(request.user, post),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revision_restore(request, pk, number):
    post = _post_or_404(request.user, pk)
    require(can_restore_revision(request.user, post))
    revision = get_object_or_404(post.revisions, number=number)
    if request.method == "POST":
        services.restore_revision(revision=revision, editor=request.user)
        messages.success(
            request, _("Version %(number)s was restored.") % {"number": revision.number}
        )
        return redirect(post.get_absolute_url())
    return render(
        request, "forum/revision_confirm_restore.html", {"post": post, "revision": revision}
    )
