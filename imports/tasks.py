"""Background task of imports (run by `manage.py db_worker`)."""

from django.tasks import task

from imports import services


@task()
def run_uploaded_import(run_id: int) -> int:
    return services.run_upload(run_id=run_id)
