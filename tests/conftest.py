import os

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished
from django.test import Client, override_settings
from django.utils import translation

from tests.csrf import check_post_forms
from tests.factories import UserFactory
from tests.mail_links import relative_links

# Playwright's sync API runs an event loop in the main thread; Django's ORM
# then refuses to run unless told that this is fine (it is, in tests).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLES = ["anonymous", "member", "organiser", "moderator", "network_leader"]


def pytest_collection_modifyitems(config, items):
    """Browser journeys last: they run in transactions that are flushed, which
    also empties rows the migrations installed (the handbook, the default
    categories), so the other tests run first and find them."""
    items.sort(key=lambda item: "browser" in item.keywords)


def pytest_configure(config):
    from django.conf import settings

    # The test client and the live server speak plain HTTP, use the plain
    # static storage (no collectstatic manifest) and run tasks at once.
    # Counters (thread views) stay in this process, emptied for each test.
    override_settings(
        CACHES={
            **settings.CACHES,
            "counters": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "netvaerk-test-counters",
            },
        },
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        LANGUAGE_COOKIE_SECURE=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Test members are brand new: the trust rules (approval queue, held
        # links, stricter limits) are off unless a test turns them on.
        NETVAERK_TRUST={
            "approve_first_posts": 0,
            "new_member_posts": 10,
            "new_member_days": 7,
            "max_links_new_member": 10_000,
            "flags_to_hide": 3,
        },
        NETVAERK_NEW_MEMBER_RATE_LIMITS={},
        # Every prepared query (netvaerk.prepared) is also compiled the ordinary
        # way and compared: each test that opens a page proves the shortcut.
        NETVAERK_PREPARED_CHECK=True,
        # Counts go to the counters cache at once (a test turns the buffer on).
        NETVAERK_COUNTER_BUFFER_SECONDS=0,
    ).enable()


@pytest.fixture(autouse=True)
def _tasks_must_not_fail(request):
    """The immediate backend records a task's exception and goes on: fail the
    test instead, so that a task that breaks cannot leave the suite green. A test
    about a task failing on purpose says so with @pytest.mark.task_may_fail."""
    failures = []

    def record(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failures.extend(error.traceback for error in task_result.errors)

    task_finished.connect(record)
    yield
    task_finished.disconnect(record)
    if failures and request.node.get_closest_marker("task_may_fail") is None:
        pytest.fail("a task failed:\n" + "\n".join(failures))


class TransactionGuardBackend(LocmemBackend):
    """The test outbox, refusing mail sent while a database transaction of ours
    is open (the test case's own wrapping transaction aside): mail goes out
    from the worker after commit (netvaerk.mail), never from inside a write."""

    def send_messages(self, messages):
        from netvaerk.mail import in_transaction

        if in_transaction():
            raise AssertionError("mail sent inside an open database transaction")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _no_mail_inside_transactions(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.conftest.TransactionGuardBackend"}}


@pytest.fixture(autouse=True)
def _post_forms_carry_csrf_tokens(monkeypatch):
    """Every page a test fetches must give each POST form a CSRF token: the test
    client does not check CSRF, so a form without one would pass here and fail
    for every member (see tests/csrf.py)."""
    request = Client.request

    def checked(self, **kwargs):
        response = request(self, **kwargs)
        check_post_forms(response)
        return response

    monkeypatch.setattr(Client, "request", checked)


@pytest.fixture(autouse=True)
def _mails_link_absolutely():
    """Every mail a test sends has only absolute links (see tests/mail_links.py)."""
    yield
    from django.core import mail

    for message in getattr(mail, "outbox", []):
        relative = relative_links(message)
        assert not relative, f"mail {message.subject!r} has relative links: {relative}"


@pytest.fixture(autouse=True)
def _fresh_counters():
    from django.core.cache import caches

    from forum.models.search import forget_synonyms
    from netvaerk import counters

    counters._buffer.clear()  # counts a test left in this process's buffer
    caches["counters"].clear()
    caches["fragments"].clear()
    forget_synonyms()  # the process keeps them a minute; a test's rollback does not say so
    yield


@pytest.fixture(autouse=True)
def _fresh_redis_cache(settings):
    """With REDIS_URL set the cache outlives each test's transaction: empty it
    (the whole Redis database, so give the test run one of its own)."""
    if "RedisCache" in settings.CACHES["default"]["BACKEND"]:
        from django.core.cache import cache

        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads and avatars a test stores never land in the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _default_language():
    """Requests through the test client leave their language active in this
    thread; start every test in Danish, as a new visitor would."""
    translation.activate("da")
    yield
    translation.activate("da")


def make_user(role: str):
    """A user for one column of a permission table (None for anonymous)."""
    if role == "anonymous":
        return None
    if role == "member":
        return UserFactory()
    return UserFactory(roles=[role], totp=True)


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def organiser(db):
    return UserFactory(roles=["organiser"])


@pytest.fixture
def moderator(db):
    return UserFactory(roles=["moderator"], totp=True)


@pytest.fixture
def network_leader(db):
    return UserFactory(roles=["network_leader"], totp=True)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def organiser_client(organiser):
    return _client_for(organiser)


@pytest.fixture
def moderator_client(moderator):
    return _client_for(moderator)


@pytest.fixture
def leader_client(network_leader):
    return _client_for(network_leader)


@pytest.fixture
def client_for():
    """Log a client in as any user (or stay anonymous for None)."""

    def make(user):
        return Client() if user is None else _client_for(user)

    return make


@pytest.fixture
def throwaway_template(settings, tmp_path):
    """A template only this test knows, for panels plugged in by a test:
    ``throwaway.html`` shows ``<p class="throwaway">{{ text }}</p>``."""
    (tmp_path / "throwaway.html").write_text('<p class="throwaway">{{ text }}</p>\n')
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    return "throwaway.html"
