"""Task workers on several machines share the PostgreSQL queue: the database
backend claims each row with SELECT … FOR UPDATE SKIP LOCKED, so two workers
never run the same task."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from notifications import tasks

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_share_a_hundred_tasks_and_never_run_one_twice():
    if connection.vendor != "postgresql":
        pytest.skip("the shared queue is a PostgreSQL setup")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        for _ in range(100):
            tasks.send_daily_digests.enqueue()
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "netvaerk.settings"}
    env.pop("DJANGO_CONN_MAX_AGE", None)
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--interval",
                "0",
                "--no-startup-delay",
                "--max-tasks",
                "60",
                "--worker-id",
                f"worker-{n}",
                "-v0",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        for n in (1, 2)
    ]
    for worker in workers:
        assert worker.wait(timeout=300) == 0
    results = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    assert len(results) == 100
    assert {status for status, _ in results} == {"SUCCESSFUL"}
    assert all(len(ids) == 1 for _, ids in results), "a task was claimed twice"
    by_worker = {ids[0] for _, ids in results}
    assert by_worker == {"worker-1", "worker-2"}, "one worker did all the work"
