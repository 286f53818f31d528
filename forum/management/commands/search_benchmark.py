"""Time searches on the forum seeded by forum_benchmark (`make bench-search`)."""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from accounts.models import User
from forum.management.commands.forum_benchmark import CORPUS_MARKER
from forum.models import Category, Post

# On the real (English) corpus: "business" is in 28% of the posts, "escrow" in 0.2%.
CORPUS_QUERIES = [
    ("common word", {"q": "business"}),
    ("rare word", {"q": "escrow"}),
    ("two words", {"q": "business plan"}),
    ("phrase", {"q": '"business plan"'}),
    ("prefix", {"q": "invest"}),
    ("with filters", {"q": "equity", "category": "benchmark", "status": "questions"}),
    ("newest first", {"q": "marketing", "sort": "newest"}),
]
# On the five built-in Danish posts.
QUERIES = [
    ("common word", {"q": "moms"}),
    ("rare word", {"q": "1234"}),
    ("two words", {"q": "moms regnskab"}),
    ("phrase", {"q": '"god guide"'}),
    ("prefix", {"q": "regnsk"}),
    ("with filters", {"q": "moms", "category": "benchmark", "status": "questions"}),
    ("newest first", {"q": "faktura", "sort": "newest"}),
]


class Command(BaseCommand):
    help = "Time searches (median, p95) against a trivial view, on the seeded benchmark forum."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20)

    def handle(self, *args, requests, **options):
        category = Category.objects.filter(slug="benchmark").first()
        if category is None:
            raise CommandError("Seed first: manage.py forum_benchmark (make bench-search does).")
        member = User.objects.get(email="bench0@example.com")
        client = Client(SERVER_NAME="localhost")
        client.force_login(member)
        plain_static = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        pages = [("baseline (trivial view)", "/_baseline/", {})] + [
            (label, "/forum/soeg/", params)
            for label, params in (
                CORPUS_QUERIES if category.description == CORPUS_MARKER else QUERIES
            )
        ]
        results = []
        with override_settings(
            SECURE_SSL_REDIRECT=False,
            DEBUG=False,
            STORAGES=plain_static,
            ROOT_URLCONF="netvaerk.benchmark_urls",
            NETVAERK_RATE_LIMITS={"search": (10**9, 60)},
        ):
            for label, url, params in pages:
                for _ in range(2):
                    response = client.get(url, params)
                    if response.status_code != 200:
                        raise CommandError(f"{url} {params} answered {response.status_code}")
                timings = []
                for _ in range(requests):
                    started = time.perf_counter()
                    client.get(url, params)
                    timings.append((time.perf_counter() - started) * 1000)
                timings.sort()
                p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
                results.append((label, statistics.median(timings), p95))
        baseline = results[0][1]
        self.stdout.write(
            f"{connection.vendor}, {Post.objects.count():,} posts, {requests} requests per query"
        )
        self.stdout.write(f"| {'query':<24} | median ms | p95 ms | p95 × baseline |")
        self.stdout.write(f"|{'-' * 26}|-----------|--------|----------------|")
        for label, median, p95 in results:
            self.stdout.write(
                f"| {label:<24} | {median:9.1f} | {p95:6.1f} | {p95 / baseline:14.1f} |"
            )
