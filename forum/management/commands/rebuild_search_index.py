import time

from django.core.management.base import BaseCommand

from forum.management.commands.forum_benchmark import progress
from forum.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the posts (imports, recovery). "
        "An interrupted rebuild carries on where it stopped when run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--restart",
            action="store_true",
            help="start from the first post even if an earlier rebuild was interrupted",
        )

    def handle(self, *args, batch_size, restart, **options):
        started = time.monotonic()
        count = rebuild_index(
            batch_size=batch_size,
            restart=restart,
            progress=lambda done, total: progress(done, total, "posts"),
        )
        seconds = max(time.monotonic() - started, 0.001)
        self.stdout.write(f"Indexed {count:,} posts in {seconds:.1f} s ({count / seconds:,.0f}/s).")
