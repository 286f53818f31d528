"""The one place that turns user Markdown into safe HTML, once, at write time."""

import signal
import threading

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown.extensions import Extension

from netvaerk.text import strip_control_chars

MAX_SOURCE_CHARS = 50_000
MAX_HTML_CHARS = 200_000
# Python-Markdown is quadratic on some inputs (thousands of "[" or "!["):
# a render that takes longer than this is refused instead of tying up a worker.
RENDER_SECONDS = 1.0

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}


class _NoRawHtml(Extension):
    """Raw HTML in the source is shown as text, never passed through."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br", _NoRawHtml()]


class MarkupError(ValueError):
    """The text cannot be published as it is (too long, or too costly to render)."""


class MarkupTooSlow(MarkupError):
    pass


class _Alarm(Exception):
    pass


def clean_source(source: str) -> str:
    """Newlines as "\\n", no control characters (the rule in netvaerk.text)."""
    return strip_control_chars(source)


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[
        lambda source: LinkifyFilter(source, callbacks=[_set_link_rel], skip_tags={"pre", "code"})
    ],
)


def _render(source: str) -> str:
    try:
        return markdown.markdown(source, extensions=EXTENSIONS, output_format="html")
    except RecursionError as error:
        raise MarkupError("too deeply nested") from error


def _render_in_time(source: str, seconds: float) -> str:
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        # gunicorn's sync workers, the task worker and tests: interrupt the render.
        def on_alarm(signum, frame):
            raise _Alarm

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return _render(source)
        except _Alarm as error:
            raise MarkupTooSlow("rendering took too long") from error
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    # Threaded servers cannot interrupt a thread: stop waiting after the budget
    # (the abandoned render finishes on its own in the background).
    outcome: dict = {}

    def run():
        try:
            outcome["html"] = _render(source)
        except MarkupError as error:
            outcome["error"] = error

    worker = threading.Thread(target=run, name="markdown-render", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise MarkupTooSlow("rendering took too long")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["html"]


def _wrap_tables(html: str) -> str:
    """A table scrolls in its own box, so that a wide one does not make the
    page scroll sideways on a phone. Only the cleaner's output is touched: a
    bare `<table>` there comes from Markdown (raw HTML arrives escaped)."""
    return html.replace("<table>", '<div class="table-responsive"><table>').replace(
        "</table>", "</table></div>"
    )


def render_markdown(source: str) -> str:
    """Render Markdown to sanitised HTML. Raises MarkupError when it cannot."""
    source = clean_source(source)
    if len(source) > MAX_SOURCE_CHARS:
        raise MarkupError("source too long")
    html = _wrap_tables(_cleaner.clean(_render_in_time(source, RENDER_SECONDS)))
    if len(html) > MAX_HTML_CHARS:
        raise MarkupError("rendered text too long")
    return html
