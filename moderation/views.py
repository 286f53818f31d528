"""Moderation pages. Every action: a confirmation page on GET, the action on
POST (works without JavaScript), a clear message when another moderator got
there first, and an entry in the audit log (written by the service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Sanction, SanctionKind, User
from accounts.permissions import is_member, require
from forum.models import Category, CategoryModerator, Post, State, Thread
from forum.permissions import (
    is_staff_moderator,
    moderated_category_ids,
    reachable_threads,
)
from moderation import services
from moderation.forms import (
    AuditFilterForm,
    CategoryModeratorForm,
    FlagForm,
    MergeForm,
    MoveForm,
    NoteForm,
    ReasonForm,
    SanctionForm,
    SilenceForm,
    SplitForm,
    WarnForm,
    thread_choices_for,
)
from moderation.models import AuditAction, AuditEntry, Flag, FlagOutcome, QueuedPost
from moderation.permissions import (
    can_delete,
    can_flag,
    can_manage_category_moderators,
    can_manage_members,
    can_merge,
    can_moderate_thread,
    can_restore,
    can_review,
    can_review_post,
    can_sanction,
    can_view_audit_log,
    review_category_ids,
)
from netvaerk.ratelimit import limit_writes


def _data(request):
    """The POST data for a bound form (even when empty), or None on GET."""
    return request.POST if request.method == "POST" else None


def _page(request, queryset):
    from django.conf import settings

    return Paginator(queryset, settings.NETVAERK_PAGE_SIZE).get_page(request.GET.get("page"))


def _confirm(
    request,
    *,
    form,
    perform,
    back: str,
    title: str,
    question: str,
    button: str,
    success: str,
    danger: bool = False,
    context: dict | None = None,
):
    """GET: the confirmation page. POST: validate, act, go back with a message.
    A stale page (someone acted first) shows the message and keeps the form."""
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form)
        except services.ModerationError as refused:
            error = str(refused)
        else:
            messages.success(request, success)
            return redirect(result if isinstance(result, str) else back)
    return render(
        request,
        "moderation/confirm.html",
        {
            "form": form,
            "title": title,
            "question": question,
            "button": button,
            "back": back,
            "danger": danger,
            "error": error,
            **(context or {}),
        },
        status=409 if error else 200,
    )


# --- Threads ------------------------------------------------------------------------


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
    form = ReasonForm(_data(request), required=reason_required)
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
    form = MoveForm(_data(request), categories=categories)
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
    form = MergeForm(_data(request), threads=thread_choices_for(request.user))

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


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def thread_split(request, pk):
    thread = _thread(request, pk)
    replies = list(thread.posts.filter(number__gt=1).select_related("author").order_by("number"))
    categories = _moderated_categories(request.user)
    form = SplitForm(
        _data(request),
        replies=replies,
        categories=categories,
        initial={"category": thread.category_id, "posts": request.GET.getlist("post")},
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


# --- Posts --------------------------------------------------------------------------


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
    form = ReasonForm(_data(request), required=reason_required)
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


# --- Flags --------------------------------------------------------------------------


@login_required
@limit_writes("flag")
@require_http_methods(["GET", "POST"])
def flag_post(request, pk):
    from forum.permissions import visible_posts

    post = get_object_or_404(visible_posts(request.user).select_related("thread", "author"), pk=pk)
    require(can_flag(request.user, post))
    already = Flag.objects.filter(post=post, flagger=request.user).exists()
    form = FlagForm(_data(request))
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
    page = _page(request, posts)
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
        form = ReasonForm(_data(request), required=False)
    else:
        form = form_class(_data(request))

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


# --- Approval queue -----------------------------------------------------------------


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
        {"page_obj": _page(request, _queue_for(request.user))},
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
    form = ReasonForm(_data(request))
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


# --- Members ------------------------------------------------------------------------


def _member(request, pk) -> User:
    require(can_manage_members(request.user))
    return get_object_or_404(User.objects.members(), pk=pk)


@login_required
def member_detail(request, pk):
    member = _member(request, pk)
    sanctions = Sanction.objects.filter(user=member).select_related("created_by", "lifted_by")
    notes = member.moderator_notes.select_related("author")
    entries = AuditEntry.objects.for_listing().filter(target_type="member", target_id=member.pk)
    flagged = Flag.objects.filter(post__author=member).count()
    return render(
        request,
        "moderation/member_detail.html",
        {
            "member": member,
            "sanctions": sanctions[:20],
            "notes": notes[:50],
            "entries": entries[:20],
            "flag_count": flagged,
            "hidden_count": Post.objects.filter(author=member, state=State.HIDDEN).count(),
            "can_sanction": can_sanction(request.user, member),
            "sanction_form": SanctionForm(),
            "note_form": NoteForm(),
            "warn_form": WarnForm(),
        },
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def member_sanction(request, pk):
    member = _member(request, pk)
    require(can_sanction(request.user, member))
    form = SanctionForm(_data(request))
    return _confirm(
        request,
        form=form,
        back=reverse("moderation:member_detail", args=[member.pk]),
        title=_("Silence or suspend"),
        question=_("Silence (may read, may not post) or suspend (may not log in) %(name)s.")
        % {"name": member},
        button=_("Confirm"),
        success=_("Done. The member is told the reason."),
        danger=True,
        context={"member": member},
        perform=lambda f: services.sanction_member(
            member=member,
            actor=request.user,
            kind=f.cleaned_data["kind"],
            reason=f.cleaned_data["reason"],
            ends_at=f.ends_at(),
        ),
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def sanction_lift(request, pk):
    sanction = get_object_or_404(Sanction.objects.select_related("user"), pk=pk)
    require(can_sanction(request.user, sanction.user))
    form = ReasonForm(_data(request), required=False)
    return _confirm(
        request,
        form=form,
        back=reverse("moderation:member_detail", args=[sanction.user_id]),
        title=_("Lift the sanction"),
        question=_("Lift “%(kind)s” for %(name)s now?")
        % {"kind": sanction.get_kind_display(), "name": sanction.user},
        button=_("Lift"),
        success=_("The sanction is lifted."),
        perform=lambda f: services.lift_sanction(
            sanction=sanction, actor=request.user, reason=f.cleaned_data["reason"]
        ),
    )


@login_required
@limit_writes("moderation")
@require_POST
def member_note(request, pk):
    member = _member(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(member=member, actor=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The note is saved."))
        return redirect("moderation:member_detail", pk=member.pk)
    messages.error(request, _("The note was empty; nothing was saved."))
    return redirect("moderation:member_detail", pk=member.pk)


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def member_warn(request, pk):
    member = _member(request, pk)
    require(can_sanction(request.user, member))  # not oneself; staff only by a leader
    form = WarnForm(_data(request))
    return _confirm(
        request,
        form=form,
        back=reverse("moderation:member_detail", args=[member.pk]),
        title=_("Warn the member"),
        question=_("Send %(name)s a warning.") % {"name": member},
        button=_("Send the warning"),
        success=_("The warning is sent."),
        context={"member": member},
        perform=lambda f: services.warn_member(
            member=member, actor=request.user, message=f.cleaned_data["message"]
        ),
    )


def my_status(request):
    """What a silenced (or just suspended) member is told: why, and until when."""
    sanctions = []
    if is_member(request.user):
        sanctions = list(Sanction.objects.active().filter(user=request.user))
    suspended = request.session.get("netvaerk_suspended")
    return render(
        request, "moderation/my_status.html", {"sanctions": sanctions, "suspended": suspended}
    )


# --- Overview, audit log, category moderators ---------------------------------------


@login_required
def index(request):
    require(can_review(request.user))
    category_ids = review_category_ids(request.user)
    flagged = Flag.objects.queue(category_ids).count()
    return render(
        request,
        "moderation/index.html",
        {
            "flagged": flagged,
            "queued": _queue_for(request.user).count(),
            "can_view_log": can_view_audit_log(request.user),
            "can_manage_members": can_manage_members(request.user),
            "can_manage_category_moderators": can_manage_category_moderators(request.user),
            "silenced": Sanction.objects.active().filter(kind=SanctionKind.SILENCE).count(),
            "suspended": Sanction.objects.active().filter(kind=SanctionKind.SUSPEND).count(),
        },
    )


@login_required
def audit_log(request):
    require(can_view_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(AuditEntry.objects.for_listing())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/audit_log.html",
        {
            "form": form,
            "page_obj": _page(request, entries),
            "query": query.urlencode(),
            "actions": AuditAction,
        },
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def category_moderators(request):
    require(can_manage_category_moderators(request.user))
    categories = Category.objects.ordered().prefetch_related(
        Prefetch("moderators", queryset=CategoryModerator.objects.select_related("user"))
    )
    if request.method == "POST":
        category_id = request.POST.get("category", "")
        if not category_id.isdecimal() or len(category_id) > 12:
            raise Http404
        category = get_object_or_404(Category, pk=int(category_id))
        if "remove" in request.POST:
            removed = services.remove_category_moderator(
                category=category, user_id=request.POST.get("remove"), actor=request.user
            )
            if removed:
                messages.success(request, _("The category moderator was removed."))
            return redirect("moderation:category_moderators")
        form = CategoryModeratorForm(request.POST)
        if form.is_valid():
            try:
                services.add_category_moderator(
                    category=category, user=form.cleaned_data["handle"], actor=request.user
                )
            except services.ModerationError as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The category moderator was added."))
            return redirect("moderation:category_moderators")
        messages.error(request, form.errors["handle"][0])
        return redirect("moderation:category_moderators")
    return render(
        request,
        "moderation/category_moderators.html",
        {"categories": categories, "form": CategoryModeratorForm()},
    )
