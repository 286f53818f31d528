import pytest
from django.db import transaction


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a call inside a transaction, then what it queued for after the commit."""

    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return callable_(**kwargs)

    return run
