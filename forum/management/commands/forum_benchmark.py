"""Seed a large forum and time the main pages against a trivial view.

Not part of `make test`: `make bench` runs it on a fresh SQLite file,
`make bench-postgres` on PostgreSQL. See README.
"""

import logging
import statistics
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from accounts.models import User
from forum import corpus
from forum.models import Access, Category, Post, Tag, Thread
from netvaerk.markup import render_markdown

CORPUS_MARKER = "corpus: Stack Exchange startups (CC BY-SA 3.0)"
BODIES = [
    "Har nogen erfaring med **moms** ved salg til Tyskland? Jeg bruger OSS.",
    "Prøv at kigge på [Skattestyrelsen](https://skat.dk) – de har en god guide.\n\n"
    "- trin 1\n- trin 2",
    "Vi har haft god erfaring med e-conomic, men Dinero er billigere.",
    "Tak, det hjalp mig rigtig meget!",
    "```\nFaktura 123: 4.000 kr. + moms\n```\nEr det rigtigt opstillet?",
]  # fmt: skip


class BuiltinText:
    """Five short Danish posts, repeated."""

    description = "built-in Danish text"
    marker = ""

    def __init__(self):
        self.html = [render_markdown(body) for body in BODIES]

    def create_tags(self) -> dict[str, int]:
        return {}

    def title(self, n: int) -> str:
        return f"Benchmark-tråd nummer {n} om moms og regnskab"

    def tags(self, n: int) -> list[str]:
        return []

    def body(self, n: int, number: int) -> tuple[str, str]:
        i = (n + number) % len(BODIES)
        return BODIES[i], self.html[i]


class CorpusText:
    """Real questions and answers from the Stack Exchange startups corpus: a
    thread takes a question's title, tags and answers, then other answers."""

    description = "Stack Exchange startups corpus"
    marker = CORPUS_MARKER

    def __init__(self):
        self.questions = list(corpus.questions())
        self.bodies = [body for q in self.questions for body in q.bodies]
        self.html: dict[int, str] = {}

    def create_tags(self) -> dict[str, int]:
        names = sorted({name for q in self.questions for name in q.tags})
        Tag.objects.bulk_create(
            (Tag(name=name, slug=slugify(name)[:50] or "tag") for name in names),
            ignore_conflicts=True,
        )
        by_slug = dict(Tag.objects.values_list("slug", "pk"))
        return {name: by_slug[slugify(name)[:50] or "tag"] for name in names}

    def title(self, n: int) -> str:
        return self.questions[n % len(self.questions)].title

    def tags(self, n: int) -> list[str]:
        return list(dict.fromkeys(self.questions[n % len(self.questions)].tags))

    def body(self, n: int, number: int) -> tuple[str, str]:
        own = self.questions[n % len(self.questions)].bodies
        i = (
            own[number - 1]
            if number <= len(own)
            else self.bodies[(n * 7919 + number) % len(self.bodies)]
        )
        key = id(i)
        if key not in self.html:
            self.html[key] = "".join(f"<p>{escape(p)}</p>" for p in i.split("\n\n"))
        return i, self.html[key]


def progress(done: int, total: int, label: str) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    bar = "#" * filled + "." * (width - filled)
    sys.stdout.write(f"\r  {label:<8} [{bar}] {done:>7}/{total}")
    sys.stdout.flush()
    if done >= total:
        sys.stdout.write("\n")


