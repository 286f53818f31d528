"""Search the collective memory: one entry point (`search_posts`), two backends.

PostgreSQL: a weighted tsvector per post (`danish` config; title A, tags B,
body C) with a GIN index. SQLite: an FTS5 table holding the same text,
Danish-stemmed in Python with PyStemmer (Snowball, the same stemmer as
PostgreSQL's `danish` configuration), ranked with bm25 and column weights.
Both are kept in step with the posts in the same transaction (`index_post`).

Query syntax, as people type it: several words (all must match), "exact
phrase", -exclude, OR between words, and a prefix match on the last word.
"""

import html
import math
import re
import threading
from dataclasses import dataclass, field
from datetime import date

import Stemmer
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from forum.models import FailedSearch, Post, SearchRebuild, SearchSynonym, SearchWord
from forum.permissions import visible_threads

MAX_QUERY_CHARS = 300
MAX_TERMS = 10
MAX_CANDIDATES = 500  # best text matches considered before permissions and filters
_TOKEN = re.compile(r'"[^"]*"?|\S+')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")

# Snowball's Danish stop words (PostgreSQL's `danish` configuration drops the same).
STOP_WORDS = frozenset(
    [
        "og",
        "i",
        "jeg",
        "det",
        "at",
        "en",
        "den",
        "til",
        "er",
        "som",
        "på",
        "de",
        "med",
        "han",
        "af",
        "for",
        "ikke",
        "der",
        "var",
        "mig",
        "sig",
        "men",
        "et",
        "har",
        "om",
        "vi",
        "min",
        "havde",
        "ham",
        "hun",
        "nu",
        "over",
        "da",
        "fra",
        "du",
        "ud",
        "sin",
        "dem",
        "os",
        "op",
        "man",
        "hans",
        "hvor",
        "eller",
        "hvad",
        "skal",
        "selv",
        "her",
        "alle",
        "vil",
        "blev",
        "kunne",
        "ind",
        "når",
        "være",
        "dog",
        "noget",
        "ville",
        "jo",
        "deres",
        "efter",
        "ned",
        "skulle",
        "denne",
        "end",
        "dette",
        "mit",
        "også",
        "under",
        "have",
        "dig",
        "anden",
        "hende",
        "mine",
        "alt",
        "meget",
        "sit",
        "sine",
        "vor",
        "mod",
        "disse",
        "hvis",
        "din",
        "nogle",
        "hos",
        "blive",
        "mange",
        "ad",
        "bliver",
        "hendes",
        "været",
        "thi",
        "jer",
        "sådan",
    ]
)

_local = threading.local()


