"""Small request helpers every app's views share."""

from django.conf import settings
from django.core.paginator import Paginator


def page_of(request, items, *, per_page: int | None = None):
    """The page of `items` that `?page=` asks for (a bad number gives the
    nearest real page, never an error)."""
    paginator = Paginator(items, per_page or settings.NETVAERK_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def form_data(request):
    """POST data for a bound form, even when the POST is empty; None on GET."""
    return request.POST if request.method == "POST" else None
