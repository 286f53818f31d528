import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_front_page_is_danish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="da">' in response.text
    assert "Bliv medlem" in response.text


@pytest.mark.django_db
def test_english_lives_under_en(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Join the network" in response.text


@pytest.mark.django_db
def test_language_switch_sets_the_language_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/retningslinjer/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/retningslinjer/"
    assert response.cookies["django_language"].value == "en"
    back = client.post("/en/i18n/setlang/", {"language": "da", "next": "/en/retningslinjer/"})
    assert back["Location"] == "/retningslinjer/"


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.text  # no inline scripts
    assert " onclick=" not in response.text


@pytest.mark.django_db
def test_no_third_party_hosts_are_referenced(client):
    response = client.get("/")
    for host in ("cdn.", "jsdelivr", "unpkg", "googleapis", "cdnjs"):
        assert host not in response.text


@pytest.mark.django_db
def test_unknown_url_gives_a_friendly_translated_404(client):
    response = client.get("/findes/ikke/")
    assert response.status_code == 404
    assert "Siden blev ikke fundet" in response.text
    response = client.get("/en/does/not/exist/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_500_page_renders_without_the_database():
    from django.test import RequestFactory

    from netvaerk.views import server_error

    request = RequestFactory().get("/")
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection") as ec:
        ec.side_effect = OperationalError("down")
        response = server_error(request)
    assert response.status_code == 500
    assert "Noget gik galt" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_200_without_touching_the_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch("netvaerk.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("down")
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_csrf_failure_is_a_friendly_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})
    assert response.status_code == 403
    assert "Formularen er udløbet" in response.text


@pytest.mark.django_db
def test_oversized_request_is_rejected_cleanly(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(reverse("account_login"), {"login": "a" * 5000, "password": "x"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x7!k2" * 12,
        "DJANGO_ALLOWED_HOSTS": "netvaerk.example.org",
        "DJANGO_EMAIL_HOST": "smtp.example.org",
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_rejects_the_default_secret_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "netvaerk.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_production_settings_are_secure_by_default():
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    env.pop("REDIS_URL", None)
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS > 0, s.CACHES['default']['BACKEND'].endswith('DatabaseCache'),"
        " s.STORAGES['staticfiles']['BACKEND'].startswith('whitenoise'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "netvaerk.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True"] * 6


def test_database_url_and_redis_url_select_postgres_and_redis():
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://u:p@db.example:5432/netvaerk",
        "REDIS_URL": "redis://cache.example:6379/0",
        "DJANGO_SETTINGS_MODULE": "netvaerk.settings",
    }
    env.pop("DJANGO_CONN_MAX_AGE", None)
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'],"
        " s.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "netvaerk",
        "600",
        "True",
        "django.core.cache.backends.redis.RedisCache",
    ]


@pytest.mark.django_db
def test_sqlite_is_tuned_for_a_small_server():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_production_mode_serves_pages_with_the_static_manifest(tmp_path):
    """collectstatic with the compressed manifest, then a page in production
    mode: every static file a page names must be in the manifest."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x7!k2" * 12,
        "DJANGO_ALLOWED_HOSTS": "netvaerk.example.org",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "netvaerk.settings",
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    code = (
        "import django, json, re; django.setup();"
        "from django.test import Client;"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "r = Client().get('/', secure=True, headers={'host': 'netvaerk.example.org'});"
        "print(json.dumps([r.status_code, bool(r.get('Strict-Transport-Security')),"
        " re.findall(r'/static/([^\"?]+)', r.content.decode())]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    status, hsts, paths = json.loads(result.stdout)
    assert (status, hsts) == (200, True)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = set(manifest["paths"].values())
    assert len(paths) >= 5
    assert set(paths) <= hashed, set(paths) - hashed


@pytest.mark.django_db
def test_admin_login_renders_for_staff(client):
    assert client.get("/admin/login/").status_code == 302


@pytest.mark.django_db
def test_forbidden_page_is_translated_in_english(member_client):
    response = member_client.get("/en/medlemmer/roller/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.text


def test_every_table_scrolls_in_its_own_box():
    """A wide table must not make a page scroll sideways on a phone (WCAG 1.4.10):
    each one sits directly in a `.table-responsive` wrapper."""
    import re

    unwrapped = []
    for template in (BASE_DIR / "templates").rglob("*.html"):
        if "email" in template.parent.parts:
            continue  # e-mail layout tables (role="presentation"), not pages
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", text):
            before = re.sub(r"\{%[^%]*%\}|\s", "", text[: match.start()])
            if not re.search(r'<divclass="table-responsive"[^<>]*>$', before):
                unwrapped.append(str(template.relative_to(BASE_DIR)))
    assert unwrapped == []


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
