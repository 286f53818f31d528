import pytest
from django.db import transaction
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished


@pytest.fixture(autouse=True)
def tasks_must_not_fail():
    """The immediate backend swallows a task's exception: fail the test instead."""
    failures = []

    def record(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failures.extend(error.traceback for error in task_result.errors)

    task_finished.connect(record)
    yield
    task_finished.disconnect(record)
    assert not failures, "\n".join(failures)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a call inside a transaction, then what it queued for after the commit."""

    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return callable_(**kwargs)

    return run
