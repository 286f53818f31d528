"""The project's two cache backends (netvaerk/cachebackends.py): the fragments
cache bounded by the bytes it holds, the counters' file cache that lists its
folder once a minute at most and drops expired files in the nightly cleanup."""

import time

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from netvaerk import cachebackends
from netvaerk.cachebackends import CounterFileCache, SizedLocMemCache


def sized(name: str, max_bytes: int, max_entries: int = 1000) -> SizedLocMemCache:
    cache = SizedLocMemCache(
        name, {"OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": max_entries}}
    )
    cache.clear()
    return cache


def test_the_fragments_cache_is_the_sized_one():
    assert isinstance(caches["fragments"], SizedLocMemCache)


def test_least_recently_used_pieces_leave_when_the_bytes_run_over():
    cache = sized("test-sized-lru", max_bytes=20_000)
    for n in range(10):
        cache.set(f"piece-{n}", "x" * 3000)
        if n >= 1:
            assert cache.get("piece-0") is not None  # used: stays at the front
    assert cache.held_bytes <= 20_000
    assert cache.get("piece-0") is not None
    assert cache.get("piece-9") is not None
    assert cache.get("piece-1") is None  # the least recently used went first
    held = cache.held_bytes
    assert held == sum(
        len(key) + len(value) for key, value in cache._cache.items()
    )  # counted exactly


def test_overwrites_deletes_incr_and_clear_keep_the_count_true():
    cache = sized("test-sized-count", max_bytes=1_000_000)
    cache.set("a", "x" * 500)
    cache.set("a", "y" * 100)  # replaced, not added twice
    cache.set("n", 1)
    assert cache.incr("n", 41) == 42
    assert cache.get("n") == 42
    assert cache.held_bytes == sum(len(k) + len(v) for k, v in cache._cache.items())
    cache.delete("a")
    assert cache.held_bytes == sum(len(k) + len(v) for k, v in cache._cache.items())
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.clear()
    assert cache.held_bytes == 0


def test_the_count_bound_still_holds_and_is_accounted():
    cache = sized("test-sized-entries", max_bytes=1_000_000, max_entries=9)
    for n in range(30):
        cache.set(f"k{n}", n)
    assert len(cache._cache) <= 9
    assert cache.held_bytes == sum(len(k) + len(v) for k, v in cache._cache.items())
    assert cache.get("k29") == 29


def test_replacing_the_oldest_piece_of_a_full_cache_counts_it_once():
    cache = sized("test-sized-replace", max_bytes=1_000_000, max_entries=3)
    for key in ("a", "b", "c"):
        cache.set(key, "x" * 100)
    cache.set("a", "y" * 10)  # "a" is the least recently used and the cache is full
    assert cache.get("a") == "y" * 10
    assert cache.held_bytes == sum(len(k) + len(v) for k, v in cache._cache.items())


def test_one_piece_larger_than_the_bound_is_kept_alone():
    cache = sized("test-sized-one", max_bytes=1000)
    cache.set("small", "x")
    cache.set("big", "x" * 5000)
    assert cache.get("big") == "x" * 5000
    assert cache.get("small") is None


@pytest.fixture
def counter_files(tmp_path, monkeypatch):
    monkeypatch.setattr(cachebackends, "_last_cull", {})
    return CounterFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 1_000_000}})


def test_counting_lists_the_folder_once_a_minute_at_most(counter_files, monkeypatch):
    listings = []
    real = counter_files._list_cache_files
    monkeypatch.setattr(counter_files, "_list_cache_files", lambda: listings.append(1) or real())
    for n in range(50):
        counter_files.add(f"views:{n}", 1, timeout=60)
        counter_files.incr(f"views:{n}")
    assert counter_files.get("views:7") == 2
    assert len(listings) == 1
    monkeypatch.setitem(cachebackends._last_cull, counter_files._dir, time.monotonic() - 61)
    counter_files.set("later", 1)
    assert len(listings) == 2


def test_a_full_folder_is_still_culled_when_checked(tmp_path, monkeypatch):
    monkeypatch.setattr(cachebackends, "_last_cull", {})
    cache = CounterFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    for n in range(10):
        cache.set(f"k{n}", n)
        cachebackends._last_cull.clear()  # as if a minute had passed each time
    cache.set("one-more", 1)
    assert len(cache._list_cache_files()) < 11


def test_expired_counter_files_are_purged(counter_files):
    counter_files.set("ratelimit:search:user:1:100", 5, timeout=1)
    counter_files.set("views:2", 3, timeout=3600)
    time.sleep(1.1)
    assert counter_files.purge_expired() == 1
    assert counter_files.get("views:2") == 3
    assert len(counter_files._list_cache_files()) == 1


def test_an_unreadable_counter_file_is_removed_not_fatal(counter_files, tmp_path):
    counter_files.set("views:3", 1, timeout=3600)
    (tmp_path / "broken.djcache").write_bytes(b"\x80not a pickle")
    assert counter_files.purge_expired() == 1
    assert not (tmp_path / "broken.djcache").exists()
    assert counter_files.get("views:3") == 1


@pytest.mark.django_db
def test_the_nightly_cleanup_purges_expired_counter_files(tmp_path, settings, capsys):
    files = {"BACKEND": "netvaerk.cachebackends.CounterFileCache", "LOCATION": str(tmp_path)}
    with override_settings(CACHES={**settings.CACHES, "counters": files}):
        caches["counters"].set("ratelimit:search:user:1:1", 1, timeout=1)
        time.sleep(1.1)
        call_command("run_periodic", "cleanup")
    assert "Removed 1 expired counter files." in capsys.readouterr().out
