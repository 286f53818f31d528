"""Benchmark (slow): the health page against a trivial view with a large network.

10,000 members, 20,000 questions and 200,000 posts spread over the last 12
months, 3,000 flags, 100 meetups with 10,000 check-ins. Prints the medians:
the page computing every figure (cache off) and as leaders usually get it
(figures cached for NETVAERK_HEALTH_CACHE_SECONDS), and the ratio to the
baseline (a trivial view behind the same middleware)."""

import statistics
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from accounts.models import User
from forum.models import Category, Post, Thread
from moderation.models import Flag
from moeder.models import Meetup, Rsvp

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

MEMBERS, THREADS, POSTS_PER_THREAD, FLAGS, MEETUPS, CHECKINS = 10_000, 20_000, 10, 3_000, 100, 100
REQUESTS = 15


def _seed():
    now = timezone.now()
    regions = ["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland", ""]
    User.objects.bulk_create(
        [
            User(
                email=f"bench{i}@example.com",
                handle=f"bench{i}",
                display_name=f"Medlem {i}",
                region=regions[i % 6],
                date_joined=now - timedelta(days=i % 400),
                password="!",
            )
            for i in range(MEMBERS)
        ],
        batch_size=2000,
    )
    users = list(User.objects.order_by("pk").values_list("pk", flat=True))
    category = Category.objects.create(name="Bench", slug="bench")
    threads = []
    for i in range(THREADS):
        asked = now - timedelta(minutes=26 * i)  # about 360 days back
        threads.append(
            Thread(
                category=category,
                title=f"Spørgsmål {i}",
                slug=f"s-{i}",
                kind="question",
                author_id=users[i % MEMBERS],
                last_poster_id=users[i % MEMBERS],
                created_at=asked,
                first_reply_at=None if i % 9 == 0 else asked + timedelta(minutes=37 * (i % 97)),
                reply_count=0 if i % 9 == 0 else POSTS_PER_THREAD - 1,
            )
        )
    Thread.objects.bulk_create(threads, batch_size=2000)
    thread_rows = list(Thread.objects.order_by("pk").values_list("pk", "created_at"))
    posts = []
    for t, (pk, asked) in enumerate(thread_rows):
        for n in range(1, POSTS_PER_THREAD + 1):
            posts.append(
                Post(
                    thread_id=pk,
                    number=n,
                    author_id=users[(t * 7 + n * 13) % MEMBERS],
                    body="Svar",
                    body_html="<p>Svar</p>",
                    created_at=asked + timedelta(hours=n),
                )
            )
        if len(posts) >= 20_000:
            Post.objects.bulk_create(posts, batch_size=5000)
            posts = []
    Post.objects.bulk_create(posts, batch_size=5000)
    post_ids = list(Post.objects.order_by("pk").values_list("pk", flat=True)[: FLAGS * 7 : 7])
    Flag.objects.bulk_create(
        [
            Flag(
                post_id=post_id,
                flagger_id=users[i % MEMBERS],
                reason="spam",
                created_at=now - timedelta(hours=2 * i),
                resolved_at=None if i % 5 == 0 else now - timedelta(hours=2 * i - i % 30),
            )
            for i, post_id in enumerate(post_ids)
        ]
    )
    meetups = Meetup.objects.bulk_create(
        [
            Meetup(
                title=f"Møde {i}",
                slug=f"m-{i}",
                starts_at=now - timedelta(days=3 * i + 1, hours=3),
                ends_at=now - timedelta(days=3 * i + 1),
                regions=[regions[i % 5]],
                status="published",
                created_by_id=users[i],
            )
            for i in range(MEETUPS)
        ]
    )
    Rsvp.objects.bulk_create(
        [
            Rsvp(
                meetup=meetup,
                member_id=users[(m * 31 + k) % MEMBERS],
                answer="yes",
                checked_in_at=meetup.starts_at + timedelta(minutes=5),
            )
            for m, meetup in enumerate(meetups)
            for k in range(CHECKINS)
        ],
        batch_size=5000,
    )


def _median_ms(client, url):
    client.get(url)  # warm up
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times)


def test_health_page_renders_within_ten_times_a_trivial_view(settings, leader_client):
    settings.ROOT_URLCONF = "netvaerk.benchmark_urls"
    clear_url_caches()
    try:
        start = time.perf_counter()
        _seed()
        seeded = time.perf_counter() - start
        url = reverse("indsigt:network_health")
        baseline = _median_ms(leader_client, "/_baseline/")
        cached = _median_ms(leader_client, url)
        settings.NETVAERK_HEALTH_CACHE_SECONDS = 0
        cache.clear()
        computed = _median_ms(leader_client, url)
    finally:
        clear_url_caches()
    print(
        f"\nseeded in {seeded:.0f} s; baseline {baseline:.1f} ms; health page cached "
        f"{cached:.1f} ms ({cached / baseline:.1f}×), computed {computed:.1f} ms "
        f"({computed / baseline:.1f}×)"
    )
    assert cached <= 10 * baseline
