from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Region
from accounts.permissions import require
from forum.permissions import visible_threads
from needs import services
from needs.forms import (
    BoardFilterForm,
    CommentForm,
    FollowUpForm,
    NeedForm,
    NeedStatusForm,
    SignalForm,
)
from needs.fragments import render_cards
from needs.models import (
    Comment,
    FollowUpAnswer,
    FollowUpAsked,
    NeedStatus,
    load_tags_and_supporters,
)
from needs.permissions import (
    can_answer_follow_up,
    can_comment_need,
    can_edit_need,
    can_plan,
    can_plan_need,
    can_plan_thread_meetup,
    can_post_need,
    can_see_follow_up_answers,
    can_see_people,
    can_set_any_status,
    can_signal_thread,
    can_support_need,
    can_view_board,
    visible_needs,
)
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes

# The planning board shows at most this many open needs (most supported first).
PLAN_BOARD_LIMIT = 200


def _prepare(user, needs) -> None:
    """Set what the need cards show, so that templates test only booleans."""
    for need in needs:
        need.can_support = can_support_need(user, need)
        need.can_edit = can_edit_need(user, need)
        need.is_mine = user.is_authenticated and need.author_id == user.pk
        need.show_meetup = need.meetup is not None and not need.meetup.is_draft


def _back(request, need) -> str:
    """Where a POST from a list or the need page returns to."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return need.get_absolute_url()


def _find_need(request, pk, *, people: bool = False):
    return get_object_or_404(
        visible_needs(request.user).for_listing(request.user, with_supporters=people), pk=pk
    )


# --- Reading ---------------------------------------------------------------------


def board(request):
    require(can_view_board(request.user))
    form = BoardFilterForm(request.GET or None)
    chosen = form.filters()
    people = can_see_people(request.user)
    needs = visible_needs(request.user).for_listing(request.user, prefetch=False)
    if chosen["status"] == "all":
        pass
    elif chosen["status"]:
        needs = needs.filter(status=chosen["status"])
    else:
        needs = needs.active()
    if chosen["region"]:
        needs = needs.filter(region=chosen["region"])
    if chosen["tag"]:
        needs = needs.with_tag(chosen["tag"])
    needs = {"newest": needs.newest, "region": needs.by_region}.get(
        chosen["sort"], needs.by_support
    )()
    page = page_of(request, needs)
    page.object_list = list(page.object_list)
    load_tags_and_supporters(page.object_list, with_supporters=people)
    _prepare(request.user, page)
    here = request.get_full_path()
    render_cards(request, page.object_list, can_see_people=people, next_url=here)
    query = urlencode({k: v for k, v in chosen.items() if v and k != "page"})
    return render(
        request,
        "needs/need_list.html",
        {
            "page_obj": page,
            "form": form,
            "query": query,
            "filtered": any(chosen[k] for k in ("status", "region", "tag")),
            "can_post": can_post_need(request.user),
            "can_plan": can_plan(request.user),
            "can_see_people": people,
            "here": here,
        },
    )


@login_required
def plan_board(request):
    """Organisers' view: open needs grouped by region and by tag."""
    require(can_plan(request.user))
    needs = list(
        visible_needs(request.user)
        .for_listing(request.user)
        .filter(status=NeedStatus.OPEN, meetup=None)
        .by_support()[:PLAN_BOARD_LIMIT]
    )
    labels = dict(Region.choices)
    by_region: dict[str, list] = {}
    by_tag: dict[str, list] = {}
    for need in needs:
        need.can_plan = can_plan_need(request.user, need)
        by_region.setdefault(need.region, []).append(need)
        for tag in need.tag_list:
            by_tag.setdefault(tag.name, []).append(need)
    regions = [
        {"label": labels[value], "value": value, "needs": by_region[value]}
        for value in Region.values
        if value in by_region
    ]
    if "" in by_region:
        regions.append({"label": _("Anywhere or online"), "value": "", "needs": by_region[""]})
    tags = sorted(
        ({"name": name, "needs": items} for name, items in by_tag.items()),
        key=lambda group: (-len(group["needs"]), group["name"]),
    )
    return render(
        request,
        "needs/need_plan_board.html",
        {
            "regions": regions,
            "tags": tags,
            "total": len(needs),
            "is_capped": len(needs) == PLAN_BOARD_LIMIT,
        },
    )


