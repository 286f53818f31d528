"""The approval queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require
from moderation import services
from moderation.forms import (
    ReasonForm,
)
from moderation.models import QueuedPost
from moderation.permissions import (
    can_review,
    review_category_ids,
)
from moderation.views.common import (
    _confirm,
)
from netvaerk.paging import form_data, page_of
from netvaerk.ratelimit import limit_writes


def _queue_for(user):
    queued = QueuedPost.objects.for_queue()
    category_ids = review_category_ids(user)
    if category_ids is not None:
        from django.db.models import Q

        queued = queued.filter(Q(category__in=category_ids) | Q(thread__category__in=category_ids))
    return queued


@login_required
def approval_queue(request):
    require(can_review(request.user))
    return render(
        request,
        "moderation/approval_queue.html",
        {"page_obj": page_of(request, _queue_for(request.user))},
    )


@login_required
@limit_writes("moderation")
@require_POST
def queued_approve(request, pk):
    require(can_review(request.user))
    queued = get_object_or_404(_queue_for(request.user), pk=pk)
    try:
        post = services.approve(queued=queued, actor=request.user)
    except services.ModerationError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Published: %(title)s") % {"title": post.thread.title})
    return redirect("moderation:approval_queue")


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def queued_reject(request, pk):
    require(can_review(request.user))
    queued = get_object_or_404(_queue_for(request.user), pk=pk)
    form = ReasonForm(form_data(request))
    return _confirm(
        request,
        form=form,
        back=reverse("moderation:approval_queue"),
        title=_("Reject the post"),
        question=_(
            "Reject the post by %(author)s? They are told your reason and keep the text as a draft."
        )
        % {"author": queued.author},
        button=_("Reject"),
        success=_("The post was rejected."),
        danger=True,
        context={"queued": queued},
        perform=lambda f: services.reject(
            queued=queued, actor=request.user, reason=f.cleaned_data["reason"]
        ),
    )
