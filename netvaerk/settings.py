"""Netværk settings: one module, driven by the environment (see .env.example)."""

import hashlib
import os
import tempfile
import warnings
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from netvaerk.storage_settings import default_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
# Templates, static files and translations: at the top of a checkout, or inside
# the package when Netværk is installed (setup.py copies them there).
_PACKAGE_DIR = Path(__file__).resolve().parent
SITE_FILES_DIR = _PACKAGE_DIR if (_PACKAGE_DIR / "templates").is_dir() else BASE_DIR


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# The fallback key is for local use only; `check --deploy` rejects it on purpose.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-local-only")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
ADMINS = [("Admin", email) for email in env_list("DJANGO_ADMINS", default=[])]

INSTALLED_APPS = [
    "netvaerk.apps.NetvaerkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_tasks_db",
    "bootstrap",
    "netvaerk",
    "accounts",
    "notifications",
    "forum",
    "moderation",
    "moeder",
    "datepolls",
    "mailin",
    "velkomst",
    "kaffe",
    "needs",
    "handbook",
    "duties",
    "indsigt",
    "relay",
    "imports",
    "viden",
    "letters",
]

MIDDLEWARE = [
    "netvaerk.requestlog.RequestLogMiddleware",
    "netvaerk.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "netvaerk.middleware.PrivacyHeadersMiddleware",
    "accounts.middleware.SuspendedMemberMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "netvaerk.urls"
WSGI_APPLICATION = "netvaerk.wsgi.application"
ASGI_APPLICATION = "netvaerk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_FILES_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite by default (nothing to install); PostgreSQL through DATABASE_URL.

SQLITE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.config(
        default=SQLITE_URL,
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", default=600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tuned for a small server: WAL lets readers run beside the writer, a busy
    # timeout waits for the lock instead of failing, IMMEDIATE transactions
    # take the write lock up front so two writers never deadlock.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too (not shared-cache memory), so that the live server's
    # threads see WAL and the busy timeout just as production does.
    # DJANGO_TEST_DB_FILE lets two test runs share a checkout.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("DJANGO_TEST_DB_FILE") or str(BASE_DIR / ".test-db.sqlite3")
    }
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA cache_size=-8000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# Shared by every process, so rate limits hold across workers: Django's
# database cache by default, Redis when REDIS_URL is set. Never a dummy cache.

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("NETVAERK_CACHE_PREFIX", "netvaerk"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions are read from Redis and written through to the database, so a
    # member stays signed in on every app server and across a Redis restart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "netvaerk_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Counters bumped on reads (thread views): gathered here, written to the
# database in batches by `run_periodic counters` (netvaerk.counters). Redis with
# REDIS_URL; else files in NETVAERK_COUNTER_DIR, shared by the processes of one
# machine (web and periodic job must see the same folder), never a database write.
NETVAERK_COUNTER_SECONDS = max(1, env_int("NETVAERK_COUNTER_SECONDS", default=60))
# Each process adds its counts up in memory this long before handing them to the cache.
NETVAERK_COUNTER_BUFFER_SECONDS = max(0, env_int("NETVAERK_COUNTER_BUFFER_SECONDS", default=10))
_database_hash = hashlib.sha256(str(DATABASES["default"]["NAME"]).encode()).hexdigest()[:12]
if REDIS_URL:
    CACHES["counters"] = {**CACHES["default"], "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-c"}
else:
    CACHES["counters"] = {
        "BACKEND": "netvaerk.cachebackends.CounterFileCache",
        "LOCATION": os.environ.get(
            "NETVAERK_COUNTER_DIR",
            # One folder per database, so two checkouts never count into each other.
            str(Path(tempfile.gettempdir()) / f"netvaerk-counters-{_database_hash}"),
        ),
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }

# Rendered pieces of hot pages (forum/fragments.py), kept in each process: the
# key holds everything a piece shows, so nothing needs invalidating across servers.
# Bounded by the bytes it holds (netvaerk/cachebackends.py), so a worker's memory
# stays put however many threads it has shown.
CACHES["fragments"] = {
    "BACKEND": "netvaerk.cachebackends.SizedLocMemCache",
    "LOCATION": "netvaerk-fragments",
    "TIMEOUT": 3600,
    "OPTIONS": {
        "MAX_ENTRIES": 5000,
        "MAX_BYTES": max(1, env_int("NETVAERK_FRAGMENT_CACHE_MB", default=3)) * 1_000_000,
    },
}

# --- Background tasks -------------------------------------------------------
# Django's tasks framework, stored in the database; `manage.py db_worker` runs them.

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Authentication ---------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
# A new password ends every session that knew the old one, the one that changed
# it too (the others end by Django's session hash, which holds the password hash).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# Changing the sign-in address (or password, or two-factor) asks for the
# password again when the last sign-in is older than five minutes, and the old
# address is told about the change (and about a new password).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = None  # "[NETVAERK_SITE_NAME] ", see accounts.adapters
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# How many reverse proxies of ours stand in front of the app (nginx: 1). The
# client's address is then read from X-Forwarded-For (netvaerk.client), for our
# rate limits, allauth's and the logs. 0 = use REMOTE_ADDR, ignore the header.
NETVAERK_TRUSTED_PROXY_COUNT = max(0, env_int("NETVAERK_TRUSTED_PROXY_COUNT", default=0))
ALLAUTH_TRUSTED_PROXY_COUNT = NETVAERK_TRUSTED_PROXY_COUNT

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Netværk"

# --- Forms ------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Language, time and formats ---------------------------------------------

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
# English pages use British day-month order and the 24-hour clock (netvaerk/formats/en).
FORMAT_MODULE_PATH = ["netvaerk.formats"]
LOCALE_PATHS = [SITE_FILES_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -----------------------------------------------------------

# In development WhiteNoise serves from the app folders (finders) and there is
# no collectstatic output yet; its warning about that is noise.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [SITE_FILES_DIR / "static"]
# Uploaded files (members' pictures and PDF files; backups include the folder).
# Never served from MEDIA_URL: netvaerk.uploads.serve_upload checks who may read
# each file first (README, "Pictures and attachments").
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Imports uploaded by network leaders wait here for the task worker (not served).
NETVAERK_IMPORT_DIR = Path(os.environ.get("NETVAERK_IMPORT_DIR", str(BASE_DIR / "import-uploads")))
# The largest file a leader may upload for an import (the command line has no limit).
NETVAERK_IMPORT_MAX_UPLOAD_MB = int(os.environ.get("NETVAERK_IMPORT_MAX_UPLOAD_MB", "200"))
NETVAERK_UPLOAD_MAX_BYTES = env_int("NETVAERK_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
NETVAERK_UPLOAD_MAX_FILES = env_int("NETVAERK_UPLOAD_MAX_FILES", default=5)
NETVAERK_UPLOAD_QUOTA_BYTES = env_int("NETVAERK_UPLOAD_QUOTA_BYTES", default=200 * 1024 * 1024)
NETVAERK_UPLOAD_ORPHAN_HOURS = env_int("NETVAERK_UPLOAD_ORPHAN_HOURS", default=24)
# Pictures: refused above this many pixels (read from the header, before
# decoding), stored at most this wide or high.
NETVAERK_IMAGE_MAX_PIXELS = env_int("NETVAERK_IMAGE_MAX_PIXELS", default=50_000_000)
NETVAERK_IMAGE_MAX_SIDE = env_int("NETVAERK_IMAGE_MAX_SIDE", default=1600)
# Behind nginx: the internal location that serves MEDIA_ROOT (X-Accel-Redirect).
NETVAERK_UPLOADS_ACCEL_PREFIX = os.environ.get("NETVAERK_UPLOADS_ACCEL_PREFIX", "")
# Where `manage.py backup` writes its archives.
NETVAERK_BACKUP_DIR = Path(os.environ.get("NETVAERK_BACKUP_DIR", str(BASE_DIR / "backups")))
STORAGES = {
    # The file system (MEDIA_ROOT), or an S3-compatible bucket with NETVAERK_S3_BUCKET.
    "default": default_storage_from_env(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ------------------------------------------------------------------

_EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    _SMTP_BACKEND if _EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
_EMAIL_OPTIONS: dict = {}
if _EMAIL_BACKEND == _SMTP_BACKEND:
    _EMAIL_OPTIONS = {
        "host": _EMAIL_HOST or "localhost",
        "port": env_int("DJANGO_EMAIL_PORT", default=587),
        "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=True),
        "use_ssl": env_bool("DJANGO_EMAIL_USE_SSL", default=False),
        "timeout": 20,
    }
elif _EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
    _EMAIL_OPTIONS = {
        "file_path": os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
    }
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Netværk <netvaerk@localhost>")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Security ---------------------------------------------------------------
# Production (DJANGO_DEBUG off) gets HTTPS-only cookies, HSTS and the SSL
# redirect; each can be switched off for a plain-HTTP setup behind a test proxy.

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features the site never uses are switched off for it and any frame.
NETVAERK_PERMISSIONS_POLICY = os.environ.get(
    "NETVAERK_PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()",
)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "netvaerk.views.csrf_failure"

# Scripts only from our own static files (plus a per-request nonce for the
# few tags that need one); no inline handlers, nothing from other hosts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Netværk ----------------------------------------------------------------

NETVAERK_PAGE_SIZE = env_int("NETVAERK_PAGE_SIZE", default=25)
# The site's address and name, for links and greetings in every mail (sent by the
# task worker, away from any request) and the calendar-feed addresses.
NETVAERK_BASE_URL = os.environ.get("NETVAERK_BASE_URL", "http://127.0.0.1:8000")
NETVAERK_SITE_NAME = os.environ.get("NETVAERK_SITE_NAME", "Netværk")
# A real Q&A corpus (Stack Exchange "startups" dump, CC BY-SA 3.0) for the
# search parity tests and the benchmarks; never shown on the site. Optional.
NETVAERK_CORPUS_DIR = Path(
    os.environ.get("NETVAERK_CORPUS_DIR")
    or BASE_DIR.parent / "shared" / "data" / "startups-stackexchange"
)
# The same text by the same member in the same place (thread, or category and
# title for a new thread) within this many seconds is refused and kept as a draft.
NETVAERK_DUPLICATE_SECONDS = env_int("NETVAERK_DUPLICATE_SECONDS", default=300)
# The network health page keeps each section's figures this long (0: computed on every view).
NETVAERK_HEALTH_CACHE_SECONDS = env_int("NETVAERK_HEALTH_CACHE_SECONDS", default=600)
# Reply by e-mail (mailin): the domain of the personal reply addresses
# (svar+TOKEN@domain) set as Reply-To on mails about a thread; empty: off.
NETVAERK_REPLY_DOMAIN = os.environ.get("NETVAERK_REPLY_DOMAIN", "")
NETVAERK_REPLY_LOCALPART = os.environ.get("NETVAERK_REPLY_LOCALPART", "svar")
# Where `manage.py fetch_mail` reads the replies: a Maildir folder, or an IMAP mailbox.
NETVAERK_INBOUND_MAILDIR = os.environ.get("NETVAERK_INBOUND_MAILDIR", "")
NETVAERK_IMAP_HOST = os.environ.get("NETVAERK_IMAP_HOST", "")
NETVAERK_IMAP_PORT = env_int("NETVAERK_IMAP_PORT", default=993)
NETVAERK_IMAP_SSL = env_bool("NETVAERK_IMAP_SSL", default=True)
NETVAERK_IMAP_USER = os.environ.get("NETVAERK_IMAP_USER", "")
NETVAERK_IMAP_PASSWORD = os.environ.get("NETVAERK_IMAP_PASSWORD", "")
NETVAERK_IMAP_FOLDER = os.environ.get("NETVAERK_IMAP_FOLDER", "INBOX")
# Delete fetched mails from the mailbox (else they are only marked as read).
NETVAERK_INBOUND_DELETE = env_bool("NETVAERK_INBOUND_DELETE", default=False)
# The newcomer path (velkomst): the forum category (slug) where newcomers
# introduce themselves, and the duty in the rota whose holders greet them.
NETVAERK_INTRODUCTION_CATEGORY = os.environ.get("NETVAERK_INTRODUCTION_CATEGORY", "praesentation")
NETVAERK_GREETER_DUTY = os.environ.get("NETVAERK_GREETER_DUTY", "Velkomstvært")
# Where a member's first login leads (a URL name or path; empty: LOGIN_REDIRECT_URL).
NETVAERK_FIRST_LOGIN_URL = "velkomst:welcome"
# Rate limits for writes in the site, as (count, seconds) per member.
NETVAERK_RATE_LIMITS = {
    "profile_edit": (30, 3600),
    "role_change": (60, 3600),
    "guidelines_edit": (30, 3600),
    "forum_post": (30, 3600),
    "forum_reaction": (120, 3600),
    "category_edit": (60, 3600),
    "handbook_edit": (30, 3600),
    "search": (30, 60),
    "duty_change": (60, 3600),
    "forum_import": (10, 3600),
    "forum_thread": (10, 3600),
    # Autosaved drafts and previews (every few seconds while typing).
    "draft": (600, 3600),
    "flag": (20, 3600),
    "mention": (50, 3600),
    "moderation": (300, 3600),
    "moeder_rsvp": (60, 3600),
    "moeder_edit": (120, 3600),
    "moeder_feed": (20, 3600),
    "needs": (60, 3600),
    "datepolls": (120, 3600),
    "viden": (60, 3600),
    "letters": (60, 3600),
    "privacy_export": (5, 86400),
    "privacy_delete": (10, 3600),
    "privacy_edit": (30, 3600),
    # Private conversations: starting one; messages, adding, leaving, muting, blocking.
    "conversation_start": (20, 86400),
    "conversation_write": (120, 3600),
    # Answers to refused mails, per sender address (no answer storms).
    "mail_answer": (5, 3600),
    # Coffee pairs: signing up, leaving, "we met".
    "kaffe": (30, 3600),
}
# Load tests only: every count above and allauth's are multiplied by this, so a
# few demo members can stand in for thousands (`make loadtest`). Never in production.
NETVAERK_RATE_LIMIT_SCALE = env_int("NETVAERK_RATE_LIMIT_SCALE", default=1)
if NETVAERK_RATE_LIMIT_SCALE > 1:
    NETVAERK_RATE_LIMITS = {
        scope: (count * NETVAERK_RATE_LIMIT_SCALE, period)
        for scope, (count, period) in NETVAERK_RATE_LIMITS.items()
    }
    ACCOUNT_RATE_LIMITS = {
        action: ",".join(
            f"{int(rule.split('/', 1)[0]) * NETVAERK_RATE_LIMIT_SCALE}/{rule.split('/', 1)[1]}"
            for rule in rules.split(",")
        )
        for action, rules in ACCOUNT_RATE_LIMITS.items()
    }
# Stricter limits for new members (see NETVAERK_TRUST), same scopes.
NETVAERK_NEW_MEMBER_RATE_LIMITS = {
    "forum_post": (10, 3600),
    "forum_thread": (3, 3600),
    "flag": (5, 3600),
    "mention": (10, 3600),
    "conversation_start": (5, 86400),
    "conversation_write": (30, 3600),
}
# Meetups: the reminder to those coming, this many hours before (0: none).
NETVAERK_MEETUP_REMINDER_HOURS = env_int("NETVAERK_MEETUP_REMINDER_HOURS", default=24)
# Members in one region who say "I would come to a meetup about this" on a
# forum thread before its author and the organisers are offered a meetup draft.
NETVAERK_MEETUP_SIGNALS = env_int("NETVAERK_MEETUP_SIGNALS", default=5)
# The help relay (relay app): how long an unanswered question waits (in waking
# hours, 08-21 Danish time) before members who can help are asked, how many.
NETVAERK_RELAY = {
    "delay_hours": env_int("NETVAERK_RELAY_DELAY_HOURS", default=3),  # per category in admin
    "newcomer_delay_hours": env_int("NETVAERK_RELAY_NEWCOMER_DELAY_HOURS", default=1),
    "second_delay_hours": env_int("NETVAERK_RELAY_SECOND_DELAY_HOURS", default=3),
    "members_asked": env_int("NETVAERK_RELAY_MEMBERS_ASKED", default=3),
    "waking_start": 8,
    "waking_end": 21,
    "time_zone": "Europe/Copenhagen",
    "max_age_days": 14,  # older unanswered questions are left alone
}
# Trust: a new member's first posts wait for approval; posts with many links
# from new members are held; enough established members' flags hide a post.
NETVAERK_TRUST = {
    "approve_first_posts": env_int("NETVAERK_APPROVE_FIRST_POSTS", default=2),
    "new_member_posts": env_int("NETVAERK_NEW_MEMBER_POSTS", default=10),
    "new_member_days": env_int("NETVAERK_NEW_MEMBER_DAYS", default=7),
    "max_links_new_member": env_int("NETVAERK_NEW_MEMBER_MAX_LINKS", default=2),
    "flags_to_hide": env_int("NETVAERK_FLAGS_TO_HIDE", default=3),
}

# Retention: how long personal data is kept before `manage.py purge_expired`
# removes it (README, "Members' data"). Periods in days (months: 30-day units).
NETVAERK_RETENTION = {
    # A data export's download link works this long; then the file goes.
    "exports_days": env_int("NETVAERK_RETAIN_EXPORTS_DAYS", default=7),
    # Answers to a meetup's questions (dietary, access needs), after it ended.
    "meetup_answers_days": env_int("NETVAERK_RETAIN_MEETUP_ANSWERS_DAYS", default=30),
    # Who checked in at a meetup; after this only the counts remain.
    "checkins_days": env_int("NETVAERK_RETAIN_CHECKINS_DAYS", default=730),
    "notifications_days": env_int("NETVAERK_RETAIN_NOTIFICATIONS_DAYS", default=365),
    # Private conversations with no new message for this long go, messages,
    # reports and attached files included.
    "conversations_days": env_int("NETVAERK_RETAIN_CONVERSATIONS_DAYS", default=730),
    # Finished background task rows (they hold e-mail addresses and texts).
    "task_results_days": env_int("NETVAERK_RETAIN_TASK_RESULTS_DAYS", default=30),
    # Words searched for without a result (no one's identity is kept with them).
    "failed_searches_days": env_int("NETVAERK_RETAIN_FAILED_SEARCHES_DAYS", default=365),
    # The record of each mail fetch_mail processed (Message-ID, sender, outcome).
    "inbound_mail_days": env_int("NETVAERK_RETAIN_INBOUND_MAIL_DAYS", default=90),
    # Who was paired with whom for coffee (at least the 6 months of no repeats);
    # each month's counts stay.
    "coffee_pairs_days": env_int("NETVAERK_RETAIN_COFFEE_PAIRS_DAYS", default=365),
}

# --- Operations: logs, metrics, error reports ------------------------------

# One line per request from netvaerk.requestlog (request id, user id, path with
# secrets masked, status, duration); JSON lines with DJANGO_LOG_FORMAT=json.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "client_ip": {"()": "netvaerk.client.ClientAddressFilter"},
    },
    "formatters": {
        "text": {"()": "netvaerk.requestlog.TextFormatter"},
        "json": {"()": "netvaerk.requestlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_ip"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
        # Errors by mail to DJANGO_ADMINS, as Django does by default.
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler is replaced by the root one, so each line
        # (a task's "Task id=… state=…" among them) is printed once.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
    },
}

# /metrics (Prometheus): from these addresses (direct connections only, never
# through a proxy), or from anywhere with "Authorization: Bearer <token>".
NETVAERK_METRICS_ALLOWED_IPS = env_list(
    "NETVAERK_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"]
)
NETVAERK_METRICS_TOKEN = os.environ.get("NETVAERK_METRICS_TOKEN", "")

# Sentry, when SENTRY_DSN is set and the optional extra is installed
# (`pip install "netvaerk[sentry]"`): errors only, no personal data.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        traces_sample_rate=0.0,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
    )
