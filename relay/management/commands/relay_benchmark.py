"""Time the choice of relay candidates for one question with many members.

    manage.py relay_benchmark                   # 10,000 members, 25 timed runs
    manage.py relay_benchmark --members 500 --runs 3

Seeds (once, in a database of its own: `make bench-relay`, or after
`forum_benchmark` for the 200,000 posts) members with skills drawn from a pool
of a thousand, 40 % of them opted in, with a history of earlier requests, then
times `relay.services.relay_candidates` for a question about VAT ("Moms ved
salg til EU", tagged momsregistrering). The budget is 50 ms (median); the
command fails above it unless --no-budget.
"""

import random
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import Skill, User
from forum.models import Category, SearchSynonym, SearchWord, Tag, Thread
from relay.models import RelayRequest, Step
from relay.services import relay_candidates

BUDGET_MS = 50
TOPICS = ["moms", "regnskab", "bogføring", "webshop", "markedsføring", "løn", "ApS",
          "eksport", "told", "jura", "kontrakter", "SEO", "salg", "ansættelse", "VAT"]  # fmt: skip


class Command(BaseCommand):
    help = "Time the choice of relay candidates for one question (10,000 members)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=25)
        parser.add_argument("--no-budget", action="store_true")

    def handle(self, *args, members, runs, no_budget, **options):
        question = self._seed(members)
        if connection.vendor == "postgresql":
            # Statistics for the planner, as autovacuum keeps them on a live
            # database (right after a bulk seed there are none).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            chosen, _ = relay_candidates(question)
            timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        worst = max(timings)
        self.stdout.write(
            f"{connection.vendor}: relay candidates among {User.objects.count():,} members "
            f"({len(chosen)} chosen): median {median:.1f} ms, max {worst:.1f} ms "
            f"over {runs} runs (budget {BUDGET_MS} ms)"
        )
        if median > BUDGET_MS and not no_budget:
            raise CommandError(f"Over budget: {median:.1f} ms > {BUDGET_MS} ms")

    def _seed(self, count: int) -> Thread:
        existing = Thread.objects.filter(slug="relay-benchmark").first()
        if existing:
            return existing
        rng = random.Random(14)
        now = timezone.now()
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in ("moms", "registrering", "salg")], ignore_conflicts=True
        )
        if not SearchSynonym.objects.filter(terms__icontains="VAT").exists():
            SearchSynonym.objects.create(terms="moms, VAT, merværdiafgift")
        names = [f"{rng.choice(TOPICS)} {n}" for n in range(1000)] + TOPICS
        Skill.objects.bulk_create(
            [Skill(name=name, slug=f"bench-{name.lower().replace(' ', '-')}") for name in names],
            ignore_conflicts=True,
        )
        skills = list(Skill.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
        start = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        User.objects.bulk_create(
            [
                User(
                    email=f"relay-bench-{start + n}@example.com",
                    display_name=f"Medlem {start + n}",
                    password="!",
                    help_requests=rng.random() < 0.4,
                    help_requests_per_week=rng.choice([1, 2, 3, 5]),
                )
                for n in range(count)
            ],
            batch_size=2000,
        )
        users = list(
            User.objects.filter(email__startswith="relay-bench-").values_list("pk", flat=True)
        )
        through = User.skills.through
        through.objects.bulk_create(
            [
                through(user_id=pk, skill_id=skill)
                for pk in users
                for skill in rng.sample(skills, 3)
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        category, _ = Category.objects.get_or_create(
            slug="relay-benchmark", defaults={"name": "Relay benchmark"}
        )
        author = User.objects.get(pk=users[0])
        past = Thread.objects.bulk_create(
            [
                Thread(
                    category=category,
                    title=f"Tidligere spørgsmål {n}",
                    slug=f"relay-old-{n}",
                    author=author,
                    created_at=now - timedelta(days=30),
                )
                for n in range(2000)
            ]
        )
        RelayRequest.objects.bulk_create(
            [
                RelayRequest(
                    thread=past[n % len(past)],
                    member_id=pk,
                    step=Step.RELAY,
                    asked_at=now - timedelta(hours=rng.randint(1, 24 * 30)),
                )
                for n, pk in enumerate(rng.sample(users, min(len(users), 20_000)))
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        question = Thread.objects.create(
            category=category,
            title="Moms ved salg til EU",
            slug="relay-benchmark",
            author=author,
        )
        tag, _ = Tag.objects.get_or_create(
            slug="momsregistrering", defaults={"name": "momsregistrering"}
        )
        question.tags.add(tag)
        return question
