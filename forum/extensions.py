"""The forum's sockets: where higher apps (moderation, needs, duties, ...) plug
into forum pages and services without the forum importing them.

Each higher app registers from its ``AppConfig.ready()``; registering the same
name again replaces the item, ``unregister(name)`` removes it. The kinds are
explained in ``netvaerk.extensions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from netvaerk.extensions import Gate, Hook, PanelSocket

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from forum.models import Draft, Post, Thread


@dataclass(frozen=True)
class PostAction:
    """One link in a post's footer: forum/_post.html renders it as a small
    button (``btn btn-sm`` plus ``css_class``) showing ``label``, followed by
    ``suffix`` for screen readers only (after a dash), like the forum's own.
    Computed from the loaded post; ``url`` is ready to use (with any query)."""

    label: str | Promise
    url: str
    css_class: str = "btn-outline-secondary"
    suffix: str = ""  # for screen readers: whose post the link acts on


@dataclass(frozen=True)
class Outcome:
    """What became of a submitted thread or reply: ``published`` is the new
    Thread (submit_thread) or Post (submit_reply), or None when it is ``held``
    (e.g. waiting for a moderator) or refused as a ``duplicate``; ``message``
    tells the member (translated)."""

    published: Thread | Post | None
    held: bool
    message: str
    # Refused as a repeat of the member's own text just published in the same
    # place; the text was kept as a draft (``draft``).
    duplicate: bool = False
    draft: Draft | None = None


# --- The forum index -----------------------------------------------------------

index_aside = PanelSocket(
    "forum.index_aside",
    """Boxes in the side column of the forum's front page (/forum/).

    Context function: ``context(*, request) -> dict | None`` (None: nothing to
    show). At most one query. The side column is left out when no panel shows.""",
)


# --- The thread page -----------------------------------------------------------

thread_tools = PanelSocket(
    "forum.thread_tools",
    """Toolbars above a thread's posts (below its title and notices), e.g. the
    moderators' pin/lock/move/merge/split/hide/delete links.

    Context function: ``context(*, request, thread) -> dict | None``; ``thread``
    is the page's Thread with its category, author and lock holder loaded.
    At most one query.""",
)

thread_panels = PanelSocket(
    "forum.thread_panels",
    """Boxes below a thread's posts and pagination, above the reply form, e.g.
    needs' "A meetup about this?" and the member's replies awaiting approval.

    Context function: ``context(*, request, thread) -> dict | None``, as for
    ``thread_tools``. At most one query.""",
)

thread_page_annotations = Hook(
    "forum.thread_page_annotations",
    """What a panel needs to know about the thread, loaded in the page's one
    query for the thread (so a panel with nothing to show runs no query).

    Called once per thread page as ``receiver(*, user) -> dict`` of
    ``{name: expression}`` annotations on the Thread queryset (``OuterRef("pk")``
    is the thread); the panel's context function reads ``thread.<name>``
    (absent when the thread was loaded elsewhere: then query as before). Names
    start with the app's name (``needs_signal_count``). ``user`` may be
    anonymous.""",
)

post_actions = Hook(
    "forum.post_actions",
    """Links in each post's footer on the thread page, after the forum's own
    (Thanks, Quote, Edit, Bookmark) and before "Mark as accepted answer".

    Called once per shown post as ``receiver(*, user, post)``; ``post.thread``
    is set (with its category id) and ``post.author`` loaded. Must return a
    list of ``PostAction`` (empty for none) and run no query: it is called for
    every post on the page.""",
)


# --- Publishing ----------------------------------------------------------------

publishing_gate = Gate(
    "forum.publishing_gate",
    """Asked by ``forum.services.submit_thread`` and ``submit_reply`` inside
    their transaction, before a member's new thread or reply is published.

    Check: ``check(*, author, body, body_html, submission_key, thread, category,
    kind, title, tags) -> Outcome | None``. For a reply ``thread`` is set and
    ``category``/``kind``/``title``/``tags`` are None; for a new thread
    ``thread`` is None. Return None to let it be published, or hold it yourself
    (e.g. queue it for approval) and return ``Outcome(published=None,
    held=True, message=...)``. The first non-None answer wins. Posts that are
    published on a moderator's approval do not pass the gate again.""",
)


# --- Moments in forum services -------------------------------------------------

post_edited_by_moderator = Hook(
    "forum.post_edited_by_moderator",
    """Called by ``forum.services.edit_post_as_moderator`` inside its
    transaction after a moderator edited someone else's post (with a reason),
    as ``receiver(*, post, moderator, reason)``; ``post`` is the edited Post with
    its thread loaded. Return value ignored.""",
)


# --- Search and similar threads --------------------------------------------------

search_panels = PanelSocket(
    "forum.search_panels",
    """Boxes above the search results (/forum/soeg/), e.g. viden's knowledge
    cards that match the search.

    Context function: ``context(*, request, text) -> dict | None``; ``text`` is
    the searched text (never empty). At most two queries.""",
)

similar_panels = PanelSocket(
    "forum.similar_panels",
    """Boxes beside the "similar threads" list under a new thread's title (the
    live htmx list and the preview), e.g. viden's knowledge cards on the topic.

    Context function: ``context(*, request, title) -> dict | None``; ``title`` is
    what the member typed (may be empty). At most two queries.""",
)

thread_started = Hook(
    "forum.thread_started",
    """Called by ``forum.services.start_thread`` inside its transaction after a
    thread and its first post were created (published), as ``receiver(*,
    thread, post)``; ``thread.category`` is loaded. E.g. letters mails a new
    thread in an "always mailed" category to every member. Return value ignored.""",
)
