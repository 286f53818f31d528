"""Browser journeys in Debian's Chromium (never a downloaded browser).

Without Chromium the tests are skipped with a message, except under CI=true,
where a missing browser fails the run.
"""

import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe


def find_chromium() -> str | None:
    configured = os.environ.get("NETVAERK_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM = find_chromium()
MISSING = (
    "Chromium not found: browser tests skipped. Install Debian's 'chromium' package "
    "or point NETVAERK_CHROMIUM at a Chromium binary."
)


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if CHROMIUM or not browser_items:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true and {MISSING}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=MISSING))


def pytest_report_header(config):
    return f"chromium: {CHROMIUM or 'not found (browser tests will be skipped)'}"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "da-DK", "timezone_id": "Europe/Copenhagen"}


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def site(live_server):
    """The live server's base URL (tests are marked transactional, see pytestmark)."""
    return live_server.url


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


@pytest.fixture
def assert_accessible():
    def check(page):
        results = _axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def assert_accessible_nojs(browser, assert_accessible):
    """axe needs JavaScript: scan the same URL, with the same cookies, in a
    JavaScript-enabled context beside the one that has it turned off."""

    def check(page):
        context = browser.new_context(storage_state=page.context.storage_state(), locale="da-DK")
        try:
            twin = context.new_page()
            twin.goto(page.url)
            assert_accessible(twin)
        finally:
            context.close()

    return check
