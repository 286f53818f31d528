"""Finding and ranking: the one entry point search_posts, similar threads, failed searches."""

import math
from dataclasses import astuple
from datetime import UTC, datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone

from forum.models import FailedSearch, Post
from forum.models.content import SEARCH_COLUMNS
from forum.models.search import synonym_groups
from forum.permissions import thread_access_shape, visible_threads
from forum.search.index import split_words, vocabulary_for
from forum.search.query import (
    ParsedQuery,
    SearchFilters,
    _fts5_expression,
    _post_filters,
    _threads,
    _tsquery,
    expand_prefix,
    expand_synonyms,
    parse_query,
    prefix_stem,
    split_compounds,
)
from forum.search.text import (
    MAX_CANDIDATES,
    STOP_WORDS,
    words_of,
)
from netvaerk import counters
from netvaerk.prepared import Prepared


def search_posts(user, text: str, filters: SearchFilters | None = None):
    """Matching posts the user may read, best first: a list of Post ids (ranked)
    and the parsed query. Callers paginate with `posts_for_page`."""
    filters = filters or SearchFilters()
    parsed = parse_query(text)
    if not parsed.is_empty:
        words = {t.words[0] for group in parsed.groups for t in group if not t.is_phrase}
        # On SQLite the prefix term is expanded against the same vocabulary query.
        prefix = prefix_stem(parsed) if connection.vendor == "sqlite" else ""
        vocabulary = vocabulary_for(words, prefix=prefix)
        parsed = split_compounds(parsed, split_words(words, vocabulary))
        if prefix:
            parsed = expand_prefix(parsed, vocabulary)
        parsed = expand_synonyms(parsed, synonym_groups())
    if parsed.is_empty:
        return [], parsed
    if connection.vendor == "postgresql":
        return _rank(_postgres_candidates(user, parsed, filters), user, filters), parsed
    if filters.author or filters.date_from or filters.date_to:
        return _rank(_sqlite_candidates(parsed), user, filters), parsed
    # The candidates with what ranking needs, the permission check done in the
    # same statement (filters of the post itself take the path above).
    allowed = _VISIBLE_THREAD.correlated_sql(user, 1, filters, columns={1: "p.thread_id"})
    if allowed is None:  # no thread could be shown
        return [], parsed
    checked = _sqlite_candidates(parsed, allowed_threads=allowed)
    return _rank(checked, user, filters, checked=True), parsed


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
    # One query for both sets (a PostgreSQL UNION ALL keeps each one's limit).
    return list(recent.union(heads, all=True))


# What ranking needs of a candidate, fetched with it on PostgreSQL.
# (The threads' accepted answers come with the permission check: joining the
# threads here made PostgreSQL hash the whole thread table.)
_RANK_FIELDS = ("pk", "rank", "created_at", "thread_id")


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


def _visible_thread(user, thread_id, filters: SearchFilters):
    return _threads(user, filters).filter(pk=thread_id).values("pk")


# Whether a reader may see hits in a thread, as a subquery checked per hit by
# the thread's key (netvaerk.prepared; the thread id becomes p.thread_id).
_VISIBLE_THREAD = Prepared(
    _visible_thread, lambda user, thread_id, filters: (thread_access_shape(user), astuple(filters))
)


