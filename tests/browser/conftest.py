"""Browser journeys in Debian's Chromium (never a downloaded browser).

Without Chromium the tests are skipped with a message, except under CI=true,
where a missing browser fails the run.
"""

import os
import re
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
    """The live server's base URL (tests are marked transactional, see pytestmark).

    The cache is emptied first: a transactional test's flush leaves the cache
    table alone, so allauth's per-address login counts (every journey signs in
    from 127.0.0.1) would otherwise add up across tests and a fast machine
    would meet the 30-a-minute limit."""
    from django.core.cache import cache

    cache.clear()
    return live_server.url


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


@pytest.fixture
def assert_accessible():
    """axe finds no WCAG A/AA violation, and the page fits a phone (see
    assert_fits): every page a journey checks is checked at 320 px too."""

    def check(page):
        assert_fits(page)
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
        assert_fits(page)  # without JavaScript the menu is open: it must fit too
        context = browser.new_context(storage_state=page.context.storage_state(), locale="da-DK")
        try:
            twin = context.new_page()
            twin.goto(page.url)
            assert_accessible(twin)
        finally:
            context.close()

    return check


# --- Reflow: no page scrolls sideways on a phone (WCAG 1.4.10) ---------------

PHONE_WIDTH = 320  # CSS px: WCAG's reflow width, narrower than any phone in use

_OVERFLOW_JS = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  // Name the deepest elements that stick out, to say what to fix.
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    if ([...el.children].some((child) => child.getBoundingClientRect().right > width + 1)) continue;
    const scroller = el.parentElement && el.parentElement.closest(".table-responsive, pre");
    if (scroller && scroller.getBoundingClientRect().right <= width + 1) continue;  // inside
    const id = el.id ? "#" + el.id : "";
    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
    culprits.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(box.right)}px)`);
    if (culprits.length === 5) break;
  }
  return {scrollWidth: root.scrollWidth, width: width, culprits: culprits};
}"""


def assert_fits(page, width: int = PHONE_WIDTH) -> None:
    """The page, laid out `width` CSS px wide, does not scroll sideways. The
    viewport is put back afterwards, so a journey can go on where it was."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": 640})
    try:
        overflow = page.evaluate(_OVERFLOW_JS)
    finally:
        page.set_viewport_size(before)
    assert overflow is None, (
        f"{page.url} scrolls sideways at {width} px: it is {overflow['scrollWidth']} px wide; "
        f"sticking out: {', '.join(overflow['culprits'])}"
    )


# --- The focus indicator (WCAG 1.4.11, 2.4.7) --------------------------------

_FOCUS_RING_JS = """(el) => {
  el.getAnimations().forEach((transition) => transition.finish());  // Bootstrap's fade-in
  const style = getComputedStyle(el);
  // What is around the control: the first opaque background among its
  // ancestors, with translucent ones blended in on the way up.
  const layers = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    layers.push(bg);
    if (!bg.startsWith("rgba") || bg.endsWith(", 1)")) break;
  }
  const name = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "")
    .trim().slice(0, 40);
  return {
    element: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} “${name}”`,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    layers: layers,
  };
}"""

_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _rgba(text: str) -> tuple[float, float, float, float]:
    match = _RGB.search(text)
    assert match, text
    r, g, b, a = match.groups()
    return float(r), float(g), float(b), 1.0 if a is None else float(a)


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one, other) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _background(layers: list[str]) -> tuple[float, float, float]:
    """Blend the ancestors' backgrounds from the page (white) up to the nearest."""
    colour = (255.0, 255.0, 255.0)
    for layer in reversed(layers):
        r, g, b, a = _rgba(layer)
        colour = tuple(a * new + (1 - a) * old for new, old in zip((r, g, b), colour))
    return colour


def focus_ring(page) -> dict:
    """The focused element's indicator: its colours, the background around it
    and the best contrast of a ring colour against that background."""
    found = page.evaluate_handle("document.activeElement").evaluate(_FOCUS_RING_JS)
    rings = []
    if found["outlineStyle"] not in ("none", "hidden") and found["outlineWidth"] >= 2:
        rings.append(_rgba(found["outlineColor"]))
    # Box shadows that draw a ring: no offset, no blur, a spread (e.g. "… 0px 0px 0px 6px").
    for shadow in re.split(r",\s*(?![^()]*\))", found["boxShadow"]):
        if _RGB.search(shadow) and re.search(r"0px 0px 0px [1-9]", shadow):
            rings.append(_rgba(shadow))
    background = _background(found["layers"])
    visible = [ring for ring in rings if ring[3] == 1.0]
    return {
        "element": found["element"],
        "rings": visible,
        "box_shadow": found["boxShadow"],
        "background": background,
        "contrast": max((contrast(ring, background) for ring in visible), default=1.0),
    }


def assert_focus_visible(page) -> dict:
    """The focused element shows a ring that reaches 3:1 against what is around it."""
    ring = focus_ring(page)
    assert ring["contrast"] >= 3, (
        f"{page.url}: the focus ring of {ring['element']} reaches only "
        f"{ring['contrast']:.2f}:1 against rgb{ring['background']} "
        f"(rings: {ring['rings']}, box-shadow: {ring['box_shadow']})"
    )
    return ring
