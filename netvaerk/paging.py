"""Small request helpers every app's views share."""

from django.conf import settings
from django.core.paginator import Paginator


class _CountedPaginator(Paginator):
    """A paginator told how many items there are (no COUNT query)."""

    def __init__(self, *args, known_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = known_count  # fills the cached property


def page_of(request, items, *, per_page: int | None = None, count: int | None = None):
    """The page of `items` that `?page=` asks for (a bad number gives the
    nearest real page, never an error). ``count``: how many there are, when
    the caller knows (saves the COUNT query)."""
    per_page = per_page or settings.NETVAERK_PAGE_SIZE
    if count is None:
        paginator = Paginator(items, per_page)
    else:
        paginator = _CountedPaginator(items, per_page, known_count=count)
    return paginator.get_page(request.GET.get("page"))


def form_data(request):
    """POST data for a bound form, even when the POST is empty; None on GET."""
    return request.POST if request.method == "POST" else None
