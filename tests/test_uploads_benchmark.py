"""Benchmark (marked slow, `make test` skips it): re-encoding a 12-megapixel
photo takes under 1 s and under 200 MB of memory (README, "Pictures and
attachments"). Measured in a fresh process, so that the peak resident memory
is the re-encoding's own."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import io, json, resource, time, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netvaerk.settings")
django.setup()
from PIL import Image
from netvaerk.uploads import reencode_image

# A 4000 x 3000 photo-like JPEG (noise compresses badly, like a real photo).
base = Image.effect_noise((4000, 3000), 64).convert("RGB")
buffer = io.BytesIO()
base.save(buffer, "JPEG", quality=92)
data = buffer.getvalue()
del base, buffer
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times = []
for _ in range(5):
    start = time.perf_counter()
    encoded, fmt, width, height = reencode_image(data)
    times.append(time.perf_counter() - start)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "input_mb": round(len(data) / 1e6, 1),
    "seconds": round(sorted(times)[2], 3),  # the median
    "seconds_min": round(min(times), 3),
    "seconds_max": round(max(times), 3),
    "peak_mb": round(after / 1024, 1),
    "growth_mb": round((after - before) / 1024, 1),
    "size": [width, height],
}))
"""


@pytest.mark.slow
def test_reencoding_a_12_megapixel_photo_is_fast_and_small():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(figures)
    assert figures["seconds"] < 1.0  # the median: the machine is shared
    assert figures["growth_mb"] < 200


def _thread_with_posts(*, pictures: bool):
    from forum import services
    from tests.factories import CategoryFactory, UserFactory

    category = CategoryFactory()
    thread = services.start_thread(
        category=category, author=UserFactory(), title="Skærmbilleder", kind="question",
        body="Se billedet.",
    )  # fmt: skip
    for n in range(19):  # a full page: the first post and 19 replies
        author = UserFactory(avatar_key=f"avatarkey{n:07d}" if pictures else "")
        body = f"Svar nummer {n}."
        if pictures:
            body += f"\n\n![Skærmbillede {n}](/filer/abcdefghijklmnop{n:04d}/1280x800/billede.png)"
        services.post_reply(thread=thread, author=author, body=body)
    return thread


@pytest.mark.slow
@pytest.mark.django_db
def test_a_thread_page_with_avatars_and_pictures_costs_what_one_without_does(member_client):
    """Issue 18: 20 posts each with an avatar and a picture render within the
    budget of 20 plain posts (time within 25 %)."""
    import statistics
    import time

    def measure(thread):
        url = thread.get_absolute_url()
        for _ in range(3):
            member_client.get(url)
        response = member_client.get(url)
        assert response.status_code == 200 and response.text.count("<article") == 20
        times = []
        for _ in range(30):
            started = time.perf_counter()
            assert member_client.get(url).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    plain_ms = measure(_thread_with_posts(pictures=False))
    rich_ms = measure(_thread_with_posts(pictures=True))
    print(f"\nthread page, 20 posts: plain {plain_ms:.1f} ms, "
          f"with avatars and pictures {rich_ms:.1f} ms")  # fmt: skip
    # The queries: tests/accounts/test_avatars.py (no query per avatar).
    assert rich_ms <= plain_ms * 1.25
