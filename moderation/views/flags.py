"""Flagging a post, and the review queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import require
from moderation import services
from moderation.forms import (
    FlagForm,
    ReasonForm,
    SilenceForm,
)
from moderation.models import Flag, FlagOutcome
from moderation.permissions import (
    can_flag,
    can_review,
    can_sanction,
    review_category_ids,
)
from moderation.views.common import (
    _confirm,
)
from moderation.views.posts import (
    _post,
)
from netvaerk.paging import form_data, page_of
from netvaerk.ratelimit import limit_writes


@login_required
@limit_writes("flag")
@require_http_methods(["GET", "POST"])
def flag_post(request, pk):
    from forum.permissions import visible_posts

    post = get_object_or_404(visible_posts(request.user).select_related("thread", "author"), pk=pk)
    require(can_flag(request.user, post))
    already = Flag.objects.filter(post=post, flagger=request.user).exists()
    form = FlagForm(form_data(request))
    if request.method == "POST" and not already and form.is_valid():
        try:
            services.flag_post(
                post=post,
                flagger=request.user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except services.ModerationError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("Thank you. The moderators will look at it, and you will hear the outcome."),
            )
        return redirect(post.get_absolute_url())
    return render(
        request, "moderation/flag_form.html", {"post": post, "form": form, "already": already}
    )


@login_required
def flag_queue(request):
    require(can_review(request.user))
    posts = Flag.objects.queue(review_category_ids(request.user))
    page = page_of(request, posts)
    flags = Flag.objects.open().filter(post__in=list(page.object_list)).select_related("flagger")
    by_post: dict[int, list[Flag]] = {}
    for flag in flags:
        by_post.setdefault(flag.post_id, []).append(flag)
    for post in page.object_list:
        post.open_flag_list = by_post.get(post.pk, [])
    return render(request, "moderation/flag_queue.html", {"page_obj": page})


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def flag_settle(request, pk, outcome):
    post = _post(request, pk)
    outcomes = {
        "hide": (FlagOutcome.HIDDEN, ReasonForm, _("Hide the flagged post"), _("Hide")),
        "dismiss": (FlagOutcome.DISMISSED, None, _("Dismiss the flags"), _("Dismiss")),
        "warn": (FlagOutcome.WARNED, ReasonForm, _("Warn the author"), _("Send the warning")),
        "silence": (FlagOutcome.SILENCED, SilenceForm, _("Silence the author"), _("Silence")),
    }
    if outcome not in outcomes:
        return redirect("moderation:flag_queue")
    value, form_class, title, button = outcomes[outcome]
    if value == FlagOutcome.SILENCED:
        require(can_sanction(request.user, post.author))
    if value == FlagOutcome.WARNED:
        require(can_sanction(request.user, post.author))
    if form_class is None:
        form = ReasonForm(form_data(request), required=False)
    else:
        form = form_class(form_data(request))

    def perform(f):
        services.settle_flags(
            post=post,
            actor=request.user,
            outcome=value,
            reason=f.cleaned_data["reason"],
            sanction_until=f.ends_at() if hasattr(f, "ends_at") else None,
        )
        return reverse("moderation:flag_queue")

    return _confirm(
        request,
        form=form,
        back=reverse("moderation:flag_queue"),
        title=title,
        question=_("Post #%(number)s by %(author)s in “%(title)s”.")
        % {"number": post.number, "author": post.author, "title": post.thread.title},
        button=button,
        success=_("Done. The members who flagged the post are told."),
        danger=value in (FlagOutcome.HIDDEN, FlagOutcome.SILENCED),
        context={"post": post},
        perform=perform,
    )
