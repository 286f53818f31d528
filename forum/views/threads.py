"""A thread page, starting threads and replying."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import is_member, require, unwrapped
from forum import notifications, services
from forum.extensions import (
    post_actions,
    similar_panels,
    thread_page_annotations,
    thread_panels,
    thread_tools,
)
from forum.forms import (
    ReplyForm,
    ThreadForm,
)
from forum.fragments import render_posts, reply_form_html
from forum.models import (
    POSTS_PER_PAGE,
    Draft,
    Post,
    State,
    Thread,
    ThreadFollow,
    ThreadKind,
    ThreadRead,
    load_thanks,
)
from forum.permissions import (
    CATEGORY_SCOPE,
    THREAD_SCOPE,
    can_accept_answer,
    can_bookmark,
    can_edit_post,
    can_react,
    can_reply,
    can_see_post_body,
    can_start_thread,
    can_view_history,
    can_write_outcome,
    reachable_threads,
    thread_access_shape,
    threads_behind_login,
    visible_categories,
    visible_posts,
)
from forum.search import (
    similar_threads,
)
from forum.views.common import (
    _draft_fields,
    _draft_version,
    _take_unsent,
    _thread_or_404,
    login_required_keeping_text,
)
from netvaerk import uploads
from netvaerk.paging import page_of
from netvaerk.prepared import Prepared
from netvaerk.ratelimit import limit_writes, refuse_if_over


def _login_to_read(request):
    """The page a visitor gets for a thread only members can read: a way in, no title."""
    login = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
    signup = f"{reverse('account_signup')}?{urlencode({'next': request.get_full_path()})}"
    context = {"login_url": login, "signup_url": signup}
    return render(request, "forum/login_to_read.html", context, status=403)


def _build_thread_page_query(user, pk):
    annotations = {}
    if user.is_authenticated:
        mine = {"user": user, "thread": OuterRef("pk")}
        annotations = {
            "my_read_number": Subquery(
                ThreadRead.objects.filter(**mine).values("last_read_number")[:1]
            ),
            "my_follow_muted": Subquery(ThreadFollow.objects.filter(**mine).values("is_muted")[:1]),
            "my_draft_id": Subquery(Draft.objects.filter(**mine).values("pk")[:1]),
        }
    for found in thread_page_annotations.call(user=user):
        annotations.update(found)
    return (
        reachable_threads(user)
        .select_related("category", "author", "accepted_post", "accepted_post__author", "locked_by")
        .annotate(**annotations)
        .filter(pk=pk)[:1]
    )


# Built and compiled once per kind of reader (netvaerk.prepared): some 7 ms saved a page.
_THREAD_PAGE_QUERY = Prepared(
    _build_thread_page_query,
    lambda user, pk: (thread_access_shape(user), thread_page_annotations.version),
    model=Thread,
)


def _thread_for_page(user, pk):
    """`_thread_or_404` with, in the same query, the member's own state (read
    position, follow, draft) and what the panels ask for (thread_page_annotations)."""
    thread = _THREAD_PAGE_QUERY.first(unwrapped(user), int(pk))
    if thread is None:
        raise Http404
    return thread


def thread_detail(request, pk, slug):
    if threads_behind_login(request.user).filter(pk=pk).exists():
        return _login_to_read(request)
    thread = _thread_for_page(request.user, pk)
    if thread.state == State.MERGED and thread.merged_into_id:
        return redirect(thread.merged_into, permanent=True)
    if slug != thread.slug:
        return redirect(thread, permanent=True)
    posts = thread.posts.for_thread_page()
    if can_bookmark(request.user):
        posts = posts.with_bookmarked_by(request.user)
    page = page_of(request, posts, per_page=POSTS_PER_PAGE)
    page.object_list = list(page.object_list)
    load_thanks(page.object_list)
    services.record_view(thread=thread)
    last_number = page.object_list[-1].number if page.object_list else 0
    services.mark_read(
        user=request.user,
        thread=thread,
        number=last_number,
        known=getattr(thread, "my_read_number", services.UNKNOWN),
    )
    draft = None
    if can_reply(request.user, thread) and thread.my_draft_id is not None:
        draft = Draft.objects.filter(pk=thread.my_draft_id).first()
    form = ReplyForm(initial={"body": draft.body} if draft else None)
    form.enable_autosave(reverse("forum:reply_create", args=[thread.pk]))
    return _render_thread(request, thread, page, form, draft=draft)


def _render_thread(request, thread, page, form, *, draft=None, status=200):
    user = unwrapped(request.user)
    accepting = can_accept_answer(user, thread)
    replying = can_reply(user, thread)
    bookmarking = can_bookmark(user)
    for post in page.object_list:
        post.thread = thread  # the predicates read it; no query per post
        post.body_visible = can_see_post_body(user, post)
        post.can_accept = accepting and post.number > 1
        post.can_edit = can_edit_post(user, post)
        post.can_view_history = post.edited_at is not None and can_view_history(user, post)
        post.is_accepted = post.pk == thread.accepted_post_id
        post.can_quote = replying and post.state == State.PUBLISHED
        post.can_react = can_react(user, post)
        post.can_bookmark = bookmarking
        post.is_bookmarked = bool(getattr(post, "bookmarked_by_me", False))
        post.thankers = [reaction.user for reaction in post.reaction_list]
        post.thanked_by_me = any(r.user_id == user.pk for r in post.reaction_list)
        # Links other apps add to each post (forum.extensions.post_actions).
        post.actions = [a for found in post_actions.call(user=user, post=post) for a in found]
    render_posts(request, page.object_list, viewer_is_member=is_member(user))
    return render(
        request,
        "forum/thread_detail.html",
        {
            "thread": thread,
            "page_obj": page,
            "form": form,
            "form_html": reply_form_html(form) if replying else None,
            "can_reply": replying,
            "can_follow": is_member(request.user),
            "draft": draft,
            "follow_level": _follow_level(request.user, thread),
            "can_accept": accepting,
            "can_write_outcome": can_write_outcome(user, thread),
            "show_accepted": thread.accepted_post_id is not None
            and thread.accepted_post.state == State.PUBLISHED,
            "tools": thread_tools.render(request, thread=thread),
            "panels": thread_panels.render(request, thread=thread),
        },
        status=status,
    )


def _follow_level(user, thread) -> str:
    if not is_member(user):
        return "none"
    if "my_follow_muted" in thread.__dict__:  # loaded with the thread
        muted = thread.my_follow_muted
    else:
        muted = (
            ThreadFollow.objects.filter(user=user, thread=thread)
            .values_list("is_muted", flat=True)
            .first()
        )
    if muted is None:
        return "none"
    return "mute" if muted else "follow"


@login_required
def thread_unread(request, pk):
    """Jump to the first post the member has not read yet."""
    thread = _thread_or_404(request.user, pk)
    read = ThreadRead.objects.filter(user=request.user, thread=thread).first()
    number = (read.last_read_number + 1) if read else 1
    post = thread.posts.filter(number__gte=number).order_by("number").first()
    if post is None:
        post = thread.posts.order_by("-number").first()
    return redirect(post.get_absolute_url())


def post_permalink(request, pk):
    # A hidden post's link still leads to its place (a notice stands in for it).
    if Post.objects.filter(pk=pk, thread__in=threads_behind_login(request.user)).exists():
        return _login_to_read(request)
    post = get_object_or_404(
        Post.objects.filter(thread__in=reachable_threads(request.user)).select_related("thread"),
        pk=pk,
    )
    url = post.thread.get_absolute_url()
    if post.page_number > 1:
        url += f"?page={post.page_number}"
    return redirect(f"{url}#post-{post.pk}")


def _draft_status(draft, *, conflict: bool = False, version: int | None = None) -> dict:
    return {
        "draft": draft,
        "conflict": conflict,
        "version": draft.version if version is None else version,
    }


def _draft_conflict(request, current, template: str, **context):
    """409: a newer save of this draft exists (another tab). The autosave says
    so and keeps its version, so it cannot overwrite the newer text; the Save
    draft button shows both texts, and saving again then keeps this one."""
    if request.htmx:
        stale = _draft_version(request) or 0
        return render(
            request,
            "forum/_draft_status.html",
            _draft_status(current, conflict=True, version=stale),
            status=409,
        )
    messages.warning(
        request,
        _(
            "This draft was saved in another tab or window after you opened it. Both texts are "
            "shown below; save again to keep the one in the form."
        ),
    )
    context.update(draft=current, show_conflict=True, conflict_text=current.body)
    return render(request, template, context, status=409)


def refuse_mentions_over(request, body: str):
    """Each @mention counts towards the member's mention limit (429 when over)."""
    for _handle in notifications.mentioned_handles(body)[:20]:
        if refused := refuse_if_over(request, "mention"):
            return refused
    return None