def stem(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("danish")
    return stemmer.stemWord(word.lower())


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def stemmed_text(text: str) -> str:
    """What the SQLite index holds: stems of the words that are not stop words."""
    return " ".join(stem(w) for w in words_of(text) if w not in STOP_WORDS)


# --- Query parsing ---------------------------------------------------------------


@dataclass
class Term:
    words: list[str]
    prefix: bool = False

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
    text = text.replace("\x00", " ")[:MAX_QUERY_CHARS]
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


# --- Indexing ----------------------------------------------------------------------


def _document(post: Post) -> tuple[str, str, str]:
    thread = post.thread
    title = thread.title if post.number == 1 else ""
    tags = " ".join(t.name for t in thread.tags.all()) if post.number == 1 else ""
    body = html.unescape(strip_tags(post.body_html))
    return title, tags, body


COMPOUND_MIN_LENGTH = 8
PART_MIN_LENGTH = 3
MAX_WORD_LENGTH = 60


def compound_parts(words: set[str], vocabulary: set[str]) -> list[str]:
    """Split Danish compounds into two known words: momsregistrering → moms,
    registrering (also with a linking s or e: virksomhedsskat → virksomhed, skat)."""
    parts: list[str] = []
    for word in words:
        if len(word) < COMPOUND_MIN_LENGTH:
            continue
        for i in range(PART_MIN_LENGTH, len(word) - PART_MIN_LENGTH):
            left, right = word[:i], word[i:]
            bases = [left] + [left[:-1] for link in "se" if left.endswith(link)]
            base = next((b for b in bases if len(b) >= PART_MIN_LENGTH and b in vocabulary), None)
            if base and right in vocabulary:
                parts += [base, right]
                break
    return parts


def record_vocabulary(text: str) -> set[str]:
    """Add the text's words to the vocabulary that compounds split against."""
    words = {w for w in words_of(text) if len(w) <= MAX_WORD_LENGTH and w not in STOP_WORDS}
    SearchWord.objects.bulk_create((SearchWord(word=w) for w in words), ignore_conflicts=True)
    return words


def _compound_text(text: str, vocabulary: set[str] | None = None) -> str:
    """The compound parts found in the text. Without a vocabulary (one post
    saved): record the text's words and look the candidate parts up."""
    if vocabulary is None:
        words = record_vocabulary(text)
    else:
        words = {w for w in words_of(text) if len(w) <= MAX_WORD_LENGTH and w not in STOP_WORDS}
    long_words = {w for w in words if len(w) >= COMPOUND_MIN_LENGTH}
    if not long_words:
        return ""
    if vocabulary is None:
        candidates = {w[:i] for w in long_words for i in range(PART_MIN_LENGTH, len(w))}
        candidates |= {w[i:] for w in long_words for i in range(PART_MIN_LENGTH, len(w))}
        vocabulary = set(
            SearchWord.objects.filter(word__in=candidates).values_list("word", flat=True)
        )
    return " ".join(compound_parts(long_words, vocabulary))


def _index_row(post: Post, vocabulary: set[str] | None = None) -> tuple[int, str, str, str]:
    title, tags, body = _document(post)
    return post.pk, title, tags, f"{body} {_compound_text(f'{title} {tags} {body}', vocabulary)}"


def _write_index(rows: list[tuple[int, str, str, str]]) -> None:
    """Store the rows (post id, title, tags, body) in the index: one statement
    per batch on PostgreSQL, a delete and an insert per post on SQLite."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE forum_post AS p SET search_vector = "
                "setweight(to_tsvector('danish'::regconfig, v.title), 'A') || "
                "setweight(to_tsvector('danish'::regconfig, v.tags), 'B') || "
                "setweight(to_tsvector('danish'::regconfig, v.body), 'C'), "
                "head_vector = CASE WHEN v.title = '' AND v.tags = '' THEN NULL ELSE "
                "setweight(to_tsvector('danish'::regconfig, v.title), 'A') || "
                "setweight(to_tsvector('danish'::regconfig, v.tags), 'B') END "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) "
                "AS v(id, title, tags, body) WHERE p.id = v.id",
                [
                    [row[0] for row in rows],
                    *([_plain_words(row[i]) for row in rows] for i in (1, 2, 3)),
                ],
            )
        elif connection.vendor == "sqlite":
            cursor.executemany(
                "DELETE FROM forum_search WHERE rowid = %s", [(row[0],) for row in rows]
            )
            cursor.executemany(
                "INSERT INTO forum_search (rowid, title, tags, body) VALUES (%s, %s, %s, %s)",
                [
                    (pk, stemmed_text(title), stemmed_text(tags), stemmed_text(body))
                    for pk, title, tags, body in rows
                ],
            )


def _plain_words(text: str) -> str:
    """The text as PostgreSQL should see it: the words split exactly as for
    SQLite, stop words left out (so phrase positions agree with FTS5's), and
    nothing its parser would read as a URL, host or hyphenated word."""
    return " ".join(w for w in words_of(text) if w not in STOP_WORDS)


def index_post(post: Post) -> None:
    """(Re)index one post; call inside the transaction that changed it."""
    _write_index([_index_row(post)])


def remove_post(post_id: int) -> None:
    remove_posts([post_id])


def remove_posts(post_ids: list[int]) -> None:
    """Take posts out of the index (hidden, deleted); inside the transaction."""
    if not post_ids:
        return
    if connection.vendor == "postgresql":
        Post.objects.filter(pk__in=post_ids).update(search_vector=None, head_vector=None)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM forum_search WHERE rowid = %s", [(pk,) for pk in post_ids]
            )


def index_posts(post_ids: list[int]) -> None:
    """(Re)index the published ones of these posts (shown again, moved, merged,
    split: a first post gains or loses the thread's title and tags)."""
    posts = list(
        Post.objects.filter(pk__in=post_ids, state="published", thread__state="published")
        .select_related("thread")
        .prefetch_related("thread__tags")
    )
    _write_index([_index_row(post) for post in posts])
    remove_posts(sorted(set(post_ids) - {post.pk for post in posts}))


# --- Searching --------------------------------------------------------------------


def _fts5_expression(parsed: ParsedQuery, *, columns: str = "") -> str:
    """An FTS5 query; `columns` ("title tags") limits the positive terms to those."""

    def term(t: Term) -> str:
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


def search_posts(user, text: str, filters: SearchFilters | None = None):
    """Matching posts the user may read, best first: a list of Post ids (ranked)
    and the parsed query. Callers paginate with `posts_for_page`."""
    filters = filters or SearchFilters()
    parsed = parse_query(text)
    if not parsed.is_empty:
        synonyms = [s.term_list for s in SearchSynonym.objects.all()]
        parsed = expand_synonyms(parsed, synonyms)
    if parsed.is_empty:
        return [], parsed
    if connection.vendor == "postgresql":
        candidates = _postgres_candidates(user, parsed, filters)
    else:
        candidates = _sqlite_candidates(parsed)
    return _rank(candidates, user, filters), parsed


def _postgres_candidates(user, parsed: ParsedQuery, filters: SearchFilters):
    """As on SQLite, two cheap candidate sets instead of ranking every match:
    the best title and tag matches (their own small vector and GIN index) and
    the newest matches. Narrowing filters are applied in SQL first."""
    posts = Post.objects.all()
    if _narrowing(filters):
        posts = _post_filters(posts.filter(thread__in=_threads(user, filters)), filters)
    query = SearchQuery(_tsquery(parsed), search_type="raw", config="danish")
    head_matches = posts.filter(head_vector=query)
    if parsed.excluded:
        # An excluded word in the body still rules the post out. (Without
        # exclusions a title match is a match of the whole post, and reading
        # the big body vectors of every title match would cost.)
        head_matches = head_matches.filter(search_vector=query)
    heads = (
        head_matches.annotate(rank=SearchRank(F("head_vector"), query, weights=RANK_WEIGHTS))
        .order_by("-rank", "-pk")
        .values_list(*_RANK_FIELDS)[:MAX_CANDIDATES]
    )
    # Rank and join only the newest matches, not every match before the limit.
    newest = posts.filter(search_vector=query).order_by("-pk").values("pk")[:MAX_CANDIDATES]
    recent = (
        Post.objects.filter(pk__in=newest)
        .annotate(rank=SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS))
        .values_list(*_RANK_FIELDS)
    )
    return [*recent, *heads]


# What ranking needs of a candidate, fetched with it on PostgreSQL.
_RANK_FIELDS = ("pk", "rank", "created_at", "thread_id", "thread__accepted_post_id")


RANK_WEIGHTS = [0.1, 0.2, 0.5, 1.0]  # D, C (body), B (tags), A (title)


def _narrowing(filters: SearchFilters) -> bool:
    return bool(
        filters.category
        or filters.tag
        or filters.author
        or filters.date_from
        or filters.date_to
        or filters.status
    )


def _sqlite_candidates(parsed: ParsedQuery):
    """Two cheap candidate sets instead of ranking every match: the best title
    and tag matches (few: one first post per thread) and the newest body
    matches, so a common word costs about as much as a rare one."""
    expression = _fts5_expression(parsed)
    heads_expression = _fts5_expression(parsed, columns="title tags")
    rank = "bm25(forum_search, 10.0, 5.0, 1.0)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -{rank} FROM forum_search WHERE forum_search MATCH %s "  # noqa: S608
            f"ORDER BY {rank} LIMIT %s",
            [heads_expression, MAX_CANDIDATES],
        )
        heads = cursor.fetchall()
        # FTS5 walks the index in rowid order and stops at the limit.
        cursor.execute(
            f"SELECT rowid, -{rank} FROM forum_search WHERE forum_search MATCH %s "  # noqa: S608
            "ORDER BY rowid DESC LIMIT %s",
            [expression, MAX_CANDIDATES],
        )
        recent = cursor.fetchall()
    return [*recent, *heads]


def _rank(candidates, user, filters: SearchFilters) -> list[int]:
    """Apply permissions and filters to the text matches, then order them:
    text relevance, boosted for accepted answers, solved threads and recency.
    Candidates are (pk, score) pairs, or come with the ranking fields already
    (PostgreSQL). The queries are driven by primary keys (no category scans)."""
    base: dict[int, float] = {}
    fetched: dict[int, tuple] = {}
    for pk, score, *fields in candidates:
        base[pk] = max(float(score), base.get(pk, float("-inf")))
        if fields:
            fetched[pk] = (pk, *fields)
    if fetched:  # narrowing filters were applied in SQL with the text match
        rows = list(fetched.values())
    else:
        rows = list(
            _post_filters(Post.objects.filter(pk__in=list(base)), filters).values_list(
                "pk", "created_at", "thread_id", "thread__accepted_post_id"
            )
        )
    allowed_threads = set(
        _threads(user, filters).filter(pk__in={row[2] for row in rows}).values_list("pk", flat=True)
    )
    rows = [row for row in rows if row[2] in allowed_threads]
    now = timezone.now()
    scored = []
    for pk, created_at, thread_id, accepted_id in rows:
        score = float(base[pk])
        if accepted_id == pk:
            score *= 1.5
        elif accepted_id is not None:
            score *= 1.15
        age_days = max((now - created_at).days, 0)
        score *= 1 + 0.25 * math.exp(-age_days / 180)
        scored.append((score, created_at, pk, thread_id))
    if filters.sort == "newest":
        scored.sort(key=lambda row: (row[1], row[2]), reverse=True)
    else:
        scored.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
    if filters.unit == "threads":
        seen: set[int] = set()
        scored = [row for row in scored if not (row[3] in seen or seen.add(row[3]))]
    return [row[2] for row in scored]


def posts_for_page(ids: list[int]):
    """The posts of one result page, in the given order, with what a hit shows."""
    by_id = Post.objects.select_related("thread", "thread__category", "author").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


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


def _headlines(posts: list[Post], parsed: ParsedQuery) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.id, ts_headline('danish', t.body, to_tsquery('danish', %s), %s) "
            "FROM unnest(%s::integer[], %s::text[]) AS t(id, body)",
            [
                _tsquery(parsed),
                _HEADLINE_OPTIONS,
                [post.pk for post in posts],
                [_plain(strip_tags(post.body_html)) for post in posts],
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


def rebuild_index(*, batch_size: int = 1000, progress=None, restart: bool = False) -> int:
    """Reindex every post (imports, recovery) and return how many were indexed.
    Restartable: an interrupted rebuild carries on from its last batch (unless
    `restart`). Searching keeps working meanwhile: rows are replaced, not dropped."""
    state = SearchRebuild.objects.filter(finished_at=None).first()
    if state is None or restart:
        SearchRebuild.objects.filter(finished_at=None).delete()
        state = SearchRebuild.objects.create()
    posts = Post.objects.select_related("thread").prefetch_related("thread__tags").order_by("pk")
    total = Post.objects.count()
    # The vocabulary first, so that compounds split against every word.
    if not state.vocabulary_done:
        for batch in _batches(posts, 0, batch_size):
            words: set[str] = set()
            for post in batch:
                words |= set(words_of(" ".join(_document(post))))
            SearchWord.objects.bulk_create(
                (
                    SearchWord(word=w)
                    for w in words
                    if len(w) <= MAX_WORD_LENGTH and w not in STOP_WORDS
                ),
                ignore_conflicts=True,
                batch_size=5000,
            )
        SearchRebuild.objects.filter(pk=state.pk).update(vocabulary_done=True)
    vocabulary = set(SearchWord.objects.values_list("word", flat=True))
    done = Post.objects.filter(pk__lte=state.last_post_id).count()
    for batch in _batches(posts, state.last_post_id, batch_size):
        with transaction.atomic():
            _write_index([_index_row(post, vocabulary) for post in batch])
            SearchRebuild.objects.filter(pk=state.pk).update(last_post_id=batch[-1].pk)
        done += len(batch)
        if progress:
            progress(done, total)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # rows of posts that no longer exist
            cursor.execute(
                "DELETE FROM forum_search WHERE rowid NOT IN (SELECT id FROM forum_post)"
            )
        elif connection.vendor == "postgresql":
            # The planner needs the new vectors' statistics, the GIN indexes their
            # pending entries merged, and the rewritten rows' old versions go.
            # (VACUUM cannot run inside a transaction, as in the tests.)
            vacuum = "" if connection.in_atomic_block else "VACUUM "
            cursor.execute(f"{vacuum}ANALYZE forum_post")
    SearchRebuild.objects.filter(pk=state.pk).update(finished_at=timezone.now())
    if progress and not total:
        progress(0, 0)
    return done


def _batches(posts, after_pk: int, size: int):
    while batch := list(posts.filter(pk__gt=after_pk)[:size]):
        yield batch
        after_pk = batch[-1].pk


def similar_threads(user, title: str, *, limit: int = 5):
    """Threads that match any word of `title` (best matches first), via search."""
    words = [w for w in words_of(title) if w not in STOP_WORDS and len(w) > 2][:8]
    if not words:
        return []
    ids, _ = search_posts(user, " OR ".join(words))
    thread_ids: list[int] = []
    by_post = dict(Post.objects.filter(pk__in=ids[:200]).values_list("pk", "thread_id"))
    for pk in ids[:200]:
        thread_id = by_post.get(pk)
        if thread_id is not None and thread_id not in thread_ids:
            thread_ids.append(thread_id)
        if len(thread_ids) == limit:
            break
    threads = visible_threads(user).select_related("category").in_bulk(thread_ids)
    return [threads[pk] for pk in thread_ids if pk in threads]


def record_failed_search(text: str) -> None:
    """Count a search that found nothing (the words only, not who searched)."""
    key = " ".join(words_of(text))[:200]
    if not key:
        return
    updated = FailedSearch.objects.filter(text=key).update(
        count=F("count") + 1, last_searched_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                FailedSearch.objects.create(text=key)
        except IntegrityError:
            FailedSearch.objects.filter(text=key).update(count=F("count") + 1)
