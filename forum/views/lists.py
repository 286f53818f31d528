"""Thread lists: the forum index, latest, unanswered, unsolved, category and tag pages."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.permissions import is_member
from forum.extensions import index_aside
from forum.forms import (
    ThreadFilterForm,
)
from forum.models import (
    CategoryFollow,
    Tag,
    TagFollow,
)
from forum.permissions import (
    can_manage_categories,
    can_start_thread,
    moderates_something,
    reachable_threads,
    visible_categories,
    visible_threads,
)
from forum.rows import add_row_texts, render_thread_rows
from forum.views.common import _query_without_page
from netvaerk.paging import page_of


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


def _thread_list(request, *, threads, title, intro="", list_kind="latest", category=None, tag=None):
    form = ThreadFilterForm(request.GET or None)
    if form.is_valid() and list_kind in ("unanswered", "unsolved"):
        if form.cleaned_data["category"]:
            threads = threads.filter(category__slug=form.cleaned_data["category"])
        if form.cleaned_data["tag"]:
            threads = threads.filter(tags__slug=form.cleaned_data["tag"])
    page = page_of(request, threads)
    page.object_list = add_row_texts(page.object_list, list_kind=list_kind)
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