def _attach(stored, outcome, *, category=None, thread=None) -> None:
    """Attach a submit's uploads to its thread (to the category while it waits
    for a moderator); a refused repeat keeps none (removed as orphans)."""
    if outcome.duplicate or not stored.uploads:
        return
    published = outcome.published
    if published is not None:
        thread = getattr(published, "thread", published)
    if thread is not None:
        uploads.attach(stored.uploads, scope=THREAD_SCOPE, scope_id=thread.pk)
    else:
        uploads.attach(stored.uploads, scope=CATEGORY_SCOPE, scope_id=category.pk)


@login_required_keeping_text
@limit_writes("forum_thread")
@require_http_methods(["GET", "POST"])
def thread_create(request):
    categories = visible_categories(request.user).ordered()
    allowed = [c.pk for c in categories if can_start_thread(request.user, c)]
    require(bool(allowed))
    categories = categories.filter(pk__in=allowed)
    draft = Draft.objects.filter(user=request.user, thread__isnull=True).first()
    if request.method == "POST" and "save_draft" in request.POST:
        category = categories.filter(pk=request.POST.get("category") or 0).first()
        kind = request.POST.get("kind", "")
        form = ThreadForm(request.POST, categories=categories)
        form.errors.clear()  # saving a draft is not a submit: no errors yet
        try:
            draft = services.save_draft(
                user=request.user,
                category=category,
                kind=kind if kind in ThreadKind.values else "",
                base_version=_draft_version(request),
                **_draft_fields(request),
            )
        except services.DraftConflict as conflict:
            return _draft_conflict(request, conflict.current, "forum/thread_form.html", form=form)
        if request.htmx:
            return render(request, "forum/_draft_status.html", _draft_status(draft))
        messages.success(request, _("Your draft was saved. Find it under My drafts."))
        return render(request, "forum/thread_form.html", {"form": form, "draft": draft})
    initial = {}
    if draft is not None:
        initial = {
            "category": draft.category,
            "kind": draft.kind or ThreadKind.QUESTION,
            "title": draft.title,
            "tags_text": draft.tags_text,
            "body": draft.body,
        }
    else:
        if request.GET.get("kategori"):
            initial["category"] = categories.filter(slug=request.GET["kategori"]).first()
        if request.GET.get("titel"):
            initial["title"] = request.GET["titel"][:150]
        if request.GET.get("type") in ThreadKind.values:
            initial["kind"] = request.GET["type"]
        if request.GET.get("tekst"):  # a prefilled text, e.g. the newcomer's introduction
            initial["body"] = request.GET["tekst"][:2000]
    initial.update(_take_unsent(request))
    form = ThreadForm(
        request.POST or None, request.FILES or None, categories=categories, initial=initial
    )
    form.enable_autosave(reverse("forum:thread_create"))
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        data = form.cleaned_data
        if refused := refuse_mentions_over(request, data["body"]):
            return refused
        with transaction.atomic(), uploads.discard_on_error():
            stored = uploads.store_attachments(form, uploader=request.user)
            outcome = None
            if stored is not None:
                outcome = services.submit_thread(
                    category=data["category"],
                    author=request.user,
                    title=data["title"],
                    kind=data["kind"],
                    body=stored.body,
                    body_html=stored.body_html,
                    tags=data["tags_text"],
                    submission_key=data["submission_key"],
                )
                _attach(stored, outcome, category=data["category"])
        if outcome is None:
            return render(request, "forum/thread_form.html", {"form": form, "draft": draft})
        if outcome.duplicate:
            messages.warning(request, outcome.message)
            return render(
                request,
                "forum/thread_form.html",
                {"form": form, "draft": outcome.draft},
                status=409,
            )
        if outcome.held:
            messages.info(request, outcome.message)
            return redirect(data["category"])
        messages.success(request, outcome.message)
        return redirect(outcome.published)
    template = "forum/thread_form.html"
    if request.htmx and "preview" in request.POST:
        template += "#preview"
    similar, similar_boxes = [], []
    if "preview" in request.POST and form.is_valid():
        similar = similar_threads(request.user, form.cleaned_data["title"])
        similar_boxes = similar_panels.render(request, title=form.cleaned_data["title"])
    return render(
        request,
        template,
        {
            "form": form,
            "previewing": "preview" in request.POST,
            "similar": similar,
            "similar_panels": similar_boxes,
            "draft": draft,
        },
    )