def _sqlite_candidates(parsed: ParsedQuery, *, allowed_threads=None):
    """Two cheap candidate sets instead of ranking every match: the best title
    and tag matches (ranked among the threads' first posts only, in their own
    small table forum_search_heads) and the newest body matches, so a common
    word costs about as much as a rare one. (pk, score) rows; with
    `allowed_threads` (the SQL and params of a subquery that finds the thread
    p.thread_id if the reader may see it) only posts in such threads, as
    (pk, score, created_at, thread_id, accepted answer of the thread) rows."""
    expression = _fts5_expression(parsed)
    if parsed.excluded:
        # An excluded word anywhere in the post rules it out: the whole table.
        heads_table = "forum_search"
        heads_expression = _fts5_expression(parsed, columns="title tags")
        heads_rank = "bm25(forum_search, 10.0, 5.0, 1.0)"
    else:
        heads_table = "forum_search_heads"
        heads_expression = _fts5_expression(parsed, expanded=False)
        heads_rank = "bm25(forum_search_heads, 10.0, 5.0)"
    rank = "bm25(forum_search, 10.0, 5.0, 1.0)"
    # One statement for both sets (each its own subquery, so each keeps its
    # ORDER BY and LIMIT; for the newest, FTS5 walks the index in rowid order
    # and stops at the limit).
    sql = (
        f"SELECT rowid, score FROM (SELECT rowid, -{heads_rank} AS score "  # noqa: S608
        f"FROM {heads_table} WHERE {heads_table} MATCH %s ORDER BY {heads_rank} LIMIT %s) "
        f"UNION ALL SELECT rowid, score FROM (SELECT rowid, -{rank} AS score "
        "FROM forum_search WHERE forum_search MATCH %s ORDER BY rowid DESC LIMIT %s)"
    )
    params = [heads_expression, MAX_CANDIDATES, expression, MAX_CANDIDATES]
    if allowed_threads is not None:
        threads_sql, threads_params = allowed_threads
        # The matches first (materialised: else SQLite repeats the thread
        # check inside each half of the UNION), then their posts and threads.
        sql = (
            f"WITH c (rowid, score) AS MATERIALIZED ({sql}) "  # noqa: S608
            "SELECT c.rowid, c.score, p.created_at, p.thread_id, t.accepted_post_id "
            "FROM c JOIN forum_post AS p ON p.id = c.rowid "
            "JOIN forum_thread AS t ON t.id = p.thread_id "
            f"WHERE EXISTS ({threads_sql})"
        )
        params += list(threads_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if allowed_threads is None:
        return rows
    return [(pk, score, _utc(created), *rest) for pk, score, created, *rest in rows]


def _utc(stored) -> datetime:
    """A datetime as SQLite returns it to plain SQL (text, in UTC)."""
    if isinstance(stored, datetime):
        return stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


def _rank(candidates, user, filters: SearchFilters, *, checked: bool = False) -> list[int]:
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
    if checked:  # permissions checked and ranking fields fetched with the match
        rows = list(fetched.values())
    elif fetched:  # narrowing filters were applied in SQL with the text match
        allowed = dict(
            _ALLOWED_THREADS.list(user, _padded({row[2] for row in fetched.values()}), filters)
        )
        rows = [(*row, allowed[row[2]]) for row in fetched.values() if row[2] in allowed]
    else:
        # One query: each candidate's thread is checked by its key (no scan).
        rows = _CANDIDATE_ROWS.list(user, _padded(base), filters)
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


def _allowed_threads(user, thread_ids, filters: SearchFilters):
    # PostgreSQL: the ids as one array value (a thousand placeholders cost
    # psycopg more to prepare than the query costs to run).
    ids = (
        RawSQL("SELECT unnest(%s::bigint[])", (thread_ids,))
        if connection.vendor == "postgresql"
        else thread_ids
    )
    return _threads(user, filters).filter(pk__in=ids).values_list("pk", "accepted_post_id")


def _candidate_rows(user, post_ids, filters: SearchFilters):
    allowed = _threads(user, filters).filter(pk=OuterRef("thread_id"))
    return (
        _post_filters(Post.objects.filter(pk__in=post_ids), filters)
        .filter(Exists(allowed))
        .values_list("pk", "created_at", "thread_id", "thread__accepted_post_id")
    )


def _search_shape(user, ids, filters: SearchFilters) -> tuple:
    return (thread_access_shape(user), len(ids), astuple(filters))


# Built once per kind of reader, number of candidates (padded, see `_padded`)
# and filters (netvaerk.prepared): for a thousand ids Django's building and
# compiling cost more than the query.
_ALLOWED_THREADS = Prepared(_allowed_threads, _search_shape)
_CANDIDATE_ROWS = Prepared(_candidate_rows, _search_shape)
_PAD_SIZES = (25, 100, 250, 500, 1000, 2000)


def _padded(ids) -> list[int]:
    """`ids` (distinct) filled up with -1, -2, … (never ids; distinct, as Django
    drops repeated values from IN) to the next of a few lengths, so that few
    statements serve every search."""
    ids = list(ids)
    size = next((n for n in _PAD_SIZES if n >= len(ids)), len(ids))
    return ids + [-n for n in range(1, size - len(ids) + 1)]


def posts_for_page(ids: list[int]):
    """The posts of one result page, in the given order, with what a hit shows."""
    by_id = {post.pk: post for post in _PAGE_POSTS.list(list(dict.fromkeys(ids)))}
    return [by_id[pk] for pk in ids if pk in by_id]


def _page_posts(ids):
    return (
        Post.objects.select_related("thread", "thread__category", "author")
        .defer(*SEARCH_COLUMNS)
        .filter(pk__in=ids)
    )


_PAGE_POSTS = Prepared(_page_posts, lambda ids: len(ids), model=Post)


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


FAILED_SEARCHES = "failed_searches"


def record_failed_search(text: str) -> None:
    """Count a search that found nothing (the words only, not who searched):
    in the counters cache, written by ``flush_failed_searches`` (no write on a GET)."""
    key = " ".join(words_of(text))[:200]
    if key:
        counters.bump(FAILED_SEARCHES, key)


@transaction.atomic
def _add_failed_searches(counts: dict) -> None:
    now = timezone.now()
    for key, count in counts.items():
        updated = FailedSearch.objects.filter(text=key).update(
            count=F("count") + count, last_searched_at=now
        )
        if not updated:
            try:
                with transaction.atomic():
                    FailedSearch.objects.create(text=key, count=count, last_searched_at=now)
            except IntegrityError:
                FailedSearch.objects.filter(text=key).update(count=F("count") + count)


def flush_failed_searches(*, include_current: bool = False) -> int:
    """Write the gathered failed searches (run_periodic counters)."""
    return counters.flush(FAILED_SEARCHES, _add_failed_searches, include_current=include_current)
