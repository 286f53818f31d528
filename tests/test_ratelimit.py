"""Rate-limit counting: one upsert per action in the database (the default),
or the shared cache when that is Redis; both behave the same."""

import pytest
from django.test import override_settings

from netvaerk import ratelimit
from netvaerk.models import RateCount

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def limits(settings):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "test": (3, 60)}


@pytest.mark.parametrize("caches", [None, LOCMEM], ids=["database", "cache"])
def test_the_fourth_action_in_a_window_is_refused(limits, caches):
    with override_settings(**({"CACHES": caches} if caches else {})):
        results = [ratelimit.hit(scope="test", key=f"user:1:{caches is None}") for _ in range(4)]
    assert results[:3] == [None, None, None]
    assert 1 <= results[3] <= 60
    assert ratelimit.hit(scope="test", key="user:2") is None  # another member counts apart


def test_database_counts_are_one_row_per_window(limits, monkeypatch):
    for _ in range(3):
        ratelimit.hit(scope="test", key="ip:10.0.0.1")
    (row,) = RateCount.objects.filter(key__startswith="ratelimit:test:ip:10.0.0.1:")
    assert row.count == 3
    now = ratelimit.time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 120)  # a later window
    assert ratelimit.hit(scope="test", key="ip:10.0.0.1") is None
    assert RateCount.objects.filter(key__startswith="ratelimit:test:ip:10.0.0.1:").count() == 2


def test_expired_windows_are_swept(limits, monkeypatch):
    ratelimit.hit(scope="test", key="old")
    RateCount.objects.update(expires_at="2000-01-01T00:00:00Z")
    monkeypatch.setattr(ratelimit.random, "random", lambda: 0.0)
    ratelimit.hit(scope="test", key="new")
    keys = list(RateCount.objects.values_list("key", flat=True))
    assert len(keys) == 1 and ":new:" in keys[0]


def test_new_members_get_the_stricter_limits_through_the_gate(settings, rf):
    from accounts.models import User
    from netvaerk.extensions import Check

    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "test": (3, 60)}
    settings.NETVAERK_NEW_MEMBER_RATE_LIMITS = {"test": (1, 60)}
    request = rf.post("/")
    request.user = User.objects.create_user(email="ny@example.com", password="x")
    assert "moderation.new_member" in ratelimit.new_member
    saved = list(ratelimit.new_member)
    try:
        ratelimit.new_member.register(Check("moderation.new_member", lambda *, user: True))
        assert ratelimit.refuse_if_over(request, "test") is None
        assert ratelimit.refuse_if_over(request, "test").status_code == 429
        ratelimit.new_member.unregister("moderation.new_member")
        assert "moderation.new_member" not in ratelimit.new_member
        assert ratelimit.refuse_if_over(request, "test") is None  # normal limits: 3
    finally:
        for check in saved:
            ratelimit.new_member.register(check)
