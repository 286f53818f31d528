"""Counters bumped on reads (a thread's views), gathered in the cache and written
to the database in batches, so that a GET never writes a row for them.

``bump("thread_views", pk)`` adds one to the count of ``pk`` in the current
generation (a minute by default). Each generation keeps a small log of the ids
it saw first, so ``flush`` finds them without listing keys: for every finished
generation it hands ``{pk: count}`` to a function that writes them (one UPDATE
per distinct count), then deletes the keys. ``manage.py run_periodic counters``
(every minute, deploy/netvaerk-periodic-counters.timer) runs it.

The cache is the ``counters`` alias: Redis with REDIS_URL, else files in
NETVAERK_COUNTER_DIR (shared by every process on the machine, no database
write). Losing a few counts (a crash, a cache without atomic increments) is
accepted; a failing cache never fails the page.
"""

import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 3600  # a generation nobody flushed is forgotten after a day


def _cache():
    return caches["counters"]


def _generation(now: float | None = None) -> int:
    return int(now if now is not None else time.time()) // settings.NETVAERK_COUNTER_SECONDS


def _incr(cache, key: str) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # not there yet
        if cache.add(key, 1, timeout=KEEP_SECONDS):
            return 1
        return cache.incr(key)


def _key(name: str, generation: int, item) -> str:
    if isinstance(item, int):
        return f"{name}:{generation}:{item}"
    return f"{name}:{generation}:h{hashlib.sha256(repr(item).encode()).hexdigest()[:32]}"


def bump(name: str, pk) -> None:
    """Count one more for ``pk`` (an id, or any short text such as a search's
    words; never raises)."""
    cache = _cache()
    generation = _generation()
    try:
        if _incr(cache, _key(name, generation, pk)) == 1:
            slot = _incr(cache, f"{name}:{generation}:n")
            cache.set(f"{name}:{generation}:id:{slot}", pk, timeout=KEEP_SECONDS)
    except Exception:  # the cache is down: the count is lost, the page is not
        logger.warning("Could not count %s for %s", name, pk, exc_info=True)


def pending(name: str, *, include_current: bool = True) -> dict:
    """The counts not yet flushed, by id (for tests and the admin)."""
    counts: dict = defaultdict(int)
    for _generation_number, found, _keys in _generations(name, include_current):
        for pk, count in found.items():
            counts[pk] += count
    return dict(counts)


def _generations(name: str, include_current: bool):
    cache = _cache()
    current = _generation()
    oldest = current - KEEP_SECONDS // settings.NETVAERK_COUNTER_SECONDS
    last = current + 1 if include_current else current
    seen = cache.get_many([f"{name}:{g}:n" for g in range(oldest, last)])
    for generation in range(oldest, last):
        size = seen.get(f"{name}:{generation}:n")
        if not size:
            continue
        id_keys = [f"{name}:{generation}:id:{slot}" for slot in range(1, int(size) + 1)]
        ids = [pk for pk in cache.get_many(id_keys).values() if pk is not None]
        count_keys = {_key(name, generation, pk): pk for pk in ids}
        counts = {
            count_keys[key]: int(value)
            for key, value in cache.get_many(list(count_keys)).items()
            if value
        }
        yield generation, counts, [f"{name}:{generation}:n", *id_keys, *count_keys]


def flush(name: str, write: Callable[[dict], None], *, include_current: bool = False) -> int:
    """Write every finished generation's counts with ``write({pk: count})`` and
    forget them. Returns how many were written."""
    written = 0
    cache = _cache()
    for _generation_number, counts, keys in _generations(name, include_current):
        if counts:
            write(counts)
            written += sum(counts.values())
        cache.delete_many(keys)
    return written


def by_count(counts: dict[int, int]) -> dict[int, list[int]]:
    """``{pk: count}`` as ``{count: [pk, ...]}``: one UPDATE per distinct count."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for pk, count in counts.items():
        grouped[count].append(pk)
    return grouped
