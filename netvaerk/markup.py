"""The one place that turns user Markdown into safe HTML, once, at write time."""

import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import bleach
import markdown
from bleach.linkifier import URL_RE, LinkifyFilter
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from netvaerk.text import strip_control_chars

MAX_SOURCE_CHARS = 50_000
MAX_HTML_CHARS = 200_000
# Python-Markdown is quadratic on some inputs (thousands of "[" or "!["), and so
# is the sanitiser's link detection (a long run of "(" before an address): the
# whole pipeline gets this budget and is stopped, not abandoned, when it overruns.
RENDER_SECONDS = 1.0

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip
# Pictures only from our own uploads (netvaerk.uploads serves this path, checking
# who may read them): `/filer/<key>/<width>x<height>/<name>` for a picture.
UPLOAD_URL_PREFIX = "/filer/"
UPLOAD_IMAGE_SRC = re.compile(
    r"\A/filer/[A-Za-z0-9_-]{16,32}/(?P<width>[1-9][0-9]{0,4})x(?P<height>[1-9][0-9]{0,4})"
    r"/[^/?#\s\\\"'<>]{1,120}\Z"
)
_IMG_ATTRIBUTES = {"alt", "title", "width", "height", "loading", "decoding"}


def _img_attribute(tag, name, value):
    if name == "src":
        return bool(UPLOAD_IMAGE_SRC.match(value))
    if name in {"width", "height"}:
        return value.isdigit()
    return name in _IMG_ATTRIBUTES


ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "th": ["align"],
    "td": ["align"],
    "img": _img_attribute,
}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}


class _NoRawHtml(Extension):
    """Raw HTML in the source is shown as text, never passed through."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


class _OwnPicturesOnly(Treeprocessor):
    """`![alt](src)` shows a picture only when `src` is one of our uploads (with
    its size, loaded lazily); any other address becomes its alt text."""

    def run(self, root):
        for element in root.iter("img"):
            match = UPLOAD_IMAGE_SRC.match(element.get("src", ""))
            if match is None:
                alt = element.get("alt", "")
                element.attrib.clear()
                element.tag = "span"
                element.text = alt
                continue
            element.set("width", match["width"])
            element.set("height", match["height"])
            element.set("loading", "lazy")
            element.set("decoding", "async")


class _OwnPictures(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_OwnPicturesOnly(md), "own_pictures", 0)


EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br", _NoRawHtml(), _OwnPictures()]


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


def _pipeline(source: str) -> str:
    """Everything that costs time: Markdown, the sanitiser and its link detection."""
    return _wrap_tables(_cleaner.clean(_render(source)))


def _pipeline_with_alarm(source: str, seconds: float) -> str:
    """In the main thread (gunicorn's sync workers, the task worker, commands,
    tests) a timer signal interrupts the work, also inside a regular expression
    (the `re` engine checks for signals while it matches)."""

    def on_alarm(signum, frame):
        raise _Alarm

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return _pipeline(source)
    except _Alarm as error:
        raise MarkupTooSlow("rendering took too long") from error
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# A thread cannot be interrupted: threaded servers (gunicorn's gthread workers,
# runserver, ASGI's thread pool) render in a worker process that is killed when
# it overruns, so a refused render stops using the CPU at once. Idle workers are
# kept for the next render (one per render running at the same time); each is
# `python -m netvaerk.markup`, which imports only this module and its libraries.
_START_SECONDS = 10.0
_idle_workers: list[subprocess.Popen] = []
_workers_lock = threading.Lock()
_pool_pid = os.getpid()
_HEADER = struct.Struct("!cI")


def _read_exact(stream, size: int, deadline: float) -> bytes:
    chunks, missing = [], size
    while missing:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([stream], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(stream.fileno(), missing)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _start_worker(*args: str) -> subprocess.Popen:
    project = str(Path(__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [project, os.environ.get("PYTHONPATH")])),
    }
    worker = subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
        [sys.executable, "-m", "netvaerk.markup", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        cwd=project,
    )
    if _read_exact(worker.stdout, 1, time.monotonic() + _START_SECONDS) != b"R":
        raise EOFError
    return worker


def _stop_worker(worker: subprocess.Popen) -> None:
    worker.kill()
    worker.wait()
    worker.stdin.close()
    worker.stdout.close()
    # Start its replacement now, so that the next render does not wait for it.
    threading.Thread(target=_add_idle_worker, name="markdown-worker-start", daemon=True).start()


def _add_idle_worker() -> None:
    try:
        worker = _start_worker()
    except (EOFError, OSError, TimeoutError):
        return
    with _workers_lock:
        _idle_workers.append(worker)


def _pipeline_in_worker(source: str, seconds: float) -> str:
    global _pool_pid
    with _workers_lock:
        if _pool_pid != os.getpid():  # forked (gunicorn --preload): not our workers
            _idle_workers.clear()
            _pool_pid = os.getpid()
        worker = _idle_workers.pop() if _idle_workers else None
    try:
        if worker is None or worker.poll() is not None:
            worker = _start_worker()
        data = source.encode()
        worker.stdin.write(struct.pack("!I", len(data)) + data)
        worker.stdin.flush()
        deadline = time.monotonic() + seconds
        kind, size = _HEADER.unpack(_read_exact(worker.stdout, _HEADER.size, deadline))
        payload = _read_exact(worker.stdout, size, deadline).decode()
    except TimeoutError as error:
        if worker is not None:
            _stop_worker(worker)
        raise MarkupTooSlow("rendering took too long") from error
    except (EOFError, OSError, struct.error) as error:
        if worker is not None:
            _stop_worker(worker)
        raise MarkupError("the render process failed") from error
    with _workers_lock:
        _idle_workers.append(worker)
    if kind == b"E":
        raise MarkupError(payload)
    return payload


def _serve() -> None:
    """The worker's loop: a length-prefixed source in, a length-prefixed answer out."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(b"R")
    stdout.flush()
    while header := stdin.read(4):
        (size,) = struct.unpack("!I", header)
        source = stdin.read(size).decode()
        try:
            kind, payload = b"H", _pipeline(source)
        except MarkupError as error:
            kind, payload = b"E", str(error)
        data = payload.encode()
        stdout.write(_HEADER.pack(kind, len(data)) + data)
        stdout.flush()


