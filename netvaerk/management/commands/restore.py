from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from netvaerk.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive from `manage.py backup` into an empty database and media "
        "folder (--force replaces what is there)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database or media folder that holds data.",
        )

    def handle(self, *args, archive, force, **options):
        if not archive.is_file():
            raise CommandError(f"No archive at {archive}.")
        try:
            result = restore_backup(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if result.differences:
            lines = ", ".join(f"{t}: {a} → {b}" for t, (a, b) in sorted(result.differences.items()))
            raise CommandError(f"Restored, but row counts differ from the backup: {lines}")
        self.stdout.write(f"Restored {result.tables} tables, {result.rows} rows; counts match.")
