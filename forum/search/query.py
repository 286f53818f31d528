"""Parsing what people type, filters, synonyms, and the backends' query strings."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from forum.permissions import visible_threads
from forum.search.text import (
    _TOKEN,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    STOP_WORDS,
    stem,
    words_of,
)

# --- Query parsing ---------------------------------------------------------------


@dataclass
class Term:
    words: list[str]
    prefix: bool = False
    # A prefix term's stems in the index, when known (`expand_prefix`): FTS5
    # then matches them as plain terms, which it can read newest first and stop,
    # instead of merging every matching word's list up front.
    expansions: list[str] = field(default_factory=list)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class ParsedQuery:
    groups: list[list[Term]] = field(default_factory=list)  # AND of OR-groups
    excluded: list[Term] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def highlight_stems(self) -> set[str]:
        return {stem(w) for group in self.groups for term in group for w in term.words}


def parse_query(text: str) -> ParsedQuery:
    """Web-search style: words, "phrases", -exclude, OR; prefix on the last word."""
    text = unicodedata.normalize("NFC", text.replace("\x00", " "))[:MAX_QUERY_CHARS]
    parsed = ParsedQuery()
    join_next = False
    count = 0
    for token in _TOKEN.findall(text):
        if token == "OR":
            join_next = bool(parsed.groups)
            continue
        negative = token.startswith("-") and len(token) > 1
        body = token[1:] if negative else token
        words = [w for w in words_of(body) if w not in STOP_WORDS][:8]
        if not words or count >= MAX_TERMS:
            join_next = False
            continue
        count += 1
        term = Term(words=words)
        if negative:
            parsed.excluded.append(term)
        elif join_next:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        join_next = False
    if parsed.groups and text and not text[-1].isspace() and not text.endswith('"'):
        last = parsed.groups[-1][-1]
        if not last.is_phrase:
            last.prefix = True
    return parsed


def _fts5_expression(parsed: ParsedQuery, *, columns: str = "", expanded: bool = True) -> str:
    """An FTS5 query; `columns` ("title tags") limits the positive terms to those;
    `expanded=False` leaves a prefix to FTS5 (cheaper in a small table)."""

    def term(t: Term) -> str:
        if t.prefix and t.expansions and expanded:
            return "(" + " OR ".join(f'"{s}"' for s in t.expansions) + ")"
        stems = " ".join(stem(w) for w in t.words)
        return f'"{stems}"' + ("*" if t.prefix else "")

    expression = " AND ".join(
        "(" + " OR ".join(term(t) for t in group) + ")" for group in parsed.groups
    )
    if columns:
        expression = f"({{{columns}}} : ({expression}))"
    for t in parsed.excluded:
        expression += f" NOT {term(t)}"
    return expression


def _tsquery(parsed: ParsedQuery) -> str:
    def term(t: Term) -> str:
        parts = [f"'{w}'" + (":*" if t.prefix else "") for w in t.words]
        text = " <-> ".join(parts)
        return f"({text})" if t.is_phrase else text

    query = " & ".join("(" + " | ".join(term(t) for t in g) + ")" for g in parsed.groups)
    for t in parsed.excluded:
        query += f" & !{term(t)}"
    return query


@dataclass
class SearchFilters:
    category: str = ""
    tag: str = ""
    author: str = ""  # a member's @handle
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""  # "", "questions", "solved", "unsolved", "unanswered"
    unit: str = "posts"  # or "threads": the best post of each thread
    sort: str = "relevance"  # or "newest"

    @property
    def narrows(self) -> bool:
        """Whether a filter leaves out posts the words alone would find."""
        return bool(
            self.category
            or self.tag
            or self.author
            or self.date_from
            or self.date_to
            or self.status
        )


def _threads(user, filters: SearchFilters):
    """The threads whose posts may appear: visibility, category, tag, status."""
    threads = visible_threads(user)
    if filters.category:
        threads = threads.filter(category__slug=filters.category)
    if filters.tag:
        threads = threads.filter(tags__slug=filters.tag)
    if filters.status == "questions":
        threads = threads.questions()
    elif filters.status == "solved":
        threads = threads.solved()
    elif filters.status == "unsolved":
        threads = threads.unsolved()
    elif filters.status == "unanswered":
        threads = threads.unanswered()
    return threads


def _post_filters(posts, filters: SearchFilters):
    if filters.author:
        posts = posts.filter(author__handle=filters.author)
    if filters.date_from:
        posts = posts.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        posts = posts.filter(created_at__date__lte=filters.date_to)
    return posts


# A prefix is expanded from this many letters of its stem, into at most so many
# stems. (Measured at 200,000 posts, index merged: 306 stems cost FTS5 9 ms as
# plain terms and 41 ms as its own prefix query; 50 to 100 stems 2 to 3 ms against 9 to 15.)
EXPAND_PREFIX_FROM = 4
EXPAND_PREFIX_MAX = 400


def prefix_stem(parsed: ParsedQuery) -> str:
    """The stem of the query's prefix term ("" for none or a short one)."""
    for group in parsed.groups:
        for term in group:
            if term.prefix and not term.is_phrase:
                found = stem(term.words[0])
                return found if len(found) >= EXPAND_PREFIX_FROM else ""
    return ""


def expand_prefix(parsed: ParsedQuery, vocabulary: set[str]) -> ParsedQuery:
    """Give the prefix term the stems of the known words that start with it
    (`vocabulary` holds them all: forum.search.index.vocabulary_for). A stem is
    the start of its word, so these are all the index terms FTS5's prefix
    query would find. Too many, or none: FTS5 does the prefix itself."""
    prefix = prefix_stem(parsed)
    if not prefix:
        return parsed
    stems = sorted({stem(w) for w in vocabulary if w.startswith(prefix)} | {prefix})
    stems = [s for s in stems if s.startswith(prefix)]
    if len(stems) > EXPAND_PREFIX_MAX:
        return parsed
    for group in parsed.groups:
        for term in group:
            if term.prefix and not term.is_phrase:
                term.expansions = stems
    return parsed


def split_compounds(parsed: ParsedQuery, splits: dict[str, list[str]]) -> ParsedQuery:
    """Let a compound word also match its parts, as the indexer splits it:
    `momsregistrering` finds a post that says "registrering" (the whole word
    still ranks first). `splits` comes from `forum.search.index.split_words`."""
    for or_group in parsed.groups:
        extra = []
        for term in or_group:
            if term.is_phrase:
                continue
            for part in splits.get(term.words[0], []):
                if part not in STOP_WORDS and all(t.words != [part] for t in or_group + extra):
                    extra.append(Term(words=[part]))
        or_group.extend(extra)
    return parsed


def expand_synonyms(parsed: ParsedQuery, groups: list[list[str]]) -> ParsedQuery:
    """Let a word also match its synonyms (compared by stem, so "momsen" counts)."""
    by_stem: dict[str, list[Term]] = {}
    for group in groups:
        terms = [Term(words=words_of(t)) for t in group if words_of(t)]
        for term in terms:
            if not term.is_phrase:
                by_stem.setdefault(stem(term.words[0]), []).extend(terms)
    for or_group in parsed.groups:
        extra = []
        for term in or_group:
            if term.is_phrase:
                continue
            for synonym in by_stem.get(stem(term.words[0]), []):
                if synonym.words != term.words and synonym not in or_group + extra:
                    extra.append(Term(words=list(synonym.words)))
        or_group.extend(extra)
    return parsed
