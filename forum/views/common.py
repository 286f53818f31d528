"""What the forum views share: pagination, kept text, permission-aware fetching."""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from forum.models import Post
from forum.permissions import can_see_post_body, reachable_threads

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


def _draft_version(request) -> int | None:
    """The draft version the form showed (0: no draft yet); None from a form
    that does not say (then the save is not checked)."""
    value = request.POST.get("draft_version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _thread_or_404(user, pk):
    """A thread whose page this user may open (hidden ones for their author and
    moderators, deleted ones for network leaders, merged ones to redirect)."""
    return get_object_or_404(
        reachable_threads(user).select_related(
            "category", "author", "accepted_post", "accepted_post__author", "locked_by"
        ),
        pk=pk,
    )


def _post_or_404(user, pk):
    """A post in such a thread whose text this user may see."""
    post = get_object_or_404(
        Post.objects.filter(thread__in=reachable_threads(user)).select_related(
            "thread", "thread__category", "author"
        ),
        pk=pk,
    )
    if not can_see_post_body(user, post):
        raise Http404
    return post
