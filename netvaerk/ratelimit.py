"""Rate limits on writes, counted in the shared cache so they hold across processes."""

import functools
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded-for header is set by whoever sends the request.
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(*, scope: str, key: str) -> int | None:
    """Count one action; return the seconds to wait when over the limit, else None."""
    limit, period = settings.NETVAERK_RATE_LIMITS[scope]
    now = time.time()
    window = int(now // period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=period):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=period)
            count = 1
    if count > limit:
        return max(1, int(period - (now % period)))
    return None


def refuse_if_over(request, scope: str):
    """Count one action by this member (or IP); the 429 page when over the limit."""
    who = f"user:{request.user.pk}" if request.user.is_authenticated else None
    retry_after = hit(scope=scope, key=who or f"ip:{client_ip(request)}")
    if retry_after is None:
        return None
    from netvaerk.views import too_many_requests

    return too_many_requests(request, retry_after=retry_after)


def limit_writes(scope: str):
    """View decorator: POSTs beyond the scope's limit get the 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and (refused := refuse_if_over(request, scope)):
                return refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
