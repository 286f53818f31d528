"""Rendered pieces of the thread page kept in the process (cache "fragments").

A post's header (avatar, name, accepted badge, "edited", the date) is the same
for every reader of the same kind, so it is rendered once and kept. Its key
holds everything the header shows: the post's version and dates, whether it
is the accepted answer, whether the reader may open the edit history, the
author's name, picture and language, whether the reader is a member (who see
pictures), the language and the time zone. An edit, a new picture, a changed
role or another language therefore gives another key: nothing is invalidated,
and no server can show a stale header. The body is printed as stored (rendered
and sanitised once, when written) and the footer, which differs per reader
(thanks, bookmark, edit, accept), is rendered on every request.
"""

import hashlib

from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

HEADER_TEMPLATE = "forum/_post_header.html"


def _key(post, viewer_is_member: bool) -> str:
    author = post.author
    parts = (
        post.pk,
        post.version,
        post.created_at,
        post.edited_at,
        post.is_accepted,
        post.can_view_history,
        getattr(author, "pk", None),
        getattr(author, "display_name", ""),
        getattr(author, "avatar_key", ""),
        getattr(author, "language", ""),
        viewer_is_member,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    return "post-header:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def post_headers(request, posts, *, viewer_is_member: bool) -> None:
    """Set `header_html` on each post of a page: kept ones in one cache read,
    the others rendered and kept."""
    cache = caches["fragments"]
    keys = {post.pk: _key(post, viewer_is_member) for post in posts}
    kept = cache.get_many(list(keys.values()))
    template = None
    fresh = {}
    for post in posts:
        html = kept.get(keys[post.pk])
        if html is None:
            template = template or get_template(HEADER_TEMPLATE)
            html = template.render({"post": post, "request": request})
            fresh[keys[post.pk]] = html
        post.header_html = mark_safe(html)  # noqa: S308 - rendered by our template
    if fresh:
        cache.set_many(fresh)
