"""Import the whole startups corpus (../shared/data/startups-stackexchange)
and print posts per second and peak memory. Run on a fresh database:
`make bench-import` (SQLite) or `make bench-import-postgres`. See README."""

import gzip
import resource
import shutil
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from forum import corpus
from forum.models import Category, Post
from imports.formats import check_jsonl, read_jsonl
from imports.models import ImportRun
from imports.services import run_import
from imports.sources import Report


class Command(BaseCommand):
    help = "Time an import of the startups corpus (about 48,000 posts) into this database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--times",
            type=int,
            default=1,
            help="import the corpus this many times over (new ids each time: memory must not grow)",
        )

    def handle(self, *args, times, **options):
        directory = corpus.corpus_dir()
        if directory is None:
            raise CommandError("The startups corpus was not found (NETVAERK_CORPUS_DIR).")
        if Post.objects.exists():
            raise CommandError("Run it on a fresh database (the forum has posts already).")
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "corpus.jsonl"
            with open(source, "wb") as out:
                for copy in range(times):
                    for name in corpus.FILES:
                        with gzip.open(directory / name, "rb") as f:
                            if copy == 0:
                                shutil.copyfileobj(f, out)
                            else:  # the same text under new ids
                                for line in f:
                                    out.write(
                                        line.replace(b'"site": "', f'"site": "x{copy}-'.encode(), 1)
                                    )
            check_jsonl(source)
            category = Category.objects.create(name="Import benchmark", slug="import-benchmark")
            report = Report()
            run = ImportRun(format="jsonl", source_name="startups corpus", category=category)
            before = resource.getrusage(resource.RUSAGE_SELF)
            cpu_before = before.ru_utime + before.ru_stime
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            worker_cpu_before = before.ru_utime + before.ru_stime
            started = time.monotonic()
            run_import(
                run=run, entries=read_jsonl(source, report), report=report, category=category
            )
            seconds = time.monotonic() - started
        own, workers = (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),  # the Markdown workers
        )
        cpu = own.ru_utime + own.ru_stime - cpu_before
        worker_cpu = workers.ru_utime + workers.ru_stime - worker_cpu_before
        self.stdout.write(
            f"{connection.vendor}: {run.threads:,} threads, {run.posts:,} posts in {seconds:.1f} s "
            f"= {run.posts / seconds:,.0f} posts/s; CPU {cpu:.1f} s here + {worker_cpu:.1f} s "
            f"in Markdown workers; peak memory {own.ru_maxrss / 1024:.0f} MB "
            f"(+ {workers.ru_maxrss / 1024:.0f} MB per worker); "
            f"{run.placeholders:,} placeholder members, {run.skipped} skipped, "
            f"{run.warning_count} warnings."
        )
