"""Import another forum's history: `manage.py import_forum SOURCE --format …`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forum.models import Category
from imports.formats import READERS
from imports.models import ImportRun
from imports.services import run_import
from imports.sources import ImportInputError, Report


def print_report(stdout, run: ImportRun) -> None:
    stdout.write(
        f"{'Would import' if run.dry_run else 'Imported'}: {run.threads} threads, "
        f"{run.posts} posts "
        f"({run.already_imported} already imported), {run.members_matched} members matched, "
        f"{run.placeholders} placeholder members, {run.skipped} skipped, "
        f"{run.warning_count} warnings, {run.seconds:.1f} s."
    )
    for label, key in (
        ("skipped", "skipped"),
        ("warning", "warnings"),
        ("attachment", "attachments"),
    ):
        for source_id, text in run.report.get(key, [])[:50]:
            stdout.write(f"  {label}: {source_id}: {text}")


class Command(BaseCommand):
    help = "Import threads and posts from an mbox, a Slack export, a Stack Exchange dump or JSONL."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the file (or, for stackexchange, a folder or zip)")
        parser.add_argument("--format", required=True, choices=sorted(READERS))
        parser.add_argument("--category", help="slug of the category to import into")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument("--name", help="the source's name shown on imported threads")

    def handle(self, *args, source, format, category, dry_run, name, **options):
        path = Path(source)
        target = None
        if category:
            target = Category.objects.filter(slug=category).first()
            if target is None:
                raise CommandError(f"No category with the slug {category!r}.")
        check, read = READERS[format]
        try:
            check(path)
        except ImportInputError as error:
            raise CommandError(str(error)) from error
        report = Report()
        run = ImportRun(format=format, source_name=(name or path.name)[:200], category=target)
        run_import(
            run=run, entries=read(path, report), report=report, category=target, dry_run=dry_run
        )
        print_report(self.stdout, run)