def need_detail(request, pk, slug):
    require(can_view_board(request.user))
    user = request.user
    people = can_see_people(user)
    need = _find_need(request, pk, people=people)
    if slug != need.slug:
        return redirect(need, permanent=True)
    _prepare(user, [need])
    comments = None
    if people:
        comments = page_of(
            request,
            Comment.objects.filter(need=need).select_related("author").order_by("created_at", "pk"),
        )
    answers = []
    if can_see_follow_up_answers(user):
        answers = list(
            FollowUpAnswer.objects.filter(need=need)
            .select_related("member")
            .order_by("-updated_at", "pk")
        )
    was_asked = (
        user.is_authenticated and FollowUpAsked.objects.filter(need=need, member=user).exists()
    )
    return render(
        request,
        "needs/need_detail.html",
        {
            "need": need,
            "comments": comments,
            "comment_form": CommentForm(),
            "can_see_people": people,
            "can_comment": can_comment_need(user, need),
            "can_plan": can_plan_need(user, need),
            "show_answers": can_see_follow_up_answers(user),
            "answers": answers,
            "can_answer": can_answer_follow_up(user, need, was_asked=was_asked),
        },
    )


# --- Writing ---------------------------------------------------------------------


def _save_error(form, error) -> None:
    form.add_error(None, str(error.message))


@login_required
@limit_writes("needs")
@require_http_methods(["GET", "POST"])
def need_create(request):
    require(can_post_need(request.user))
    initial = {"region": request.user.region}
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.post_need(author=request.user, **form.cleaned_data)
        except services.NeedError as error:
            _save_error(form, error)
        else:
            messages.success(
                request, _("Your need is on the board. Others can now say they want it too.")
            )
            return redirect(need)
    return render(request, "needs/need_form.html", {"form": form, "need": None})


@login_required
@limit_writes("needs")
@require_http_methods(["GET", "POST"])
def need_edit(request, pk):
    need = _find_need(request, pk)
    require(can_edit_need(request.user, need))
    if need.is_closed:
        messages.error(request, services.NeedClosed.message)
        return redirect(need)
    initial = {
        "title": need.title,
        "description": need.description,
        "region": need.region,
        "tags": ", ".join(tag.name for tag in need.tag_list),
    }
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.update_need(need=need, **form.cleaned_data)
        except services.NeedError as error:
            _save_error(form, error)
        else:
            messages.success(request, _("The need was saved."))
            return redirect(need)
    return render(request, "needs/need_form.html", {"form": form, "need": need})


@login_required
@limit_writes("needs")
@require_http_methods(["GET", "POST"])
def need_status(request, pk):
    """Close with a reason or reopen (authors); set any status (planners)."""
    need = _find_need(request, pk)
    require(can_edit_need(request.user, need))
    any_status = can_set_any_status(request.user, need)
    form = NeedStatusForm(request.POST or None, need=need, any_status=any_status)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_status(
                need=need,
                status=data["status"],
                reason=data["reason"],
                seen_status=data["seen_status"] or None,
            )
        except services.NeedError as error:
            messages.error(request, error.message)
            return redirect(need)
        messages.success(request, _("The status was saved."))
        return redirect(need)
    return render(request, "needs/need_status_form.html", {"form": form, "need": need})


@login_required
@limit_writes("needs")
@require_POST
def need_support(request, pk):
    need = _find_need(request, pk)
    require(can_post_need(request.user))
    try:
        services.support_need(need=need, member=request.user)
    except services.AlreadySupported as error:
        messages.info(request, error.message)
    except services.NeedError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Noted: you want this too."))
    return redirect(_back(request, need))


