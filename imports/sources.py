"""What every importer reads a source into: a stream of entries, one per post.

A format's reader (imports.formats) yields ``Entry`` objects in an order where
each thread's first post comes before its replies; ``parent_id`` names the
source id of any earlier post in the same thread (None: the entry starts a
thread). The writer (imports.services) needs nothing else."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _


class ImportInputError(ValueError):
    """The input cannot be imported at all (wrong format, empty, truncated,
    unsafe): the message is shown to the leader, nothing is written."""


@dataclass(frozen=True, slots=True)
class Author:
    key: str  # unique across sources: "email:a@b.dk", "slack:T1:U123", …
    name: str
    email: str = ""


@dataclass(slots=True)
class Entry:
    source_id: str
    author: Author
    created_at: datetime
    body: str  # Markdown
    parent_id: str | None = None
    title: str = ""
    tags: list[str] = field(default_factory=list)
    kind: str = "discussion"  # forum.models.ThreadKind value
    accepted: bool = False  # the accepted answer of its (question) thread
    language: str = ""
    category: str = ""  # Slack: the channel, a category of its own unless one is chosen


class Report:
    """What a reader tells the writer besides entries: skipped items, warnings,
    attachments, and how far it has read (for the progress page)."""

    def __init__(self):
        self.skipped: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []
        self.attachments: list[tuple[str, str]] = []
        self.bytes_done = 0
        self.bytes_total = 0

    def skip(self, source_id: str, reason) -> None:
        self.skipped.append((source_id, str(reason)))

    def warn(self, source_id: str, text) -> None:
        self.warnings.append((source_id, str(text)))

    def attachment(self, source_id: str, name: str) -> None:
        self.attachments.append((source_id, name))


NOT_FORMAT = _("The file is not a %(format)s file.")
EMPTY = _("The file is empty.")
