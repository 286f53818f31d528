"""Finding and ranking: the one entry point search_posts, similar threads, failed searches."""

import math
from dataclasses import astuple
from datetime import UTC

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Exists, F, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone

from forum.models import FailedSearch, Post
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
    now = timezone.now()
    checked = _sqlite_candidates(parsed, allowed_threads=allowed, now=now)
    return _rank(checked, user, filters, checked=True, now=now), parsed


def _postgres_candidates(user, parsed: ParsedQuery, filters: SearchFilters):
    """As on SQLite, two cheap candidate sets instead of ranking every match:
    the best title and tag matches (their own small vector and GIN index) and
    the newest matches. Narrowing filters are applied in SQL first."""
    if not _narrowing(filters):
        return _postgres_text_candidates(_tsquery(parsed), excluded=bool(parsed.excluded))
    posts = _post_filters(Post.objects.filter(thread__in=_threads(user, filters)), filters)
    query = SearchQuery(_tsquery(parsed), search_type="raw", config="danish")
    head_matches = posts.filter(head_vector=query)
    if parsed.excluded:
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


# Both candidate sets of an unfiltered search in one statement, written out:
# the same query as the ORM's above, without building and compiling it for
# every search. The newest matches are limited before they are ranked (ranking
# reads each post's vector again), the title matches ranked among themselves.
_TSQUERY = "to_tsquery('danish'::regconfig, %s)"
_PG_CANDIDATES = (
    "(SELECT p.id, ts_rank(%s::float4[], p.search_vector, {q}), p.created_at, p.thread_id "
    "FROM forum_post AS p WHERE p.id IN (SELECT n.id FROM forum_post AS n "
    "WHERE n.search_vector @@ {q} ORDER BY n.id DESC LIMIT %s)) "
    "UNION ALL "
    "(SELECT h.id, ts_rank(%s::float4[], h.head_vector, {q}) AS rank, h.created_at, h.thread_id "
    "FROM forum_post AS h WHERE h.head_vector @@ {q}{excluded} "
    "ORDER BY rank DESC, h.id DESC LIMIT %s)"
)


def _postgres_text_candidates(tsquery: str, *, excluded: bool) -> list[tuple]:
    """(pk, rank, created_at, thread_id) rows of both sets. An excluded word
    in the body still rules a title match out (without exclusions a title
    match is a match of the whole post, and reading the big body vectors of
    every title match would cost)."""
    sql = _PG_CANDIDATES.format(
        q=_TSQUERY, excluded=f" AND h.search_vector @@ {_TSQUERY}" if excluded else ""
    )
    # In the order of their %s: the newest set's rank weights and query, its
    # match and limit; the title set's weights and query, its match (and the
    # exclusion), its limit.
    params = [RANK_WEIGHTS, tsquery, tsquery, MAX_CANDIDATES, RANK_WEIGHTS, tsquery, tsquery]
    if excluded:
        params.append(tsquery)
    params.append(MAX_CANDIDATES)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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