def similar(request):
    """The live "similar threads" list under the title field (htmx)."""
    title = request.GET.get("title", "")[:150]
    return render(
        request,
        "forum/thread_form.html#similar",
        {
            "similar": similar_threads(request.user, title),
            "similar_panels": similar_panels.render(request, title=title),
        },
    )


@login_required_keeping_text
@limit_writes("forum_post")
@require_http_methods(["GET", "POST"])
def reply_create(request, pk):
    thread = _thread_or_404(request.user, pk)
    if not can_reply(request.user, thread):
        if request.method == "POST" and thread.is_locked and request.POST.get("body"):
            # Locked while the member was writing: keep the text as a draft.
            services.save_draft(
                user=request.user, thread=thread, body=request.POST["body"][:60_000]
            )
            messages.error(
                request,
                _("The thread was locked while you wrote. Your text is saved under My drafts."),
            )
            return redirect("forum:draft_list")
        require(False)
    draft = Draft.objects.filter(user=request.user, thread=thread).first()
    if request.method == "POST" and "save_draft" in request.POST:
        form = ReplyForm(request.POST)
        form.errors.clear()
        try:
            draft = services.save_draft(
                user=request.user,
                thread=thread,
                body=request.POST.get("body", "")[:60_000],
                base_version=_draft_version(request),
            )
        except services.DraftConflict as conflict:
            return _draft_conflict(
                request, conflict.current, "forum/reply_form.html", form=form, thread=thread
            )
        if request.htmx:
            return render(request, "forum/_draft_status.html", _draft_status(draft))
        messages.success(request, _("Your draft was saved. Find it under My drafts."))
        return render(
            request, "forum/reply_form.html", {"thread": thread, "form": form, "draft": draft}
        )
    initial = {"body": draft.body} if draft else {}
    quote_id = request.GET.get("citat", "")
    if request.method == "GET" and quote_id.isdigit():
        quoted = visible_posts(request.user).filter(pk=int(quote_id), thread=thread).first()
        if quoted is not None:
            initial["body"] = initial.get("body", "") + services.quote_text(quoted)
    initial.update(_take_unsent(request))
    form = ReplyForm(request.POST or None, request.FILES or None, initial=initial)
    form.enable_autosave(reverse("forum:reply_create", args=[thread.pk]))
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        if refused := refuse_mentions_over(request, form.cleaned_data["body"]):
            return refused
        with transaction.atomic(), uploads.discard_on_error():
            stored = uploads.store_attachments(form, uploader=request.user)
            outcome = None
            if stored is not None:
                outcome = services.submit_reply(
                    thread=thread,
                    author=request.user,
                    body=stored.body,
                    body_html=stored.body_html,
                    submission_key=form.cleaned_data["submission_key"],
                )
                _attach(stored, outcome, thread=thread)
        if outcome is None:
            return render(
                request, "forum/reply_form.html", {"thread": thread, "form": form, "draft": draft}
            )
        if outcome.duplicate:
            messages.warning(request, outcome.message)
            return render(
                request,
                "forum/reply_form.html",
                {"thread": thread, "form": form, "draft": outcome.draft},
                status=409,
            )
        if outcome.held:
            messages.info(request, outcome.message)
            return redirect(thread)
        messages.success(request, outcome.message)
        return redirect(outcome.published.get_absolute_url())
    template = "forum/reply_form.html"
    if request.htmx and "preview" in request.POST:
        template += "#preview"
    return render(
        request,
        template,
        {"thread": thread, "form": form, "previewing": "preview" in request.POST, "draft": draft},
    )
