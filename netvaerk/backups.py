"""Backups of the database and the uploaded files, in one dated archive.

``write_backup`` makes ``netvaerk-YYYYMMDD-HHMMSS.tar.gz`` holding:

- ``manifest.json``: format, database vendor, time, and the row count of every table;
- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``: one consistent
  snapshot while the site runs) or ``database.sqlite3`` (SQLite's online backup
  API: consistent while others write);
- ``media/``: MEDIA_ROOT as it was.

``restore_backup`` puts one back into an empty database and media folder, and
refuses to overwrite one that holds anything unless told to (``force``); it
then compares every table's row count with the manifest.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

FORMAT = 1


class BackupError(Exception):
    pass


def table_counts() -> dict[str, int]:
    """Rows in every table of the default database (search tables included)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def write_backup(*, directory: Path, now: datetime) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    archive = directory / f"netvaerk-{now:%Y%m%d-%H%M%S}.tar.gz"
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # Counted first, dumped right after: on a busy site the manifest is a
        # guide, the dump is the truth (restore reports any difference).
        counts = table_counts()
        if vendor == "postgresql":
            env, args = _pg_env_and_args()
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(work / "database.dump"),
                    *args,
                ],
                env,
            )
            database_file = "database.dump"
        elif vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(work / "database.sqlite3")
            with target:
                connection.connection.backup(target)
            target.close()
            database_file = "database.sqlite3"
        else:
            raise BackupError(f"No backup for the {vendor} database.")
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": now.isoformat(),
            "database": database_file,
            "tables": counts,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(work / database_file, arcname=database_file)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname="media")
        partial.rename(archive)
    return archive


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def media_is_empty() -> bool:
    media = Path(settings.MEDIA_ROOT)
    return not media.is_dir() or not any(media.iterdir())


@dataclass
class RestoreResult:
    tables: int
    rows: int
    differences: dict[str, tuple[int, int]]


def restore_backup(*, archive: Path, force: bool) -> RestoreResult:
    if not (database_is_empty() and media_is_empty()) and not force:
        raise BackupError(
            "The database or the media folder is not empty; restore with --force to replace them."
        )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError("This archive was written by another version of the backup.")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"The archive holds a {manifest['vendor']} database; this site uses "
                f"{connection.vendor}."
            )
        if connection.vendor == "postgresql":
            _restore_postgresql(work / manifest["database"])
        else:
            _restore_sqlite(work / manifest["database"])
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.rmtree(media)
        if (work / "media").is_dir():
            shutil.copytree(work / "media", media)
        else:
            media.mkdir(parents=True, exist_ok=True)
    counts = table_counts()
    expected = manifest["tables"]
    differences = {
        table: (expected.get(table, 0), counts.get(table, 0))
        for table in set(expected) | set(counts)
        if expected.get(table, 0) != counts.get(table, 0)
    }
    return RestoreResult(tables=len(counts), rows=sum(counts.values()), differences=differences)


def _restore_postgresql(dump: Path) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
    env, args = _pg_env_and_args()
    _run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", *args, str(dump)],
        env,
    )


def _restore_sqlite(copy: Path) -> None:
    connections.close_all()
    source = sqlite3.connect(copy)
    connection.ensure_connection()
    source.backup(connection.connection)
    source.close()
    connection.close()
