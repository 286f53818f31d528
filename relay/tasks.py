"""The relay as a task for the worker (besides `manage.py run_periodic relay`)."""

from django.tasks import task


@task()
def run_relay() -> dict | None:
    from relay import services

    return services.run_relay()