def _pipeline_in_time(source: str, seconds: float) -> str:
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _pipeline_with_alarm(source, seconds)
    return _pipeline_in_worker(source, seconds)


def _wrap_tables(html: str) -> str:
    """A table scrolls in its own box, so that a wide one does not make the
    page scroll sideways on a phone. Only the cleaner's output is touched: a
    bare `<table>` there comes from Markdown (raw HTML arrives escaped)."""
    return html.replace("<table>", '<div class="table-responsive"><table>').replace(
        "</table>", "</table></div>"
    )


# Plain text: no character that Markdown or HTML give a meaning, no line that
# could start a block (list, heading, quote, code, table, underline) or end in
# white space other than spaces, nothing the sanitiser would change (control
# characters, noncharacters). Markdown would only make paragraphs and line breaks of it.
_NOT_PLAIN = re.compile(
    r"[\\`*_\[\]<>&#|~\t\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef]"
    r"|[\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff"
    r"\U0004fffe\U0004ffff\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff"
    r"\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff"
    r"\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff"
    r"\U0010fffe\U0010ffff]"
    r"|^[^\S\n]|^[\-+=0-9]|[^\S\n ]$",
    re.MULTILINE,
)
_PARAGRAPHS = re.compile(r"\n{2,}")
# What every link the sanitiser finds contains ("name." and a top-level domain,
# all of which are letters): a quick test before its own costly expression.
_MAYBE_LINK = re.compile(r"[\w-]\.[a-z]", re.IGNORECASE)


def _plain_html(source: str) -> str | None:
    """What the pipeline makes of plain text (see `_NOT_PLAIN`) without a link
    in it, at a fraction of the cost; None for any other text. The output is
    the same as `_pipeline`'s (tests compare the two)."""
    text = source.strip("\n")
    if not text or _NOT_PLAIN.search(text):
        return None
    if _MAYBE_LINK.search(text) and URL_RE.search(text):
        return None
    return "\n".join(_plain_paragraph(p) for p in _PARAGRAPHS.split(text))


def _plain_paragraph(paragraph: str) -> str:
    """Each line break a <br> (nl2br); a line that ends in two spaces or more
    loses two of them there (Markdown's own hard break takes them); the
    paragraph's last line keeps its spaces."""
    lines = paragraph.split("\n")
    for i in range(len(lines) - 1):
        if lines[i].endswith("  "):
            lines[i] = lines[i][:-2]
    return "<p>" + "<br>\n".join(lines) + "</p>"


_reusable: list = []


def _render_reused(source: str) -> str:
    """As `_render`, with one Markdown instance kept for the process (half the
    cost of building one per text; for imports that render thousands)."""
    if not _reusable:
        _reusable.append(markdown.Markdown(extensions=EXTENSIONS, output_format="html"))
    md = _reusable[0]
    md.reset()
    try:
        return md.convert(source)
    except RecursionError as error:
        _reusable.clear()
        raise MarkupError("too deeply nested") from error


