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

Each process first adds its bumps up in memory and hands them to the cache
together every NETVAERK_COUNTER_BUFFER_SECONDS (10 s; at once with 0), when
it has gathered 1,000 ids, and when it exits: a page view then costs a
dictionary update instead of a cache round trip (a file rename, or a Redis
call). A crash loses at most those seconds' counts.
"""

import atexit
import hashlib
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 3600  # a generation nobody flushed is forgotten after a day
BUFFER_IDS = 1000

_lock = threading.Lock()
_buffer: dict[str, dict] = {}  # name -> {pk: count} not yet in the cache
_buffer_since: float | None = None


def _cache():
    return caches["counters"]


def _generation(now: float | None = None) -> int:
    return int(now if now is not None else time.time()) // settings.NETVAERK_COUNTER_SECONDS


def _incr(cache, key: str, delta: int = 1) -> int:
    try:
        return cache.incr(key, delta)
    except ValueError:  # not there yet
        if cache.add(key, delta, timeout=KEEP_SECONDS):
            return delta
        return cache.incr(key, delta)


def _key(name: str, generation: int, item) -> str:
    if isinstance(item, int):
        return f"{name}:{generation}:{item}"
    return f"{name}:{generation}:h{hashlib.sha256(repr(item).encode()).hexdigest()[:32]}"


def bump(name: str, pk) -> None:
    """Count one more for ``pk`` (an id, or any short text such as a search's
    words; never raises)."""
    global _buffer, _buffer_since
    seconds = settings.NETVAERK_COUNTER_BUFFER_SECONDS
    if seconds <= 0:
        _add(name, {pk: 1})
        return
    now = time.monotonic()
    with _lock:
        counts = _buffer.setdefault(name, defaultdict(int))
        counts[pk] += 1
        if _buffer_since is None:
            _buffer_since = now
        due = now - _buffer_since >= seconds or sum(map(len, _buffer.values())) >= BUFFER_IDS
        if not due:
            return
        taken, _buffer, _buffer_since = _buffer, {}, None
    for taken_name, taken_counts in taken.items():
        _add(taken_name, taken_counts)


def hand_over() -> None:
    """Give this process's gathered counts to the cache now (at exit, and
    before reading what is pending)."""
    global _buffer, _buffer_since
    with _lock:
        taken, _buffer, _buffer_since = _buffer, {}, None
    for name, counts in taken.items():
        _add(name, counts)


atexit.register(hand_over)


def _add(name: str, counts: dict) -> None:
    """Add ``{pk: count}`` to the current generation in the cache."""
    cache = _cache()
    generation = _generation()
    try:
        for pk, count in counts.items():
            if _incr(cache, _key(name, generation, pk), count) == count:  # new this generation
                slot = _incr(cache, f"{name}:{generation}:n")
                cache.set(f"{name}:{generation}:id:{slot}", pk, timeout=KEEP_SECONDS)
    except Exception:  # the cache is down: the count is lost, the page is not
        logger.warning("Could not count %s for %s", name, list(counts)[:10], exc_info=True)


def pending(name: str, *, include_current: bool = True) -> dict:
    """The counts not yet flushed, by id (for tests and the admin)."""
    hand_over()
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
    hand_over()
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
