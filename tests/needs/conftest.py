import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation


def en_url(name: str, *args, **kwargs) -> str:
    """The English URL of a page: assertions on English text hold after translation."""
    with translation.override("en"):
        return reverse(name, args=args, kwargs=kwargs or None)


def english_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Call a service and run what it queued for after the commit."""

    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(**kwargs)

    return run


@pytest.fixture
def dummy_tasks(settings):
    """A task backend that keeps what was enqueued (with run_after) instead of running it."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    default_task_backend.clear()
    return default_task_backend
