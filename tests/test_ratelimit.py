"""Rate-limit counting: one upsert per action in the database (the default),
or the shared cache when that is Redis; both behave the same."""

import pytest
from django.test import override_settings

from netvaerk import ratelimit
from netvaerk.models import RateCount

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Named, so that these tests count in the database also when REDIS_URL is set.
DATABASE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "netvaerk_cache",
    }
}


@pytest.fixture
def limits(settings):
    settings.CACHES = DATABASE
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "test": (3, 60)}


@pytest.mark.parametrize("caches", [DATABASE, LOCMEM], ids=["database", "cache"])
def test_the_fourth_action_in_a_window_is_refused(limits, caches):
    with override_settings(CACHES=caches):
        results = [
            ratelimit.hit(scope="test", key=f"user:1:{caches is DATABASE}") for _ in range(4)
        ]
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


# --- The 429 page -------------------------------------------------------------------


def _request(user):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    return request


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_every_project_limit_answers_with_the_429_page(settings, signed_in):
    from tests.factories import UserFactory

    user = UserFactory() if signed_in else None
    for scope, (_count, period) in settings.NETVAERK_RATE_LIMITS.items():
        settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, scope: (0, period)}
        response = ratelimit.refuse_if_over(_request(user), scope)
        assert response is not None, scope
        assert response.status_code == 429, scope
        seconds = int(response["Retry-After"])
        assert 1 <= seconds <= period, scope
        text = response.content.decode()
        assert "Sæt tempoet lidt ned" in text, scope
        assert f"Vent {seconds} sekund" in text, scope


@pytest.mark.parametrize("seconds, text", [(1, "Vent 1 sekund,"), (42, "Vent 42 sekunder,")])
def test_the_429_page_counts_the_seconds(db, seconds, text):
    from netvaerk.ratelimit import too_many_requests

    response = too_many_requests(_request(None), retry_after=seconds)
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)
    assert text in response.content.decode()


def test_the_429_page_without_a_wait_time_asks_for_a_little_patience(db):
    """allauth's limits render the page with their own context (no seconds)."""
    from allauth.core.ratelimit import respond_429

    response = respond_429(_request(None))
    assert response.status_code == 429
    text = response.content.decode()
    assert "Sæt tempoet lidt ned" in text
    assert "Vent lidt, og prøv igen." in text
