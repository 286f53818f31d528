from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from netvaerk.backups import BackupError, write_backup


class Command(BaseCommand):
    help = "Write the database and uploaded files into one dated archive (see netvaerk/backups.py)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=settings.NETVAERK_BACKUP_DIR,
            help="Folder for the archive (default: NETVAERK_BACKUP_DIR).",
        )

    def handle(self, *args, output_dir, **options):
        try:
            archive = write_backup(directory=Path(output_dir), now=timezone.now())
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