@login_required
@limit_writes("needs")
@require_POST
def need_unsupport(request, pk):
    need = _find_need(request, pk)
    require(can_post_need(request.user))
    if services.withdraw_support(need=need, member=request.user):
        messages.success(request, _("You no longer support this need."))
    else:
        messages.info(request, _("You did not support this need."))
    return redirect(_back(request, need))


@login_required
@limit_writes("needs")
@require_POST
def need_comment(request, pk):
    need = _find_need(request, pk)
    require(can_post_need(request.user))
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(need)
    try:
        services.add_comment(need=need, author=request.user, body=form.cleaned_data["body"])
    except services.NeedError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your comment was posted."))
    return redirect(need)


@login_required
@limit_writes("needs")
@require_POST
def need_plan(request, pk):
    """One click: a meetup draft from the need, then on to editing it."""
    need = _find_need(request, pk)
    require(can_plan(request.user))
    try:
        meetup = services.plan_need(need=need, organiser=request.user)
    except services.NeedError as error:
        messages.error(request, error.message)
        return redirect(need)
    messages.success(
        request,
        _(
            "A meetup draft was made. Set the time and place, then publish it: "
            "the need's supporters will be invited."
        ),
    )
    return redirect("moeder:meetup_edit", pk=meetup.pk)


@login_required
@limit_writes("needs")
@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    """ "Blev dit behov mødt?": for supporters who were asked after the meetup."""
    need = _find_need(request, pk)
    was_asked = FollowUpAsked.objects.filter(need=need, member=request.user).exists()
    require(can_answer_follow_up(request.user, need, was_asked=was_asked))
    previous = FollowUpAnswer.objects.filter(need=need, member=request.user).first()
    initial = {"answer": previous.answer, "comment": previous.comment} if previous else None
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_follow_up(need=need, member=request.user, **form.cleaned_data)
        except services.NeedError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for your answer."))
        return redirect(need)
    return render(
        request,
        "needs/follow_up_form.html",
        {"form": form, "need": need, "previous": previous},
    )


# --- Thread signals ------------------------------------------------------------


def _find_thread(request, thread_pk):
    return get_object_or_404(visible_threads(request.user), pk=thread_pk)


@login_required
@limit_writes("needs")
@require_POST
def thread_signal(request, thread_pk):
    thread = _find_thread(request, thread_pk)
    require(can_signal_thread(request.user, thread))
    form = SignalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose your region."))
        return redirect(thread)
    created = services.signal_thread(
        thread=thread, member=request.user, region=form.cleaned_data["region"]
    )
    if created:
        messages.success(
            request, _("Noted: you would come to a meetup about this. Organisers will see it.")
        )
    else:
        messages.info(request, _("Your signal is saved."))
    return redirect(thread)


@login_required
@limit_writes("needs")
@require_POST
def thread_unsignal(request, thread_pk):
    thread = _find_thread(request, thread_pk)
    require(can_signal_thread(request.user, thread))
    if services.withdraw_signal(thread=thread, member=request.user):
        messages.success(request, _("Your signal was withdrawn."))
    else:
        messages.info(request, _("You had not signalled on this thread."))
    return redirect(thread)


@login_required
@limit_writes("needs")
@require_POST
def thread_plan(request, thread_pk):
    """One click: a meetup draft about the thread for one region."""
    thread = _find_thread(request, thread_pk)
    require(can_plan_thread_meetup(request.user, thread))
    form = SignalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a region."))
        return redirect(thread)
    try:
        meetup = services.plan_thread_meetup(
            thread=thread, region=form.cleaned_data["region"], organiser=request.user
        )
    except services.NeedError as error:
        messages.error(request, error.message)
        return redirect(thread)
    messages.success(
        request,
        _(
            "A meetup draft was made. Set the time and place, then publish it: "
            "the members who asked for it will be invited."
        ),
    )
    return redirect("moeder:meetup_edit", pk=meetup.pk)
