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
