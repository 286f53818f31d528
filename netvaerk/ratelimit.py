"""Rate limits on writes (and searches), counted where every process sees them:
in Redis when the cache is Redis, else in one database table with an upsert
(a search, a GET, in the counters cache: files shared by the machine's processes)."""

import functools
import random
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.shortcuts import render

from netvaerk.client import client_ip
from netvaerk.extensions import Gate

new_member = Gate(
    "ratelimit.new_member",
    """Whether a signed-in member still gets the stricter new-member limits
    (NETVAERK_NEW_MEMBER_RATE_LIMITS). Asked as ``ask(user=...)``, only for scopes
    that have a stricter limit; a check answers ``True`` for a new member and
    ``None`` otherwise. With no check registered everyone gets the normal limits.
    moderation registers the check (it knows who is established).""",
)


def hit(*, scope: str, key: str, new_member: bool = False, read: bool = False) -> int | None:
    """Count one action; return the seconds to wait when over the limit, else None.
    New members have stricter limits for some scopes (NETVAERK_NEW_MEMBER_RATE_LIMITS).
    ``read``: a GET (a search) is counted in the counters cache (netvaerk.counters)
    when the cache is the database's, so that reading writes no row."""
    limit, period = settings.NETVAERK_RATE_LIMITS[scope]
    if new_member and scope in settings.NETVAERK_NEW_MEMBER_RATE_LIMITS:
        limit, period = settings.NETVAERK_NEW_MEMBER_RATE_LIMITS[scope]
    now = time.time()
    window = int(now // period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    if _counts_in_cache():
        count = _count_in_cache(cache, cache_key, period)
    elif read:
        count = _count_in_cache(caches["counters"], cache_key, period)
    else:
        count = _count_in_database(cache_key, expires=(window + 1) * period)
    if count > limit:
        return max(1, int(period - (now % period)))
    return None


def _counts_in_cache() -> bool:
    return "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]


def _count_in_cache(cache, cache_key: str, period: int) -> int:
    if cache.add(cache_key, 1, timeout=period):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=period)
        return 1


def _count_in_database(key: str, *, expires: float) -> int:
    """One atomic upsert (PostgreSQL and SQLite 3.35+); old windows are swept now and then."""
    expires_at = datetime.fromtimestamp(expires, tz=UTC)
    with connection.cursor() as cursor:
        if random.random() < 0.01:  # only spreads the sweep
            cursor.execute(
                "DELETE FROM netvaerk_ratecount WHERE expires_at < %s", [datetime.now(tz=UTC)]
            )
        cursor.execute(
            "INSERT INTO netvaerk_ratecount (key, count, expires_at) VALUES (%s, 1, %s) "
            "ON CONFLICT (key) DO UPDATE SET count = netvaerk_ratecount.count + 1 "
            "RETURNING count",
            [key, expires_at],
        )
        return cursor.fetchone()[0]


def refuse_if_over(request, scope: str):
    """Count one action by this member (or IP); the 429 page when over the limit."""
    who = f"user:{request.user.pk}" if request.user.is_authenticated else None
    is_new = bool(
        who
        and scope in settings.NETVAERK_NEW_MEMBER_RATE_LIMITS
        and new_member.ask(user=request.user)
    )
    retry_after = hit(
        scope=scope,
        key=who or f"ip:{client_ip(request)}",
        new_member=is_new,
        read=request.method in ("GET", "HEAD"),
    )
    if retry_after is None:
        return None
    return too_many_requests(request, retry_after=retry_after)


# Form buttons that do not publish: saving a draft (also the autosave) and a
# preview. They count against the looser "draft" scope, not the posting limits.
NOT_PUBLISHING = ("save_draft", "preview")


def limit_writes(scope: str):
    """View decorator: POSTs beyond the scope's limit get the 429 page. Drafts
    and previews (NOT_PUBLISHING) count against the "draft" scope instead."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                counted = scope
                if "draft" in settings.NETVAERK_RATE_LIMITS and any(
                    name in request.POST for name in NOT_PUBLISHING
                ):
                    counted = "draft"
                if refused := refuse_if_over(request, counted):
                    return refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many_requests(request, *, retry_after: int):
    """The 429 page, telling when to try again."""
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