class Command(BaseCommand):
    help = "Seed a large forum (benchmark category) and time the main pages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="threads in all (default: one per corpus question, else 2,000)",
        )
        parser.add_argument(
            "--no-corpus",
            action="store_true",
            help="use five built-in Danish posts even when the real corpus is present",
        )
        parser.add_argument("--posts", type=int, default=200_000, help="posts in all")
        parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
        parser.add_argument(
            "--reuse", action="store_true", help="time the already seeded forum, seed nothing"
        )

    def handle(self, *args, threads, posts, requests, reuse, no_corpus, **options):
        use_corpus = not no_corpus and corpus.corpus_dir() is not None
        if threads is None:
            threads = 12_939 if use_corpus else 2000
        if threads < 2 or posts < threads + 1000:
            raise CommandError("Need at least 2 threads and threads + 1000 posts.")
        category = Category.objects.filter(slug="benchmark").first()
        if category is None or not reuse:
            if category is not None:
                raise CommandError(
                    "A benchmark forum exists already: use --reuse, or a fresh database."
                )
            category = self.seed(threads=threads, posts=posts, use_corpus=use_corpus)
        self.measure(category=category, requests=requests)

    # --- Seeding ----------------------------------------------------------------

    def seed(self, *, threads: int, posts: int, use_corpus: bool) -> Category:
        started = time.monotonic()
        source = CorpusText() if use_corpus else BuiltinText()
        self.stdout.write(
            f"Seeding {threads:,} threads and {posts:,} posts on {connection.vendor} "
            f"({source.description}):"
        )
        with transaction.atomic():
            category = Category.objects.create(
                name="Benchmark",
                slug="benchmark",
                description=source.marker,
                read_access=Access.MEMBERS,
            )
            users = User.objects.bulk_create(
                User(email=f"bench{i}@example.com", display_name=f"Bench Bruger {i}")
                for i in range(200)
            )
            tags = source.create_tags()
        now = timezone.now()
        # One long thread with 1,000 posts; the rest spread evenly.
        per_thread = [1000] + [(posts - 1000) // (threads - 1)] * (threads - 1)
        for n in range(posts - sum(per_thread)):  # the rest, one more each from the second
            per_thread[1 + n % (threads - 1)] += 1
        batch: list[Post] = []
        done = 0
        for start in range(0, threads, 200):
            with transaction.atomic():
                numbers = range(start, min(start + 200, threads))
                chunk = Thread.objects.bulk_create(
                    Thread(
                        category=category,
                        title=source.title(n),
                        slug=f"benchmark-traad-{n}",
                        author=users[n % len(users)],
                        last_poster=users[(n + 1) % len(users)],
                        reply_count=per_thread[n] - 1,
                        created_at=now,
                        last_posted_at=now,
                    )
                    for n in numbers
                )
                Thread.tags.through.objects.bulk_create(
                    Thread.tags.through(thread_id=thread.pk, tag_id=tags[name])
                    for n, thread in zip(numbers, chunk, strict=True)
                    for name in source.tags(n)
                )
                for n, thread in zip(numbers, chunk, strict=True):
                    for number in range(1, per_thread[n] + 1):
                        body, body_html = source.body(n, number)
                        batch.append(
                            Post(
                                thread=thread,
                                number=number,
                                author=users[(thread.pk + number) % len(users)],
                                body=body,
                                body_html=body_html,
                                created_at=now,
                            )
                        )
                    if len(batch) >= 5000:
                        Post.objects.bulk_create(batch)
                        done += len(batch)
                        batch.clear()
                        progress(done, posts, "posts")
        if batch:
            Post.objects.bulk_create(batch)
            done += len(batch)
        progress(done, posts, "posts")
        Category.objects.filter(pk=category.pk).update(thread_count=threads, post_count=posts)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Seeded in {time.monotonic() - started:.0f} s.")
        return category

    # --- Timing -------------------------------------------------------------------

    def pages(self, category: Category) -> list[tuple[str, str]]:
        """(label, address) of each timed page; the trivial view comes first."""
        threads = Thread.objects.filter(category=category)
        long_thread = threads.order_by("-reply_count", "pk").first()
        # A full page of 20 posts: another thread that long, else the long one's first.
        typical = (
            threads.exclude(pk=long_thread.pk).filter(reply_count__gte=19).order_by("pk").first()
            or long_thread
        )
        last_page = (long_thread.reply_count // 20) + 1
        return [
            ("baseline (trivial view)", "/_baseline/"),
            ("front page", "/"),
            ("forum index", "/forum/"),
            ("category list", category.get_absolute_url()),
            ("latest list", "/forum/seneste/"),
            ("thread page", typical.get_absolute_url()),
            ("last page, 1,000 posts", f"{long_thread.get_absolute_url()}?page={last_page}"),
        ]

    def measure(self, *, category: Category, requests: int) -> None:
        member = User.objects.filter(email="bench0@example.com").first()
        threads = Thread.objects.filter(category=category)
        pages = self.pages(category)
        client = Client(SERVER_NAME="localhost")
        logging.getLogger("netvaerk.request").setLevel(logging.WARNING)  # one line a request
        client.force_login(member)
        results = []
        plain_static = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # Production settings but plain HTTP and no collectstatic manifest.
        with override_settings(
            SECURE_SSL_REDIRECT=False,
            DEBUG=False,
            STORAGES=plain_static,
            ROOT_URLCONF="netvaerk.benchmark_urls",
            NETVAERK_RATE_LIMITS={**settings.NETVAERK_RATE_LIMITS, "search": (10**9, 60)},
        ):
            baseline_url = pages[0][1]
            for label, url in pages:
                for _ in range(3):  # warm up
                    response = client.get(url)
                    if response.status_code != 200:
                        raise CommandError(f"{url} answered {response.status_code}")
                queries = QueryCounter()  # each request resets connection.queries
                with connection.execute_wrapper(queries):
                    client.get(url)
                # Each request of the page is paired with one of the trivial view
                # just before it, so a machine that slows down or speeds up
                # during the run (a shared VM does) moves both sides alike.
                timings, paired = [], []
                for _ in range(requests):
                    started = time.perf_counter()
                    client.get(baseline_url)
                    paired.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                timings.sort()
                p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
                median = statistics.median(timings)
                ratio = median / statistics.median(paired)
                results.append((label, median, p95, ratio, len(queries)))
        self.stdout.write("")
        self.stdout.write(
            f"{connection.vendor}, {threads.count():,} threads, "
            f"{Post.objects.filter(thread__category=category).count():,} posts, "
            f"{requests} requests per page"
        )
        alone = results[0][1]  # the trivial view's own median (first row)
        self.stdout.write(f"| {'page':<24} | median ms | p95 ms | × baseline | × alone | queries |")
        self.stdout.write(f"|{'-' * 26}|-----------|--------|------------|---------|---------|")
        for label, median, p95, ratio, count in results:
            self.stdout.write(
                f"| {label:<24} | {median:9.1f} | {p95:6.1f} | {ratio:10.1f} "
                f"| {median / alone:7.1f} | {count:7} |"
            )
        self.stdout.write(
            "× baseline: the page's median over the median of the trivial view's "
            "requests made alternately with it; × alone: over the trivial view's "
            "own median (first row)."
        )
        self.stdout.write(f"Memory of this process after the run (RSS): {rss_mb():.0f} MB")


class QueryCounter(list):
    """An execute wrapper that keeps the SQL of each query it lets through."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def rss_mb() -> float:
    """This process's resident memory now (Linux), in MB; 0 elsewhere."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
