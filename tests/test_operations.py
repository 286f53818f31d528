"""Running in production: request logs, /metrics, locks, periodic jobs,
Redis-backed sessions and the production settings."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from netvaerk import requestlog
from netvaerk.locks import exclusive
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent


# --- Request log ------------------------------------------------------------


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="netvaerk.request")
    return lambda: [r for r in caplog.records if r.name == "netvaerk.request"]


@pytest.mark.django_db
def test_each_request_logs_one_line_with_id_member_status_and_duration(client, request_lines):
    member = UserFactory(email="hemmelig.person@example.com")
    client.force_login(member)
    response = client.get(reverse("forum:index") + "?q=moms+hemmelig")
    (line,) = request_lines()
    assert response["X-Request-ID"] == line.request_id
    assert line.user_id == member.pk
    assert (line.method, line.status) == ("GET", 200)
    assert line.path == reverse("forum:index")
    assert line.duration_ms >= 0


@pytest.mark.django_db
def test_request_log_masks_tokens_and_keeps_no_query_string(client, request_lines):
    client.get("/varsler/afmeld/abc123-secret-token-value/?email=a@example.com")
    (line,) = request_lines()
    assert "abc123-secret-token-value" not in line.path
    assert "[redacted]" in line.path
    assert "example.com" not in line.getMessage()


@pytest.mark.django_db
def test_request_log_takes_a_plain_request_id_from_the_proxy(client, request_lines):
    client.get("/healthz", headers={"X-Request-ID": "nginx-req-0123456789"})
    client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    first, second = request_lines()
    assert first.request_id == "nginx-req-0123456789"
    assert second.request_id != "bad id <script>" and len(second.request_id) == 32


@pytest.mark.django_db
def test_json_log_line_holds_no_personal_data(client, caplog):
    caplog.set_level(logging.INFO, logger="netvaerk.request")
    member = UserFactory(email="anna.privat@example.com", display_name="Anna Privatsen")
    client.force_login(member)
    client.post(
        reverse("forum:index"), {"body": "Min hemmelige forretningsplan", "token": "tok-999"}
    )
    client.get("/moeder/svar/signed-rsvp-token-value/")
    formatter = requestlog.JsonFormatter()
    lines = [formatter.format(r) for r in caplog.records if r.name == "netvaerk.request"]
    assert len(lines) == 2
    for text in lines:
        entry = json.loads(text)
        assert {"time", "level", "request_id", "user_id", "path", "status", "duration_ms"} <= set(
            entry
        )
        for secret in ("anna.privat", "Privatsen", "hemmelige", "tok-999", "signed-rsvp-token"):
            assert secret not in text
    assert json.loads(lines[0])["user_id"] == member.pk


# --- Metrics ----------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_answer_local_scrapers_with_requests_queries_and_the_queue(client):
    from notifications import tasks

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        tasks.send_daily_digests.enqueue()
    client.get(reverse("forum:index"))
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'netvaerk_http_requests_total{method="GET",status="200",view="forum:index"}' in text
    assert 'netvaerk_db_queries_total{view="forum:index"}' in text
    assert "netvaerk_http_request_duration_seconds_bucket" in text
    assert "netvaerk_tasks_waiting 1.0" in text
    assert 'netvaerk_tasks{status="failed"} 0.0' in text
    assert "netvaerk_tasks_oldest_waiting_seconds" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote", "headers", "token", "status"),
    [
        ("127.0.0.1", {}, "", 200),
        ("203.0.113.9", {}, "", 404),
        # Through a proxy every request comes from 127.0.0.1: that is not local.
        ("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}, "", 404),
        ("203.0.113.9", {"Authorization": "Bearer s3cret-metrics"}, "s3cret-metrics", 200),
        ("203.0.113.9", {"Authorization": "Bearer wrong"}, "s3cret-metrics", 404),
        ("203.0.113.9", {"Authorization": "Bearer "}, "", 404),
    ],
)
def test_metrics_only_for_allowed_addresses_or_the_token(
    client, settings, remote, headers, token, status
):
    settings.NETVAERK_METRICS_TOKEN = token
    assert client.get("/metrics", REMOTE_ADDR=remote, headers=headers).status_code == status


# --- Locks and periodic jobs ------------------------------------------------


@pytest.mark.django_db
def test_a_lock_is_held_by_one_caller_at_a_time():
    with exclusive("job", timeout=60) as first, exclusive("job", timeout=60) as second:
        assert (first, second) == (True, False)
    with exclusive("job", timeout=60) as again:
        assert again


@pytest.mark.django_db
def test_a_periodic_job_started_twice_at_once_runs_once(mailoutbox, capsys):
    with exclusive("periodic:daily", timeout=60):
        call_command("run_periodic", "daily")
    assert "already running" in capsys.readouterr().out
    call_command("run_periodic", "daily")
    assert "daily summaries" in capsys.readouterr().out


@pytest.mark.django_db
def test_cleanup_job_removes_expired_sessions_only(client, member):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(member)
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    call_command("run_periodic", "cleanup")
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


# --- Settings ---------------------------------------------------------------


def _settings_in_subprocess(env: dict, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "netvaerk.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_redis_carries_sessions_through_the_database():
    code = "from django.conf import settings as s; print(s.SESSION_ENGINE)"
    assert _settings_in_subprocess({"REDIS_URL": "redis://127.0.0.1:6379/5"}, code) == (
        "django.contrib.sessions.backends.cached_db"
    )
    assert _settings_in_subprocess({"REDIS_URL": ""}, code) == "django.contrib.sessions.backends.db"


def test_json_logs_are_chosen_by_the_environment():
    code = "import logging; h = logging.getLogger().handlers[0];print(type(h.formatter).__name__)"
    assert _settings_in_subprocess({"DJANGO_LOG_FORMAT": "json"}, code) == "JsonFormatter"
    assert _settings_in_subprocess({"DJANGO_LOG_FORMAT": ""}, code) == "TextFormatter"


def test_django_log_lines_are_printed_once(tmp_path):
    code = "import logging; logging.getLogger('django.tasks').info('Task id=1 state=RUNNING')"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "netvaerk.settings", "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert (result.stdout + result.stderr).count("Task id=1 state=RUNNING") == 1


@pytest.mark.django_db
def test_redis_cache_shares_rate_limits_and_sessions(settings, client, member):
    """Against the real Redis (skipped when there is none at REDIS_URL or :6379/5)."""
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    settings.CACHES = {
        **settings.CACHES,  # the per-process ones (fragments, counters) stay
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"netvaerk-test-{os.getpid()}",
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "search": (2, 60)}
    from netvaerk import ratelimit

    key = f"k{os.getpid()}"
    assert [ratelimit.hit(scope="search", key=key) for _ in range(3)][:2] == [None, None]
    assert ratelimit.hit(scope="search", key=key) is not None
    client.force_login(member)
    assert client.get(reverse("forum:index")).wsgi_request.user == member


def test_check_deploy_warns_when_rate_limits_are_scaled(settings):
    from netvaerk.apps import _rate_limits_are_not_scaled

    settings.NETVAERK_RATE_LIMIT_SCALE = 1000
    assert [w.id for w in _rate_limits_are_not_scaled(None)] == ["netvaerk.W001"]
    settings.NETVAERK_RATE_LIMIT_SCALE = 1
    assert _rate_limits_are_not_scaled(None) == []


def test_sentry_reports_errors_when_a_dsn_is_set():
    code = (
        "import sentry_sdk; c = sentry_sdk.get_client();"
        "print(c.is_active(), c.options['send_default_pii'])"
    )
    dsn = "https://public@sentry.example.org/1"  # never contacted: no event is sent
    assert _settings_in_subprocess({"SENTRY_DSN": dsn}, code) == "True False"
    assert _settings_in_subprocess({"SENTRY_DSN": ""}, code).startswith("False")


def test_request_warnings_name_the_client_but_never_print_the_query_string(rf, settings):
    from netvaerk.client import ClientAddressFilter

    settings.NETVAERK_TRUSTED_PROXY_COUNT = 1
    request = rf.get(
        "/soeg/?q=hemmelig+plan&token=tok-999",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        REMOTE_ADDR="10.0.0.2",
    )
    record = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "Not Found: %s", ("/soeg/",), None
    )
    record.request = request
    record.status_code = 404
    ClientAddressFilter().filter(record)
    entry = json.loads(requestlog.JsonFormatter().format(record))
    assert entry["client_ip"] == "203.0.113.7" and entry["status_code"] == 404
    text = requestlog.TextFormatter().format(record)
    assert text.endswith("Not Found: /soeg/ client=203.0.113.7")
    for line in (json.dumps(entry), text):
        assert "hemmelig" not in line and "tok-999" not in line

    plain = logging.LogRecord("netvaerk.request", logging.INFO, "", 0, "GET / 200", (), None)
    ClientAddressFilter().filter(plain)
    assert "client" not in requestlog.TextFormatter().format(plain)
    assert "client_ip" not in json.loads(requestlog.JsonFormatter().format(plain))
