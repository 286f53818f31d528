"""Production checks that need real servers (run by .ci/run; PostgreSQL and Redis).

1. Backup and restore round trip on PostgreSQL and on SQLite: seed, `backup`,
   restore into an empty database (row counts of every table compared by the
   restore command), `restore` refusing a non-empty one without --force, and
   the restored site answering the same search with the same posts.
2. Two gunicorn app servers on one PostgreSQL and one Redis: a session made on
   one works on the other, and a rate limit counts requests to both.

Usage: .venv/bin/python .ci/check_production.py  (POSTGRES_SERVER, REDIS_URL)
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("POSTGRES_SERVER", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"
WORK = Path(tempfile.mkdtemp(prefix="netvaerk-prodcheck-"))
BASE_ENV = {
    **os.environ,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "prodcheck-" + "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SESSION_COOKIE_SECURE": "0",
    "DJANGO_CSRF_COOKIE_SECURE": "0",
    "DJANGO_STATIC_ROOT": str(WORK / "static"),
    "REDIS_URL": REDIS,
    "NETVAERK_CACHE_PREFIX": f"prodcheck{os.getpid()}",
}
BASE_ENV.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
PY = sys.executable
servers: list[subprocess.Popen] = []


def manage(*args, env, check=True) -> subprocess.CompletedProcess:
    print("  manage.py", *args, flush=True)
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-q", "-c", sql], check=True)


def env_for(database_url: str, media: str) -> dict:
    return {**BASE_ENV, "DATABASE_URL": database_url, "DJANGO_MEDIA_ROOT": str(WORK / media)}


def serve(env: dict, port: int) -> str:
    proc = subprocess.Popen(
        [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "netvaerk.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
             "PROMETHEUS_MULTIPROC_DIR": ""},
    )  # fmt: skip
    servers.append(proc)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
            return base
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn on {port} did not start")


class Browser:
    """Cookies shared across servers, as one browser behind a load balancer."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(url, timeout=30) as r:
                return r.status, r.geturl(), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, url, e.read().decode()

    def post(self, url: str, data: dict) -> tuple[int, str, str]:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(url, body, timeout=30) as r:
                return r.status, r.geturl(), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, url, e.read().decode()

    def login(self, base: str, email: str) -> None:
        self.get(base + "/konto/login/")
        status, url, _ = self.post(
            base + "/konto/login/", {"login": email, "password": "netvaerk-demo"}
        )
        assert status == 200 and "/konto/login/" not in url, f"login failed on {base}"


def hits(html: str) -> list[str]:
    return re.findall(r'href="(/forum/(?:t/\d+/[^"#]+|p/\d+/)[^"]*)"', html)


def check_backup_round_trip(vendor: str, source_url: str, target_url: str) -> str:
    print(f"== backup and restore ({vendor})", flush=True)
    source, target = env_for(source_url, "media-a"), env_for(target_url, "media-b")
    (WORK / "media-a" / "uploads").mkdir(parents=True)
    (WORK / "media-a" / "uploads" / "logo.txt").write_text("uploaded file")
    manage("migrate", "--noinput", "-v0", env=source)
    manage("createcachetable", env=source)
    manage("seed_demo", env=source)
    if not (WORK / "static").is_dir():
        manage("collectstatic", "--noinput", "-v0", env=source)
    archive = manage("backup", "--output-dir", str(WORK / "backups"), env=source).stdout.strip()
    print(" ", manage("restore", archive, env=target).stdout.strip())
    refused = manage("restore", archive, env=target, check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr, "restore overwrote data"
    manage("restore", "--force", archive, env=target)
    assert (WORK / "media-b" / "uploads" / "logo.txt").read_text() == "uploaded file"
    a, b = serve(source, 18811), serve(target, 18812)
    results = []
    for base in (a, b):
        browser = Browser()
        browser.login(base, "jonas@netvaerk.example")
        for path in ("/", "/forum/", "/moeder/", "/forum/seneste/"):
            status, _, _ = browser.get(base + path)
            assert status == 200, f"{path} answered {status} on {base}"
        status, _, page = browser.get(base + "/forum/soeg/?q=moms")
        assert status == 200
        results.append(hits(page))
    assert results[0] and results[0] == results[1], "search differs after restore"
    print(f"  restored site renders and search finds the same {len(results[0])} links")
    stop_servers()
    return target_url


def check_two_servers(database_url: str) -> None:
    print("== two app servers, one PostgreSQL, one Redis", flush=True)
    env = {**env_for(database_url, "media-b"), "NETVAERK_RATE_LIMIT_SCALE": "1"}
    a, b = serve(env, 18821), serve(env, 18822)
    browser = Browser()
    browser.login(a, "camilla@netvaerk.example")
    status, url, _ = browser.get(b + "/varsler/")
    assert status == 200 and "/konto/login/" not in url, "session from A not known on B"
    print("  a session made on server A works on server B")
    # Searches: 30 a minute per member, counted in Redis by both servers.
    codes = [browser.get((a, b)[i % 2] + f"/forum/soeg/?q=moms{i}")[0] for i in range(34)]
    assert codes[:30] == [200] * 30 and 429 in codes[30:], codes
    print("  the search limit (30/min) counted requests to both servers:", codes[30:])
    stop_servers()


def stop_servers() -> None:
    while servers:
        proc = servers.pop()
        proc.terminate()
        proc.wait(timeout=60)


def main() -> None:
    suffix = os.getpid()
    pg_a, pg_b = f"netvaerk_prodcheck_a_{suffix}", f"netvaerk_prodcheck_b_{suffix}"
    for name in (pg_a, pg_b):
        psql(f"DROP DATABASE IF EXISTS {name}")
        psql(f"CREATE DATABASE {name}")
    try:
        restored = check_backup_round_trip("postgresql", f"{PG}/{pg_a}", f"{PG}/{pg_b}")
        check_two_servers(restored)
        for media in ("media-a", "media-b"):
            subprocess.run(["rm", "-rf", str(WORK / media)], check=True)
        check_backup_round_trip(
            "sqlite", f"sqlite:///{WORK / 'a.sqlite3'}", f"sqlite:///{WORK / 'b.sqlite3'}"
        )
    finally:
        stop_servers()
        for name in (pg_a, pg_b):
            psql(f"DROP DATABASE IF EXISTS {name}")
        subprocess.run(["rm", "-rf", str(WORK)], check=False)
    print("production checks passed")


if __name__ == "__main__":
    main()
