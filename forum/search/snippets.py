"""Highlighted snippets: ts_headline on PostgreSQL, a window in Python on SQLite."""

import html

from django.db import connection
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from forum.models import Post
from forum.search.query import (
    ParsedQuery,
    _tsquery,
)
from forum.search.text import (
    _SPACES,
    _WORD,
    stem,
)


def snippets(posts: list[Post], parsed: ParsedQuery) -> dict[int, str]:
    """Highlighted snippets for one page of hits: PostgreSQL's ts_headline (one
    query for the page), on SQLite a window around the first match in Python
    (FTS5's snippet() would show the stemmed text the index holds)."""
    if connection.vendor == "postgresql" and posts and not parsed.is_empty:
        return _headlines(posts, parsed)
    seen: dict[str, bool] = {}
    return {post.pk: snippet(post, parsed, seen=seen) for post in posts}


_START, _STOP = "\x02", "\x03"  # never in a post: control characters are stripped at write time
_HEADLINE_OPTIONS = f'StartSel="{_START}", StopSel="{_STOP}", MaxWords=35, MinWords=15, ShortWord=2'


# ts_headline reads the whole text it is given: the start of a long post is
# enough for a snippet (a match further on shows the post's first words).
HEADLINE_CHARS = 5000


def _headlines(posts: list[Post], parsed: ParsedQuery) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.id, ts_headline('danish', t.body, to_tsquery('danish', %s), %s) "
            "FROM unnest(%s::integer[], %s::text[]) AS t(id, body)",
            [
                _tsquery(parsed),
                _HEADLINE_OPTIONS,
                [post.pk for post in posts],
                [_plain(strip_tags(post.body_html))[:HEADLINE_CHARS] for post in posts],
            ],
        )
        rows = cursor.fetchall()
    return {pk: _marked(headline) for pk, headline in rows}


def _marked(headline: str):
    """Escape the headline's text and turn the selection markers into <mark>:
    split on the markers first, so no text can forge or unbalance a mark."""
    out = []
    for piece in headline.split(_START):
        inside, _, outside = piece.rpartition(_STOP)
        if inside:
            out.append(f"<mark>{escape(inside)}</mark>")
        out.append(escape(outside))
    return mark_safe("".join(out).strip())  # noqa: S308 - built from escaped parts


def _plain(text: str) -> str:
    return _SPACES.sub(" ", html.unescape(text))


def snippet(post: Post, parsed: ParsedQuery, *, width: int = 220, seen: dict | None = None):
    """A window of the post's text around the first match, matches in <mark>.
    `seen` caches the verdict per word across the posts of one page."""
    text = " ".join(html.unescape(strip_tags(post.body_html)).split())
    stems = parsed.highlight_stems()
    prefixes = {stem(t.words[-1]) for g in parsed.groups for t in g if t.prefix}
    seen = {} if seen is None else seen

    def is_match(word: str) -> bool:
        word = word.lower()
        if word not in seen:
            s = stem(word)
            seen[word] = s in stems or any(s.startswith(p) or word.startswith(p) for p in prefixes)
        return seen[word]

    first = next((m for m in _WORD.finditer(text) if is_match(m.group())), None)
    start = max(0, first.start() - width // 3) if first else 0
    window = text[start : start + width]
    out, last = [], 0
    for m in _WORD.finditer(window):
        if is_match(m.group()):
            out.append(escape(window[last : m.start()]))
            out.append(f"<mark>{escape(m.group())}</mark>")
            last = m.end()
    out.append(escape(window[last:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - built from escaped parts
