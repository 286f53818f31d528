"""Time the Markdown pipeline on pathological texts at and just under the cap.

    manage.py markup_benchmark              # every case, in the main thread and in a thread
    manage.py markup_benchmark --cases 3    # the first three cases only

Each text is rendered as a sync worker does (main thread, timer signal) and as
a threaded server does (a worker process that is killed when it overruns).
Every text must render or be refused within the budget (netvaerk.markup
.RENDER_SECONDS) plus a margin for the machine; the command fails otherwise.
"""

import threading
import time

from django.core.management.base import BaseCommand, CommandError

from netvaerk.markup import MAX_SOURCE_CHARS, RENDER_SECONDS, MarkupError, render_markdown

MARGIN_SECONDS = 1.0  # the machine may be busy; a kill and a restart cost a little


def _fill(unit: str, size: int, tail: str = "") -> str:
    body = size - len(tail)
    return (unit * (body // len(unit) + 1))[:body] + tail


PATTERNS = {
    "open parentheses before a link": ("(", "http://x.example"),
    "open brackets": ("[", ""),
    "images": ("![", ""),
    "open links": ("[](", ""),
    "brackets and parentheses": ("[(", "http://x.example"),
    "spaces": (" ", "x"),
    "stars": ("*", ""),
    "underscores": ("_", ""),
    "backticks": ("`", ""),
    "quotes": (">", "x"),
    "nested lists": ("- ", "x"),
    "table pipes": ("|", "\n|-|"),
    "angle brackets": ("<", ""),
    "ampersands": ("&", ""),
    "domain-like words": ("a.b", ".com"),
    "addresses": ("http://", "x.dk"),
    "mail-like": ("a@", "b.dk"),
    "newlines": ("\n", "x"),
    "dots and dashes": (".-", "x.dk"),
    "link titles": ('[a](b "', ""),
}


def cases() -> list[tuple[str, str]]:
    result = []
    for name, (unit, tail) in PATTERNS.items():
        for size in (MAX_SOURCE_CHARS, MAX_SOURCE_CHARS - 1):
            result.append((f"{name} ({size:,})", _fill(unit, size, tail)))
    return result


def timed(source: str) -> tuple[str, float]:
    started = time.monotonic()
    try:
        render_markdown(source)
        outcome = "rendered"
    except MarkupError as error:
        outcome = f"refused ({error})"
    return outcome, time.monotonic() - started


def timed_in_thread(source: str) -> tuple[str, float]:
    result = {}
    thread = threading.Thread(target=lambda: result.update(value=timed(source)))
    thread.start()
    thread.join()
    return result["value"]


class Command(BaseCommand):
    help = "Time the Markdown pipeline on pathological texts at and just under the cap."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=0, help="Only the first N cases.")

    def handle(self, *args, **options):
        selected = cases()
        if options["cases"]:
            selected = selected[: options["cases"]]
        timed_in_thread("warm up")  # the first render off the main thread starts a worker
        limit = RENDER_SECONDS + MARGIN_SECONDS
        slow = []
        self.stdout.write(f"{'case':45} {'main thread':>24} {'thread':>24}")
        for name, source in selected:
            main_outcome, main_seconds = timed(source)
            thread_outcome, thread_seconds = timed_in_thread(source)
            self.stdout.write(
                f"{name:45} {main_seconds:6.3f}s {main_outcome[:16]:>16} "
                f"{thread_seconds:6.3f}s {thread_outcome[:16]:>16}"
            )
            if max(main_seconds, thread_seconds) > limit:
                slow.append(name)
        if slow:
            raise CommandError(f"Over {limit:.1f} s: {', '.join(slow)}")
        self.stdout.write(f"Every case rendered or was refused within {limit:.1f} s.")
