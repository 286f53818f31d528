import difflib
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import is_member, require
from forum import notifications, services
from forum.forms import (
    CategoryForm,
    EditPostForm,
    ReplyForm,
    SearchForm,
    SynonymForm,
    ThreadFilterForm,
    ThreadForm,
)
from forum.models import (
    POSTS_PER_PAGE,
    Bookmark,
    Category,
    CategoryFollow,
    Draft,
    FailedSearch,
    Notification,
    SearchSynonym,
    Tag,
    TagFollow,
    ThreadFollow,
    ThreadKind,
    ThreadRead,
)
from forum.permissions import (
    can_accept_answer,
    can_bookmark,
    can_edit_post,
    can_manage_categories,
    can_manage_search,
    can_react,
    can_read_category,
    can_reply,
    can_restore_revision,
    can_start_thread,
    can_view_history,
    visible_categories,
    visible_posts,
    visible_threads,
)
from forum.search import (
    SearchFilters,
    posts_for_page,
    record_failed_search,
    search_posts,
    similar_threads,
    snippets,
)
from netvaerk.ratelimit import limit_writes, refuse_if_over

UNSENT_KEY = "forum_unsent"
COMPOSER_FIELDS = ("category", "kind", "title", "tags_text", "body")


def login_required_keeping_text(view):
    """Like login_required, but a POST from a visitor whose session ran out is
    kept in the (anonymous) session and offered again after logging in."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            unsent = {name: request.POST.get(name, "")[:60_000] for name in COMPOSER_FIELDS}
            request.session[UNSENT_KEY] = {"path": request.path, "data": unsent}
            messages.info(
                request, _("Your session had ended. Log in and your text is still there.")
            )
        return redirect_to_login(request.get_full_path())

    return wrapper


def _take_unsent(request) -> dict:
    unsent = request.session.get(UNSENT_KEY)
    if unsent and unsent.get("path") == request.path:
        del request.session[UNSENT_KEY]
        return {k: v for k, v in unsent["data"].items() if v}
    return {}


def _draft_fields(request) -> dict:
    return {
        name: request.POST.get(name, "")[: 150 if name == "title" else 60_000]
        for name in ("title", "tags_text", "body")
    }


def _page(request, queryset, per_page=None):
    paginator = Paginator(queryset, per_page or settings.NETVAERK_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def index(request):
    categories = visible_categories(request.user).for_index()
    return render(
        request,
        "forum/index.html",
        {
            "categories": categories,
            "can_start": is_member(request.user),
            "can_manage": can_manage_categories(request.user),
        },
    )


def _thread_list(request, *, threads, title, intro="", list_kind="latest", category=None, tag=None):
    form = ThreadFilterForm(request.GET or None)
    if form.is_valid() and list_kind in ("unanswered", "unsolved"):
        if form.cleaned_data["category"]:
            threads = threads.filter(category__slug=form.cleaned_data["category"])
        if form.cleaned_data["tag"]:
            threads = threads.filter(tags__slug=form.cleaned_data["tag"])
    page = _page(request, threads)
    return render(
        request,
        "forum/thread_list.html",
        {
            "page_obj": page,
            "query": _query_without_page(request),
            "title": title,
            "intro": intro,
            "list_kind": list_kind,
            "category": category,
            "tag": tag,
            "categories": visible_categories(request.user).ordered()
            if list_kind in ("unanswered", "unsolved")
            else None,
            "can_start": category is None or can_start_thread(request.user, category),
            "can_follow": is_member(request.user) and (category or tag) is not None,
            "is_following": _is_following(request.user, category=category, tag=tag),
        },
    )


def _is_following(user, *, category=None, tag=None) -> bool:
    if not is_member(user):
        return False
    if category is not None:
        return CategoryFollow.objects.filter(user=user, category=category).exists()
    if tag is not None:
        return TagFollow.objects.filter(user=user, tag=tag).exists()
    return False


def latest(request):
    threads = visible_threads(request.user).for_listing(request.user)
    return _thread_list(request, threads=threads, title=_("Latest"))


def unanswered(request):
    threads = (
        visible_threads(request.user)
        .unanswered()
        .for_listing(request.user)
        .order_by("created_at", "pk")
    )
    return _thread_list(
        request,
        threads=threads,
        title=_("Unanswered"),
        intro=_("Questions nobody has answered yet, the longest-waiting first. Can you help?"),
        list_kind="unanswered",
    )


def unsolved(request):
    threads = visible_threads(request.user).unsolved().for_listing(request.user)
    return _thread_list(
        request,
        threads=threads,
        title=_("Unsolved"),
        intro=_("Questions without an accepted answer."),
        list_kind="unsolved",
    )


def category_detail(request, slug):
    category = get_object_or_404(visible_categories(request.user), slug=slug)
    threads = visible_threads(request.user).filter(category=category).for_listing(request.user)
    return _thread_list(
        request,
        threads=threads,
        title=category.name,
        intro=category.description,
        list_kind="category",
        category=category,
    )


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    threads = visible_threads(request.user).filter(tags=tag).for_listing(request.user)
    return _thread_list(
        request,
        threads=threads,
        title=_("Tag: %(name)s") % {"name": tag.name},
        list_kind="tag",
        tag=tag,
    )


def _thread_or_404(user, pk):
    return get_object_or_404(
        visible_threads(user).select_related(
            "category", "author", "accepted_post", "accepted_post__author"
        ),
        pk=pk,
    )


def thread_detail(request, pk, slug):
    thread = _thread_or_404(request.user, pk)
    if slug != thread.slug:
        return redirect(thread, permanent=True)
    page = _page(request, thread.posts.for_thread_page(), per_page=POSTS_PER_PAGE)
    services.record_view(thread=thread)
    last_number = page.object_list[len(page.object_list) - 1].number if page.object_list else 0
    services.mark_read(user=request.user, thread=thread, number=last_number)
    draft = None
    if can_reply(request.user, thread):
        draft = Draft.objects.filter(user=request.user, thread=thread).first()
    form = ReplyForm(initial={"body": draft.body} if draft else None)
    form.enable_autosave(reverse("forum:reply_create", args=[thread.pk]))
    return _render_thread(request, thread, page, form, draft=draft)


def _render_thread(request, thread, page, form, *, draft=None, status=200):
    user = request.user
    accepting = can_accept_answer(user, thread)
    replying = can_reply(user, thread)
    bookmarked = set()
    if can_bookmark(user):
        bookmarked = set(
            Bookmark.objects.filter(user=user, post__in=page.object_list).values_list(
                "post_id", flat=True
            )
        )
    for post in page.object_list:
        post.thread = thread  # the predicates read it; no query per post
        post.can_accept = accepting and post.number > 1
        post.can_edit = can_edit_post(user, post)
        post.can_view_history = post.edited_at is not None and can_view_history(user, post)
        post.is_accepted = post.pk == thread.accepted_post_id
        post.can_quote = replying
        post.can_react = can_react(user, post)
        post.can_bookmark = can_bookmark(user)
        post.is_bookmarked = post.pk in bookmarked
        post.thankers = [reaction.user for reaction in post.reaction_list]
        post.thanked_by_me = any(r.user_id == user.pk for r in post.reaction_list)
    return render(
        request,
        "forum/thread_detail.html",
        {
            "thread": thread,
            "page_obj": page,
            "form": form,
            "can_reply": can_reply(request.user, thread),
            "can_follow": is_member(request.user),
            "draft": draft,
            "follow_level": _follow_level(request.user, thread),
            "can_accept": accepting,
            "show_accepted": thread.accepted_post_id is not None,
        },
        status=status,
    )


def _follow_level(user, thread) -> str:
    if not is_member(user):
        return "none"
    follow = ThreadFollow.objects.filter(user=user, thread=thread).first()
    if follow is None:
        return "none"
    return "mute" if follow.is_muted else "follow"


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
    post = get_object_or_404(visible_posts(request.user).select_related("thread"), pk=pk)
    url = post.thread.get_absolute_url()
    if post.page_number > 1:
        url += f"?page={post.page_number}"
    return redirect(f"{url}#post-{post.pk}")


@login_required_keeping_text
@limit_writes("forum_post")
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
        draft = services.save_draft(
            user=request.user,
            category=category,
            kind=kind if kind in ThreadKind.values else "",
            **_draft_fields(request),
        )
        if request.htmx:
            return render(request, "forum/_draft_status.html", {"draft": draft})
        messages.success(request, _("Your draft was saved. Find it under My drafts."))
        form = ThreadForm(request.POST, categories=categories)
        form.errors.clear()  # saving a draft is not a submit: no errors yet
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
    initial.update(_take_unsent(request))
    form = ThreadForm(request.POST or None, categories=categories, initial=initial)
    form.enable_autosave(reverse("forum:thread_create"))
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        data = form.cleaned_data
        thread = services.start_thread(
            category=data["category"],
            author=request.user,
            title=data["title"],
            kind=data["kind"],
            body=data["body"],
            tags=data["tags_text"],
            submission_key=data["submission_key"],
        )
        messages.success(request, _("Your thread was published."))
        return redirect(thread)
    template = "forum/thread_form.html"
    if request.htmx and "preview" in request.POST:
        template += "#preview"
    similar = []
    if "preview" in request.POST and form.is_valid():
        similar = similar_threads(request.user, form.cleaned_data["title"])
    return render(
        request,
        template,
        {
            "form": form,
            "previewing": "preview" in request.POST,
            "similar": similar,
            "draft": draft,
        },
    )


def similar(request):
    """The live "similar threads" list under the title field (htmx)."""
    title = request.GET.get("title", "")[:150]
    return render(
        request,
        "forum/thread_form.html#similar",
        {"similar": similar_threads(request.user, title)},
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
        draft = services.save_draft(
            user=request.user, thread=thread, body=request.POST.get("body", "")[:60_000]
        )
        if request.htmx:
            return render(request, "forum/_draft_status.html", {"draft": draft})
        messages.success(request, _("Your draft was saved. Find it under My drafts."))
        form = ReplyForm(request.POST)
        form.errors.clear()
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
    form = ReplyForm(request.POST or None, initial=initial)
    form.enable_autosave(reverse("forum:reply_create", args=[thread.pk]))
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        post = services.post_reply(
            thread=thread,
            author=request.user,
            body=form.cleaned_data["body"],
            submission_key=form.cleaned_data["submission_key"],
        )
        messages.success(request, _("Your reply was posted."))
        return redirect(post.get_absolute_url())
    template = "forum/reply_form.html"
    if request.htmx and "preview" in request.POST:
        template += "#preview"
    return render(
        request,
        template,
        {"thread": thread, "form": form, "previewing": "preview" in request.POST, "draft": draft},
    )


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
        services.accept_answer(thread=thread, post=post)
        messages.success(request, _("The answer is marked as accepted. Thank you!"))
    return redirect(post.get_absolute_url())


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
    return render(request, "forum/bookmark_list.html", {"page_obj": _page(request, bookmarks)})


def _post_or_404(user, pk):
    return get_object_or_404(
        visible_posts(user).select_related("thread", "thread__category", "author"), pk=pk
    )


@login_required
@limit_writes("forum_post")
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = _post_or_404(request.user, pk)
    require(can_edit_post(request.user, post))
    first_post = post.number == 1
    initial = {"body": post.body, "title": post.thread.title}
    form = EditPostForm(request.POST or None, initial=initial, first_post=first_post)
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        services.edit_post(
            post=post,
            editor=request.user,
            body=form.cleaned_data["body"],
            title=form.cleaned_data.get("title"),
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Your changes were saved."))
        return redirect(post.get_absolute_url())
    return render(
        request,
        "forum/post_form.html",
        {"post": post, "form": form, "previewing": "preview" in request.POST},
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


@login_required
def category_list(request):
    require(can_manage_categories(request.user))
    return render(request, "forum/category_list.html", {"categories": Category.objects.ordered()})


@login_required
@limit_writes("category_edit")
@require_http_methods(["GET", "POST"])
def category_edit(request, pk=None):
    require(can_manage_categories(request.user))
    category = get_object_or_404(Category, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        form.save()  # one row, nothing else changes
        messages.success(request, _("The category was saved."))
        return redirect("forum:category_list")
    return render(request, "forum/category_form.html", {"form": form, "category": category})


# --- Following and notifications ------------------------------------------------


@login_required
@limit_writes("forum_reaction")
@require_POST
def follow_thread(request, pk):
    thread = _thread_or_404(request.user, pk)
    require(is_member(request.user))
    level = request.POST.get("level", "")
    if level not in ("follow", "mute", "none"):
        messages.error(request, _("Choose follow, mute or neither."))
    else:
        services.follow_thread(user=request.user, thread=thread, level=level)
        messages.success(
            request,
            {
                "follow": _("You follow this thread and hear about new replies."),
                "mute": _("The thread is muted: you will not hear about it."),
                "none": _("You no longer follow this thread."),
            }[level],
        )
    return redirect(thread)


@login_required
@limit_writes("forum_reaction")
@require_POST
def follow_category(request, slug):
    category = get_object_or_404(visible_categories(request.user), slug=slug)
    require(is_member(request.user))
    if services.toggle_category_follow(user=request.user, category=category):
        messages.success(request, _("You will hear about new threads in this category."))
    else:
        messages.success(request, _("You no longer follow this category."))
    return redirect(category)


@login_required
@limit_writes("forum_reaction")
@require_POST
def follow_tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    require(is_member(request.user))
    if services.toggle_tag_follow(user=request.user, tag=tag):
        messages.success(request, _("You will hear about new threads with this tag."))
    else:
        messages.success(request, _("You no longer follow this tag."))
    return redirect(tag)


@login_required
def notification_list(request):
    items = Notification.objects.filter(recipient=request.user).for_listing()
    return render(request, "forum/notification_list.html", {"page_obj": _page(request, items)})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(
        Notification.objects.select_related("thread__category", "post"),
        pk=pk,
        recipient=request.user,
    )
    notifications.mark_read(notification=notification)
    if not can_read_category(request.user, notification.thread.category):
        raise Http404
    return redirect(notification.target_url)


@login_required
@require_POST
def notification_mark_all_read(request):
    notifications.mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("forum:notification_list")


# Email clients send the one-click unsubscribe as a POST without our CSRF
# token (RFC 8058); the signed token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user = notifications.user_from_unsubscribe_token(token)
    if user is None:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        notifications.unsubscribe(user=user)
        return render(request, "forum/unsubscribe.html", {"done": True})
    return render(request, "forum/unsubscribe.html", {"email": user.email})


# --- Drafts ---------------------------------------------------------------------


@login_required
def draft_list(request):
    drafts = Draft.objects.filter(user=request.user).for_listing()
    return render(request, "forum/draft_list.html", {"page_obj": _page(request, drafts)})


@login_required
@require_http_methods(["GET", "POST"])
def draft_delete(request, pk):
    draft = get_object_or_404(Draft.objects.select_related("thread"), pk=pk, user=request.user)
    if request.method == "POST":
        services.delete_draft(draft=draft)
        messages.success(request, _("The draft was deleted."))
        return redirect("forum:draft_list")
    return render(request, "forum/draft_confirm_delete.html", {"draft": draft})


# --- Search ---------------------------------------------------------------------


def search(request):
    form = SearchForm(request.GET or None)
    form.is_valid()  # a malformed filter is ignored, see SearchForm.filters
    text = form.cleaned_data.get("q") or ""
    context = {
        "form": form,
        "text": text,
        "categories": visible_categories(request.user).ordered(),
        "query": _query_without_page(request),
    }
    if text:
        if refused := refuse_if_over(request, "search"):
            return refused
        ids, parsed = search_posts(request.user, text, SearchFilters(**form.filters()))
        if not ids and not parsed.is_empty:
            record_failed_search(text)
        page = Paginator(ids, settings.NETVAERK_PAGE_SIZE).get_page(request.GET.get("page"))
        hits = posts_for_page(list(page.object_list))
        highlighted = snippets(hits, parsed)
        for post in hits:
            post.snippet = highlighted.get(post.pk, "")
        context.update(
            {"searched": True, "empty_query": parsed.is_empty, "page_obj": page, "hits": hits}
        )
    return render(request, "forum/search.html", context)


@login_required
def failed_search_list(request):
    require(can_manage_search(request.user))
    failed = FailedSearch.objects.order_by("-count", "-last_searched_at")
    return render(request, "forum/failed_search_list.html", {"page_obj": _page(request, failed)})


@login_required
@require_POST
def failed_search_dismiss(request, pk):
    require(can_manage_search(request.user))
    get_object_or_404(FailedSearch, pk=pk).delete()  # one row, nothing else
    messages.success(request, _("The search was removed from the list."))
    return redirect("forum:failed_search_list")


@login_required
@limit_writes("category_edit")
@require_http_methods(["GET", "POST"])
def synonym_list(request):
    require(can_manage_search(request.user))
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The synonyms were saved."))
        return redirect("forum:synonym_list")
    return render(
        request,
        "forum/synonym_list.html",
        {"form": form, "synonyms": SearchSynonym.objects.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def synonym_delete(request, pk):
    require(can_manage_search(request.user))
    synonym = get_object_or_404(SearchSynonym, pk=pk)
    if request.method == "POST":
        synonym.delete()
        messages.success(request, _("The synonyms were removed."))
        return redirect("forum:synonym_list")
    return render(request, "forum/synonym_confirm_delete.html", {"synonym": synonym})
