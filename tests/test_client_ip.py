"""The visitor's address behind our reverse proxy (NETVAERK_TRUSTED_PROXY_COUNT):
one rule, netvaerk.client.client_ip, for the site's limits, allauth's and the logs."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from netvaerk import ratelimit
from netvaerk.client import ClientAddressFilter, client_ip
from tests.accounts.test_rate_limits import SIGNUP

PROXY = "10.0.0.2"  # nginx, as gunicorn sees it


def _request(*, forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().post("/", **extra)
    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.9", PROXY),  # a forged header changes nothing at 0
        (0, "203.0.113.9, 198.51.100.1", PROXY),
        (1, "203.0.113.9", "203.0.113.9"),  # nginx appended the visitor
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the visitor forged the first entry
        (2, "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # load balancer, then nginx
        (2, "203.0.113.9", PROXY),  # too short a chain: fall back, never trust it
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_only_our_proxies(settings, count, forwarded, expected):
    settings.NETVAERK_TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_client_ip_without_any_address_is_unknown(settings):
    settings.NETVAERK_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) == "unknown"


@pytest.fixture
def one_a_window(settings):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "test": (1, 3600)}


@pytest.mark.django_db
def test_behind_one_proxy_two_visitors_get_separate_limits(settings, one_a_window):
    settings.NETVAERK_TRUSTED_PROXY_COUNT = 1
    first = _request(forwarded="203.0.113.10")
    second = _request(forwarded="203.0.113.11")
    assert ratelimit.refuse_if_over(first, "test") is None
    assert ratelimit.refuse_if_over(second, "test") is None
    assert ratelimit.refuse_if_over(first, "test").status_code == 429
    # A forged first entry does not buy the visitor a fresh limit.
    forged = _request(forwarded="1.2.3.4, 203.0.113.10")
    assert ratelimit.refuse_if_over(forged, "test").status_code == 429


@pytest.mark.django_db
def test_with_no_trusted_proxy_the_header_cannot_dodge_the_limit(settings, one_a_window):
    settings.NETVAERK_TRUSTED_PROXY_COUNT = 0
    assert ratelimit.refuse_if_over(_request(forwarded="203.0.113.20"), "test") is None
    refused = ratelimit.refuse_if_over(_request(forwarded="203.0.113.21"), "test")
    assert refused.status_code == 429


@pytest.mark.django_db
def test_allauth_limits_sign_ups_per_visitor_behind_the_proxy(settings):
    """Behind nginx all requests come from one address; each visitor still has
    allauth's own ten sign-ups an hour (ACCOUNT_RATE_LIMITS["signup"])."""
    settings.NETVAERK_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    codes = []
    for number in range(11):
        visitor = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.30")
        response = visitor.post(
            reverse("account_signup"), {**SIGNUP, "email": f"proxy{number}@example.com"}
        )
        codes.append(response.status_code)
    assert codes == [302] * 10 + [429]
    other = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.31")
    response = other.post(reverse("account_signup"), {**SIGNUP, "email": "andet@example.com"})
    assert response.status_code == 302
    assert User.objects.filter(email__startswith="proxy").count() == 10


@pytest.mark.django_db
def test_allauth_ignores_a_forged_header_with_no_trusted_proxy(settings):
    settings.NETVAERK_TRUSTED_PROXY_COUNT = 0
    codes = []
    for number in range(11):
        visitor = Client(REMOTE_ADDR="203.0.113.40", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        response = visitor.post(
            reverse("account_signup"), {**SIGNUP, "email": f"forged{number}@example.com"}
        )
        codes.append(response.status_code)
    assert codes == [302] * 10 + [429]


def test_log_records_name_the_real_client(settings):
    settings.NETVAERK_TRUSTED_PROXY_COUNT = 1
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), None)
    record.request = _request(forwarded="203.0.113.50")
    assert ClientAddressFilter().filter(record) is True
    assert record.client_ip == "203.0.113.50"
    plain = logging.LogRecord("netvaerk", logging.INFO, __file__, 1, "x", (), None)
    ClientAddressFilter().filter(plain)
    assert plain.client_ip == "-"


def test_the_default_trusts_no_proxy():
    from django.conf import settings

    assert settings.NETVAERK_TRUSTED_PROXY_COUNT == 0
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