def render_markdown_many(sources: list[str]) -> list[str | None]:
    """Render many texts (imports): the HTML of each, or None for one that
    cannot be published (too long, too costly). Same output as `render_markdown`."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        results: list[str | None] = []
        for source in sources:
            try:
                results.append(render_markdown(source))
            except MarkupError:
                results.append(None)
        return results

    def on_alarm(signum, frame):
        raise _Alarm

    results = []
    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        for source in sources:
            source = clean_source(source)
            if len(source) > MAX_SOURCE_CHARS:
                results.append(None)
                continue
            html = _plain_html(source)
            if html is not None:
                results.append(html if len(html) <= MAX_HTML_CHARS else None)
                continue
            signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
            try:
                html = _wrap_tables(_cleaner.clean(_render_reused(source)))
            except (_Alarm, MarkupError):
                _reusable.clear()
                html = None
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            results.append(html if html is None or len(html) <= MAX_HTML_CHARS else None)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return results


class RenderPool:
    """`render_markdown_many` in worker processes, for imports: the caller
    sends a batch of texts and collects their HTML later, writing the previous
    batch meanwhile. Each worker is `python -m netvaerk.markup many` and runs
    the same code in its main thread (same output, same time limit per text);
    when a worker fails, its texts are rendered here instead."""

    def __init__(self, processes: int):
        self.processes = max(1, processes)
        self._workers: list[subprocess.Popen | None] = [None] * self.processes
        self._unread: list[tuple[int, list[str]]] = []  # (worker, texts) sent, answer not read
        # id of the texts → (the texts, kept so that the id stays theirs; their HTML)
        self._answers: dict[int, tuple[list[str], list[str | None]]] = {}

    def submit(self, sources: list[str]):
        """Start rendering; returns a function that waits for and returns
        what `render_markdown_many(sources)` would."""
        self._read_answers()  # a worker answers the previous batch before it reads this one
        size = max(1, -(-len(sources) // self.processes))
        chunks = [sources[i : i + size] for i in range(0, len(sources), size)]
        for index, chunk in enumerate(chunks):
            try:
                worker = self._workers[index]
                if worker is None or worker.poll() is not None:
                    worker = self._workers[index] = _start_worker("many")
                data = json.dumps(chunk).encode()
                worker.stdin.write(struct.pack("!I", len(data)) + data)
                worker.stdin.flush()
                self._unread.append((index, chunk))
            except (EOFError, OSError, TimeoutError):
                self._kill(index)

        def result() -> list[str | None]:
            self._read_answers()
            results: list[str | None] = []
            for chunk in chunks:
                _texts, answer = self._answers.pop(id(chunk), (chunk, None))
                results += render_markdown_many(chunk) if answer is None else answer
            return results

        return result

    def _read_answers(self) -> None:
        while self._unread:
            index, chunk = self._unread.pop(0)
            worker = self._workers[index]
            if worker is None:
                continue
            # Each text has RENDER_SECONDS (the worker stops it then): a worker
            # that takes much longer is stuck, and its texts are rendered here.
            deadline = time.monotonic() + _START_SECONDS + 2 * RENDER_SECONDS * len(chunk)
            try:
                (size,) = struct.unpack("!I", _read_exact(worker.stdout, 4, deadline))
                answer = json.loads(_read_exact(worker.stdout, size, deadline))
                if not isinstance(answer, list) or len(answer) != len(chunk):
                    raise ValueError
                self._answers[id(chunk)] = (chunk, answer)
            except (EOFError, OSError, TimeoutError, ValueError, struct.error):
                self._kill(index)

    def _kill(self, index: int) -> None:
        worker, self._workers[index] = self._workers[index], None
        if worker is not None:
            worker.kill()
            worker.wait()
            worker.stdin.close()
            worker.stdout.close()

    def close(self) -> None:
        for index in range(self.processes):
            self._kill(index)
        self._unread.clear()
        self._answers.clear()


def _serve_many() -> None:
    """The loop of a `RenderPool` worker: a length-prefixed JSON list of texts
    in, the JSON list of `render_markdown_many` of them out."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(b"R")
    stdout.flush()
    while header := stdin.read(4):
        (size,) = struct.unpack("!I", header)
        data = json.dumps(render_markdown_many(json.loads(stdin.read(size)))).encode()
        stdout.write(struct.pack("!I", len(data)) + data)
        stdout.flush()


def render_markdown(source: str) -> str:
    """Render Markdown to sanitised HTML. Raises MarkupError when it cannot."""
    source = clean_source(source)
    if len(source) > MAX_SOURCE_CHARS:
        raise MarkupError("source too long")
    html = _pipeline_in_time(source, RENDER_SECONDS)
    if len(html) > MAX_HTML_CHARS:
        raise MarkupError("rendered text too long")
    return html


if __name__ == "__main__":
    _serve_many() if sys.argv[1:] == ["many"] else _serve()
