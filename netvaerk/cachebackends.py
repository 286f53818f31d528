"""Two cache backends: a per-process memory cache bounded by what it holds,
and the counters' file cache that does not list its folder on every write.


The `fragments` cache keeps rendered posts, rows and page parts. Their sizes
vary a hundredfold (a one-line reply, a long guide with a table), so a bound on
the number of entries alone let a worker that had shown a few hundred threads
grow by some 30 MB. `SizedLocMemCache` is Django's LocMemCache (least recently
used first out) that also drops its least recently used entries while the keys
and values it holds exceed ``OPTIONS["MAX_BYTES"]``.
"""

import pickle
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache

# Bytes held per cache name (the store itself is shared per name, as LocMemCache's).
_held: dict[str, list[int]] = {}

DEFAULT_MAX_BYTES = 4_000_000


def _size(key: str, pickled: bytes) -> int:
    return len(key) + len(pickled)


class SizedLocMemCache(LocMemCache):
    def __init__(self, name, params):
        super().__init__(name, params)
        options = params.get("OPTIONS") or {}
        self._max_bytes = int(options.get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._held = _held.setdefault(name, [0])

    @property
    def held_bytes(self) -> int:
        return self._held[0]

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        self._delete(key)  # a replaced value leaves first, with its bytes
        super()._set(key, value, timeout)  # may _cull (below) when full by count
        self._held[0] += _size(key, value)
        while self._held[0] > self._max_bytes and len(self._cache) > 1:
            self._drop_oldest()

    def _drop_oldest(self) -> None:
        key, value = self._cache.popitem()  # the least recently used
        self._expire_info.pop(key, None)
        self._held[0] -= _size(key, value)

    def _cull(self):
        if self._cull_frequency == 0:  # Django's meaning: empty the cache
            self._cache.clear()
            self._expire_info.clear()
            self._held[0] = 0
            return
        for _ in range(len(self._cache) // self._cull_frequency):
            self._drop_oldest()

    def _delete(self, key):
        value = self._cache.get(key)
        deleted = super()._delete(key)
        if deleted and value is not None:
            self._held[0] -= _size(key, value)
        return deleted

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(self._cache[key]) + delta  # noqa: S301 - our own pickles
            pickled = pickle.dumps(value, self.pickle_protocol)
            self._held[0] += _size(key, pickled) - _size(key, self._cache[key])
            self._cache[key] = pickled
            self._cache.move_to_end(key, last=False)
        return value

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._held[0] = 0


# When each counters folder was last checked for being full, in this process.
_last_cull: dict[str, float] = {}


class CounterFileCache(FileBasedCache):
    """Django's file cache for the counters (views, failed searches, the
    search rate limit) on a machine without Redis. Django's checks on every
    write whether the folder is full by listing it; expired entries are only
    removed when read, so rate-limit windows piled up and every count cost a
    listing of thousands of files (15 ms a search at 6,000). Here the check
    runs at most once a minute per process, and `purge_expired` (run by
    `run_periodic cleanup`) removes the expired files."""

    cull_seconds = 60

    def _cull(self):
        now = time.monotonic()
        last = _last_cull.get(self._dir)
        if last is not None and now - last < self.cull_seconds:
            return
        _last_cull[self._dir] = now
        super()._cull()

    def purge_expired(self) -> int:
        """Remove the files whose time is up; how many were removed."""
        removed = 0
        for path in self._list_cache_files():
            try:
                with open(path, "rb") as f:
                    removed += self._is_expired(f)
            except FileNotFoundError:  # another process removed it meanwhile
                continue
            except (OSError, pickle.UnpicklingError, ValueError, TypeError, EOFError):
                # Unreadable (cut short by a crash, say): no count lives there.
                try:
                    removed += self._delete(path)
                except OSError:  # not ours to remove: left alone
                    continue
        return removed