def _sqlite_candidates(parsed: ParsedQuery, *, allowed_threads=None, now=None):
    """Two cheap candidate sets instead of ranking every match: the best title
    and tag matches (ranked among the threads' first posts only, in their own
    small table forum_search_heads) and the newest body matches, so a common
    word costs about as much as a rare one. (pk, score) rows; with
    `allowed_threads` (the SQL and params of a subquery that finds the thread
    p.thread_id if the reader may see it) only posts in such threads, as
    (pk, score, created_at as text, age in days at `now`, thread_id, accepted
    answer of the thread) rows."""
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
        # The creation time as its stored text (UTC, sorts as the time does;
        # a thousand rows made into datetimes cost more than the query) and
        # the post's age in whole days, counted from `now`.
        sql = (
            f"WITH c (rowid, score) AS MATERIALIZED ({sql}) "  # noqa: S608
            "SELECT c.rowid, c.score, p.created_at || '', "
            "CAST(julianday(%s) - julianday(p.created_at) AS INTEGER), "
            "p.thread_id, t.accepted_post_id "
            "FROM c JOIN forum_post AS p ON p.id = c.rowid "
            "JOIN forum_thread AS t ON t.id = p.thread_id "
            f"WHERE EXISTS ({threads_sql})"
        )
        params += [now.astimezone(UTC).replace(tzinfo=None).isoformat(" "), *threads_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rank(
    candidates, user, filters: SearchFilters, *, checked: bool = False, now=None
) -> list[int]:
    """Apply permissions and filters to the text matches, then order them:
    text relevance, boosted for accepted answers, solved threads and recency.
    Candidates are (pk, score) pairs, or come with the ranking fields already
    (PostgreSQL), or `checked`: permissions checked and each row with its
    creation time (as sortable text) and age in days (SQLite). The queries are
    driven by primary keys (no category scans)."""
    now = now or timezone.now()
    base: dict[int, float] = {}
    fetched: dict[int, tuple] = {}
    for pk, score, *fields in candidates:
        score = float(score)
        if pk not in base or score > base[pk]:
            base[pk] = score
        if fields:
            fetched[pk] = (pk, *fields)
    if checked:  # (pk, created, age in days, thread, accepted) already
        rows = fetched.values()
    else:
        if fetched:  # narrowing filters were applied in SQL with the text match
            allowed = dict(
                _ALLOWED_THREADS.list(user, _padded({row[2] for row in fetched.values()}), filters)
            )
            found = [(*row, allowed[row[2]]) for row in fetched.values() if row[2] in allowed]
        else:
            # One query: each candidate's thread is checked by its key (no scan).
            found = _CANDIDATE_ROWS.list(user, _padded(base), filters)
        rows = [
            (pk, created_at, (now - created_at).days, thread_id, accepted_id)
            for pk, created_at, thread_id, accepted_id in found
        ]
    scored = []
    for pk, created_at, age_days, thread_id, accepted_id in rows:
        score = base[pk]
        if accepted_id == pk:
            score *= 1.5
        elif accepted_id is not None:
            score *= 1.15
        score *= 1 + 0.25 * math.exp(-max(age_days, 0) / 180)
        scored.append((score, created_at, pk, thread_id))
    if filters.sort == "newest":
        scored.sort(key=lambda row: (row[1], row[2]), reverse=True)
    else:
        scored.sort(reverse=True)  # score, then creation time, then id
    if filters.unit == "threads":
        seen: set[int] = set()
        scored = [row for row in scored if not (row[3] in seen or seen.add(row[3]))]
    return [row[2] for row in scored]


def _allowed_threads(user, thread_ids, filters: SearchFilters):
    # PostgreSQL: the ids as one array value (a thousand placeholders cost
    # psycopg more to prepare than the query costs to run).
    threads = _threads(user, filters)
    if connection.vendor == "postgresql":
        # `= ANY(array)`: an index scan of the threads' keys (an IN over
        # unnest() made the planner hash the whole thread table).
        threads = threads.filter(
            RawSQL('"forum_thread"."id" = ANY(%s::bigint[])', (thread_ids,), BooleanField())
        )
    else:
        threads = threads.filter(pk__in=thread_ids)
    return threads.values_list("pk", "accepted_post_id")


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


# What a hit shows and its snippet reads (forum/fragments.py `_hit_parts`,
# templates/forum/_search_hit.html): twenty whole posts with their threads,
# categories and authors cost more to make into objects than to read.
HIT_FIELDS = (
    "version",
    "state",
    "language",
    "created_at",
    "body_html",
    "thread__title",
    "thread__slug",
    "thread__language",
    "thread__accepted_post_id",
    "thread__reply_count",
    "thread__category__name",
    "thread__category__slug",
    "author__display_name",
    "author__language",
)


def _page_posts(ids):
    return (
        Post.objects.select_related("thread", "thread__category", "author")
        .only(*HIT_FIELDS)
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
