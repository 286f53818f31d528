"""Rendered rows of hot pages kept in the process (cache "fragments").

A row of a page (a post, a thread in a list, a need on the board) looks the
same to every reader for whom the same values hold. ``render_rows`` renders
each row once per such set of values and keeps it: the key is a hash of
everything the row's template prints, so a change of any of them gives
another key. Nothing is invalidated and no server can show a stale row; the
price is that the caller must name every value the template reads (each
caller has a test that reads its template and compares).

Rows may hold forms: they are rendered with a stand-in CSRF token and the
page's own token is put in when the row is used.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

CSRF_STAND_IN = "csrfstandin0000000000000000000000000000000000000000000000000000"


def key_of(prefix: str, parts) -> str:
    """A cache key for ``parts`` (any repr-able values) in the current language
    and time zone."""
    parts = (parts, translation.get_language(), timezone.get_current_timezone_name())
    return f"{prefix}:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def render_rows(
    request,
    rows: Iterable,
    *,
    template: str,
    name: str,
    prefix: str,
    parts: Callable,
    prepare: Callable | None = None,
    prepare_many: Callable | None = None,
    context: dict | None = None,
) -> None:
    """Set ``row.html`` on each row: kept ones from one cache read, the others
    rendered with ``{name: row, "request": request, "csrf_token": …, **context}``
    and kept. ``parts(row)`` returns the values the template reads;
    ``prepare(row)`` runs before a row is rendered anew (links and the like
    that a kept row does not need); ``prepare_many(rows)`` once with all the
    rows to be rendered anew (say, one query for them all)."""
    rows = list(rows)
    cache = caches["fragments"]
    keys = [key_of(prefix, parts(row)) for row in rows]
    kept = cache.get_many(keys)
    if prepare_many is not None:
        missing = [row for row, key in zip(rows, keys, strict=True) if key not in kept]
        if missing:
            prepare_many(missing)
    compiled = None
    fresh = {}
    token = None
    for row, key in zip(rows, keys, strict=True):
        html = kept.get(key)
        if html is None:
            html = fresh.get(key)
        if html is None:
            compiled = compiled or get_template(template)
            if prepare is not None:
                prepare(row)
            html = compiled.render(
                {name: row, "request": request, "csrf_token": CSRF_STAND_IN, **(context or {})}
            )
            fresh[key] = html
        if CSRF_STAND_IN in html:
            token = token or get_token(request)
            html = html.replace(CSRF_STAND_IN, token)
        row.html = mark_safe(html)  # noqa: S308 - rendered by our template
    if fresh:
        cache.set_many(fresh)
