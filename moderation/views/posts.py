"""Moderating a post: hide, delete, restore."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import require
from forum.models import Post, State
from forum.permissions import (
    reachable_threads,
)
from moderation import services
from moderation.forms import (
    ReasonForm,
)
from moderation.permissions import (
    can_restore,
    can_review_post,
)
from moderation.views.common import (
    _confirm,
)
from netvaerk.paging import form_data
from netvaerk.ratelimit import limit_writes


def _post(request, pk) -> Post:
    post = get_object_or_404(
        Post.objects.filter(thread__in=reachable_threads(request.user))
        .exclude(thread__state=State.MERGED)
        .select_related("thread", "thread__category", "author"),
        pk=pk,
    )
    require(can_review_post(request.user, post))
    if post.state == State.DELETED:  # deleted text is for network leaders only
        require(can_restore(request.user))
    return post


def _post_action(
    request, pk, *, perform, title, question, button, success, reason_required=True, danger=False
):
    post = _post(request, pk)
    form = ReasonForm(form_data(request), required=reason_required)
    return _confirm(
        request,
        form=form,
        back=post.get_absolute_url(),
        title=title,
        question=question % {"number": post.number, "title": post.thread.title},
        button=button,
        success=success,
        danger=danger,
        context={"post": post},
        perform=lambda f: perform(post=post, actor=request.user, reason=f.cleaned_data["reason"]),
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def post_hide(request, pk):
    return _post_action(
        request,
        pk,
        title=_("Hide the post"),
        question=_(
            "Hide post #%(number)s in “%(title)s”? Its author still sees it, with your reason."
        ),
        button=_("Hide"),
        success=_("The post is hidden."),
        perform=services.hide_post,
        danger=True,
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def post_unhide(request, pk):
    return _post_action(
        request,
        pk,
        reason_required=False,
        title=_("Show the post again"),
        question=_("Show post #%(number)s in “%(title)s” again?"),
        button=_("Show again"),
        success=_("The post is visible again."),
        perform=services.unhide_post,
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def post_delete(request, pk):
    return _post_action(
        request,
        pk,
        title=_("Delete the post"),
        question=_("Delete post #%(number)s in “%(title)s”? Only network leaders can restore it."),
        button=_("Delete"),
        success=_("The post is deleted."),
        perform=services.delete_post,
        danger=True,
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def post_restore(request, pk):
    require(can_restore(request.user))
    return _post_action(
        request,
        pk,
        reason_required=False,
        title=_("Restore the post"),
        question=_("Restore post #%(number)s in “%(title)s”?"),
        button=_("Restore"),
        success=_("The post is restored."),
        perform=services.restore_post,
    )
