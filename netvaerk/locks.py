"""Locks shared by every process and server, held in the cache (Redis in
production; Django's database cache without REDIS_URL). ``cache.add`` is atomic
on both, so of two callers at once exactly one gets the lock."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache


@contextmanager
def exclusive(name: str, *, timeout: int) -> Iterator[bool]:
    """Yield True to the one caller that holds lock ``name``, False to the others.

    The lock expires after ``timeout`` seconds even if its holder dies; it is
    released on exit only by the holder that took it."""
    key = f"lock:{name}"
    token = uuid.uuid4().hex
    acquired = bool(cache.add(key, token, timeout=timeout))
    try:
        yield acquired
    finally:
        if acquired and cache.get(key) == token:
            cache.delete(key)
