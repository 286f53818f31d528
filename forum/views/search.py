"""The search results page."""

from django.shortcuts import render

from accounts.permissions import is_member
from forum.extensions import search_panels
from forum.forms import (
    SearchForm,
)
from forum.fragments import render_hits
from forum.models.memos import category_choices
from forum.permissions import read_levels
from forum.search import (
    SearchFilters,
    posts_for_page,
    record_failed_search,
    search_posts,
    snippets,
)
from forum.views.common import _query_without_page
from netvaerk.paging import page_of
from netvaerk.ratelimit import refuse_if_over

# --- Search ---------------------------------------------------------------------


def search(request):
    form = SearchForm(request.GET or None)
    form.is_valid()  # a malformed filter is ignored, see SearchForm.filters
    text = form.cleaned_data.get("q") or ""
    context = {
        "form": form,
        "text": text,
        "categories": category_choices(read_levels(request.user)),
        "query": _query_without_page(request),
    }
    if text:
        if refused := refuse_if_over(request, "search"):
            return refused
        filters = SearchFilters(**form.filters())
        ids, parsed = search_posts(request.user, text, filters)
        # What members look for in vain: not visitors (who cannot read the
        # members' categories) and not searches a filter narrowed.
        if not ids and not parsed.is_empty and is_member(request.user) and not filters.narrows:
            record_failed_search(text)
        page = page_of(request, ids)
        hits = posts_for_page(list(page.object_list))
        render_hits(request, hits, parsed, snippets)
        context.update(
            {
                "searched": True,
                "empty_query": parsed.is_empty,
                "page_obj": page,
                "hits": hits,
                "panels": [] if parsed.is_empty else search_panels.render(request, text=text),
            }
        )
    return render(request, "forum/search.html", context)
