"""Read the Stack Exchange startups corpus (see ../shared/data/*/README.md).

Real entrepreneur Q&A text for the search parity tests and the benchmarks. It
is CC BY-SA 3.0 and is never shown on the site or put into the demo data.
"""

import gzip
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils.html import strip_tags

FILES = ("startups.jsonl.gz", "onstartups.jsonl.gz")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass
class Question:
    title: str
    tags: list[str]
    created: date
    bodies: list[str]  # the question, then its answers, as plain text paragraphs


def plain_text(body: str) -> str:
    """The site stored HTML (or Markdown): keep the words and paragraphs only."""
    text = html.unescape(strip_tags(body.replace("</p>", "</p>\n\n")))
    return _BLANK_LINES.sub("\n\n", text).strip()


def corpus_dir() -> Path | None:
    directory = Path(settings.NETVAERK_CORPUS_DIR)
    return directory if all((directory / name).is_file() for name in FILES) else None


def questions(limit: int | None = None, directory: Path | None = None) -> Iterator[Question]:
    """The corpus questions in file order (startups first), at most `limit`."""
    directory = directory or corpus_dir()
    if directory is None:
        return
    count = 0
    for name in FILES:
        with gzip.open(directory / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                bodies = [plain_text(record["body"])]
                bodies += [plain_text(answer["body"]) for answer in record.get("answers", [])]
                yield Question(
                    title=" ".join(record["title"].split())[:150],
                    tags=[t[:40] for t in record.get("tags", [])][:5],
                    created=date.fromisoformat(record["created"][:10]),
                    bodies=[b for b in bodies if b] or [record["title"]],
                )
                count += 1
                if limit is not None and count >= limit:
                    return
