"""Thread lists: the forum index, latest, unanswered, unsolved, category and tag pages."""

from django.core.cache import caches
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.permissions import is_member, unwrapped
from forum.extensions import index_aside
from forum.forms import (
    ThreadFilterForm,
)
from forum.models import (
    Category,
    CategoryFollow,
    Tag,
    TagFollow,
    Thread,
    load_tags,
)
from forum.models.memos import category_choices
from forum.permissions import (
    can_manage_categories,
    can_start_thread,
    moderates_something,
    reachable_threads,
    read_levels,
    thread_access_shape,
    visible_categories,
    visible_threads,
)
from forum.rows import add_row_texts, render_thread_rows
from forum.views.common import _query_without_page
from netvaerk.fragments import key_of
from netvaerk.paging import page_of
from netvaerk.prepared import Prepared


def index(request):
    categories = visible_categories(request.user).for_index(visible_threads(request.user))
    if moderates_something(request.user):
        categories = categories.with_removed_counts(reachable_threads(request.user))
    return render(
        request,
        "forum/index.html",
        {
            "categories": categories,
            "can_start": is_member(request.user),
            "can_manage": can_manage_categories(request.user),
            "aside": index_aside.render(request),
        },
    )


# How long a list's thread count is kept at most (it is also renewed whenever a
# category's counters change: a new, moved, hidden or deleted thread).
COUNT_SECONDS = 60


def _kept_count(request, threads, *, category=None) -> int:
    """The number of threads in the latest list or a category's list, kept
    while the categories' thread counters stay the same (one small query, or
    none for a category, instead of counting every thread)."""
    if category is not None:
        counters = ((category.pk, category.thread_count, category.post_count),)
    else:
        counters = tuple(
            Category.objects.order_by("pk").values_list("pk", "thread_count", "post_count")
        )
    key = key_of(
        "thread-count", (thread_access_shape(request.user), category and category.pk, counters)
    )
    cache = caches["fragments"]
    count = cache.get(key)
    if count is None:
        count = threads.count()
        cache.set(key, count, COUNT_SECONDS)
    return count


def _build_list_page(user, category_id, bottom, top):
    threads = visible_threads(user)
    if category_id is not None:
        threads = threads.filter(category_id=category_id)
    return threads.for_listing(user)[bottom:top]


# The latest list's and a category's page of threads, built and compiled once
# per kind of reader and page (netvaerk.prepared).
_LIST_PAGE = Prepared(
    _build_list_page,
    lambda user, category_id, bottom, top: (
        thread_access_shape(user),
        category_id is None,
        bottom,
        top,
    ),
    model=Thread,
    fixed=(2, 3),
)


class _PreparedPages:
    """What the paginator slices: each slice runs the prepared page query."""

    def __init__(self, user, category_id):
        self.user, self.category_id = user, category_id

    def __getitem__(self, bounds: slice):
        return _LIST_PAGE.list(self.user, self.category_id, bounds.start, bounds.stop)


def _thread_list(request, *, threads, title, intro="", list_kind="latest", category=None, tag=None):
    form = ThreadFilterForm(request.GET or None)
    if form.is_valid() and list_kind in ("unanswered", "unsolved"):
        if form.cleaned_data["category"]:
            threads = threads.filter(category__slug=form.cleaned_data["category"])
        if form.cleaned_data["tag"]:
            threads = threads.filter(tags__slug=form.cleaned_data["tag"])
    if list_kind in ("latest", "category"):
        count = _kept_count(request, threads, category=category)
        pages = _PreparedPages(unwrapped(request.user), category and category.pk)
        page = page_of(request, pages, count=count)
    else:
        page = page_of(request, threads)
    page.object_list = add_row_texts(page.object_list, list_kind=list_kind)
    load_tags(page.object_list)
    render_thread_rows(request, page.object_list, show_category=category is None)
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
            "categories": category_choices(read_levels(request.user))
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
