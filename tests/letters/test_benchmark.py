"""Benchmarks (slow: not part of `make test`): a network letter to 10,000
members queued, and all weekly digests for 10,000 members and 200,000 posts
built and queued. Figures in README ("Benchmarks").

The tests commit for real (`transaction=True`), as the worker does: each batch
commits, and only then are its mails queued (one task row each, by
`transaction.on_commit`); inside a test case's transaction those would never
run. Statements are counted by kind.

    DJANGO_TEST_DB_FILE=/tmp/bench.sqlite3 .venv/bin/python -m pytest -m slow -s \
        tests/letters/test_benchmark.py
"""

import time
import tracemalloc
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.models import Skill, User
from forum.models import Category, CategoryFollow, Post, Thread
from letters import services
from letters.models import LetterDelivery, LetterStatus
from notifications import digest
from notifications.models import DigestSent

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MEMBERS = 10_000
POSTS = 200_000
THREADS = 20_000
QUEUED = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
TASK_INSERT = 'INSERT INTO "django_tasks_database_dbtaskresult"'


@contextmanager
def counted():
    """Count the statements run, by kind: "task" (a queued task's row) or "other"."""
    counts = Counter()

    def count(execute, sql, params, many, context):
        counts["task" if sql.startswith(TASK_INSERT) else "other"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counts


def _members(n=MEMBERS):
    User.objects.bulk_create(
        (
            User(email=f"b{i}@example.com", handle=f"b{i}", display_name=f"Medlem {i}",
                 region="midtjylland")
            for i in range(n)
        ),
        batch_size=2000,
    )  # fmt: skip


def _forum(members):
    category = Category.objects.create(name="Bench", slug="bench", read_access="members")
    now = timezone.now()
    author_ids = [m for m in members[:200]]
    Thread.objects.bulk_create(
        (
            Thread(category=category, title=f"Moms spørgsmål {i}", slug=f"moms-{i}",
                   author_id=author_ids[i % 200], created_at=now - timedelta(hours=i % 300),
                   last_posted_at=now)
            for i in range(THREADS)
        ),
        batch_size=2000,
    )  # fmt: skip
    thread_ids = list(Thread.objects.values_list("pk", flat=True))
    per = POSTS // THREADS
    Post.objects.bulk_create(
        (
            Post(thread_id=t, number=n + 1, author_id=author_ids[(t + n) % 200],
                 body=f"Svar {n}", body_html=f"<p>Svar {n}</p>", created_at=now)
            for t in thread_ids
            for n in range(per)
        ),
        batch_size=5000,
    )  # fmt: skip
    Thread.objects.filter(pk__in=thread_ids[: THREADS // 2]).update(reply_count=per - 1)
    first_posts = dict(Post.objects.filter(number=2).values_list("thread_id", "pk")[:500])
    for thread_id, post_id in first_posts.items():
        Thread.objects.filter(pk=thread_id).update(accepted_post_id=post_id, solved_at=now)
    return category


def test_a_letter_to_10000_members_is_queued_in_under_10_seconds():
    _members()
    author = User.objects.first()
    letter = services.create_letter(author=author, title="Brev", intro="Hej alle", body="",
                                    audience="public", picked={})  # fmt: skip
    with QUEUED, counted() as statements:
        started = time.perf_counter()
        services.start_sending(letter=letter)
        while services.send_next_batch(letter_id=letter.pk):
            pass
        elapsed = time.perf_counter() - started
    letter.refresh_from_db()
    print(
        f"\nletter to {letter.sent_count:,} members queued in {elapsed:.1f} s "
        f"({statements['other']} statements, {statements['task']:,} mail tasks queued)"
    )
    assert letter.status == LetterStatus.SENT and letter.sent_count == MEMBERS
    assert LetterDelivery.objects.count() == MEMBERS
    assert statements["task"] >= MEMBERS  # the mails, and the batch tasks
    assert elapsed < 10


def test_all_weekly_digests_for_10000_members_and_200000_posts_in_under_60_seconds():
    _members()
    members = list(User.objects.values_list("pk", flat=True))
    category = _forum(members)
    skill = Skill.objects.create(name="moms")
    through = User.skills.through
    through.objects.bulk_create(through(skill_id=skill.pk, user_id=pk) for pk in members[::2])
    CategoryFollow.objects.bulk_create(
        CategoryFollow(user_id=pk, category=category) for pk in members[1::2]
    )
    with QUEUED, counted() as statements:
        tracemalloc.start()
        started = time.perf_counter()
        sent = digest.send_personal_digests(now=timezone.now())
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    batches = -(-MEMBERS // digest.BATCH_SIZE)
    print(
        f"\n{sent:,} weekly digests for {MEMBERS:,} members / {Post.objects.count():,} posts "
        f"in {elapsed:.1f} s, peak Python memory {peak / 2**20:.0f} MB; "
        f"{statements['other']} statements for {batches} batches of {digest.BATCH_SIZE} "
        f"members, and {statements['task']:,} mail tasks queued"
    )
    assert DigestSent.objects.count() == sent > 0
    assert statements["task"] == sent
    assert elapsed < 60
