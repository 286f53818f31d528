"""Keeping the index in step with the posts, and rebuilding it."""

import html
import re

from django.db import connection, transaction
from django.db.models import IntegerField, Q, Value
from django.utils import timezone
from django.utils.html import strip_tags

from forum.models import Post, SearchRebuild, SearchWord, memos
from forum.search.text import (
    STOP_WORDS,
    stemmed_words,
    words_of,
)

# --- Indexing ----------------------------------------------------------------------


def _document(post: Post) -> tuple[str, str, str]:
    thread = post.thread
    title = thread.title if post.number == 1 else ""
    tags = " ".join(t.name for t in thread.tags.all()) if post.number == 1 else ""
    body = html.unescape(strip_tags(post.body_html))
    if post.pk == thread.accepted_post_id and thread.outcome_html:
        # The asker's outcome note is found with the answer it closes.
        body = f"{body} {html.unescape(strip_tags(thread.outcome_html))}"
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
            right = word[i:]
            if right not in vocabulary:  # (the cheap test first)
                continue
            left = word[:i]
            bases = [left] + [left[:-1] for link in "se" if left.endswith(link)]
            base = next((b for b in bases if len(b) >= PART_MIN_LENGTH and b in vocabulary), None)
            if base and right in vocabulary:
                parts += [base, right]
                break
    return parts


def vocabulary_for(words: set[str], *, prefix: str = "") -> set[str]:
    """The known words among the possible parts of `words`, and those that
    start with `prefix` (one query). When the synonyms and categories kept
    in the process are due (forum.models.memos), the same query reads them:
    a search then costs one query for all."""
    long_words = {w for w in words if COMPOUND_MIN_LENGTH <= len(w) <= MAX_WORD_LENGTH}
    if not long_words and not prefix:
        return set()
    candidates = {w[:i] for w in long_words for i in range(PART_MIN_LENGTH, len(w))}
    candidates |= {w[i:] for w in long_words for i in range(PART_MIN_LENGTH, len(w))}
    found = Q(word__in=candidates)
    if prefix:  # a range, so the index on word serves it
        found |= Q(word__gte=prefix, word__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))
    number = IntegerField()
    rows = (
        SearchWord.objects.filter(found)
        .order_by()
        .values_list(Value("w"), "word", Value(""), Value(""), Value(0, output_field=number))
    )
    if memos.due():
        rows = rows.union(*memos.row_querysets(), all=True)
        rows = list(rows)
        memos.remember(rows)
    return {text for kind, text, *_rest in rows if kind == "w"}


def split_words(words: set[str], vocabulary: set[str] | None = None) -> dict[str, list[str]]:
    """Each compound among `words` with its two parts, split against the index
    vocabulary as the indexer does: {"momsregistrering": ["moms", "registrering"]}."""
    if vocabulary is None:
        vocabulary = vocabulary_for(words)
    if not vocabulary:
        return {}
    found = {}
    for word in words:
        parts = compound_parts({word}, vocabulary)
        if parts:
            found[word] = parts
    return found


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
    _write_index_words(
        [(pk, words_of(title), words_of(tags), words_of(body)) for pk, title, tags, body in rows]
    )


def _write_index_words(rows: list[tuple[int, list[str], list[str], list[str]]]) -> None:
    """As `_write_index`, with each text already split by `words_of`."""
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
                    *([_plain(row[i]) for row in rows] for i in (1, 2, 3)),
                ],
            )
        elif connection.vendor == "sqlite":
            ids = [(row[0],) for row in rows]
            cursor.executemany("DELETE FROM forum_search WHERE rowid = %s", ids)
            cursor.executemany("DELETE FROM forum_search_heads WHERE rowid = %s", ids)
            stemmed = [
                (pk, stemmed_words(title), stemmed_words(tags), stemmed_words(body))
                for pk, title, tags, body in rows
            ]
            cursor.executemany(
                "INSERT INTO forum_search (rowid, title, tags, body) VALUES (%s, %s, %s, %s)",
                stemmed,
            )
            # First posts' titles and tags once more, alone (ranking the best
            # title matches among threads only: forum.search.ranking).
            cursor.executemany(
                "INSERT INTO forum_search_heads (rowid, title, tags) VALUES (%s, %s, %s)",
                [(pk, title, tags) for pk, title, tags, _body in stemmed if title or tags],
            )


def _plain_words(text: str) -> str:
    """The text as PostgreSQL should see it: the words split exactly as for
    SQLite, stop words left out (so phrase positions agree with FTS5's), and
    nothing its parser would read as a URL, host or hyphenated word."""
    return _plain(words_of(text))


def _plain(words: list[str]) -> str:
    return " ".join(w for w in words if w not in STOP_WORDS)


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
            ids = [(pk,) for pk in post_ids]
            cursor.executemany("DELETE FROM forum_search WHERE rowid = %s", ids)
            cursor.executemany("DELETE FROM forum_search_heads WHERE rowid = %s", ids)


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
            for table in ("forum_search", "forum_search_heads"):
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid NOT IN (SELECT id FROM forum_post)"  # noqa: S608
                )
        elif connection.vendor == "postgresql":
            # The planner needs the new vectors' statistics, the GIN indexes their
            # pending entries merged, and the rewritten rows' old versions go.
            # (VACUUM cannot run inside a transaction, as in the tests.)
            vacuum = "" if connection.in_atomic_block else "VACUUM "
            cursor.execute(f"{vacuum}ANALYZE forum_post")
    tidy_index()
    SearchRebuild.objects.filter(pk=state.pk).update(finished_at=timezone.now())
    if progress and not total:
        progress(0, 0)
    return done


def tidy_index() -> bool:
    """SQLite: merge each full-text table's segments into one (FTS5's
    'optimize'). Every write adds a small segment and FTS5 merges them only now
    and then, so a term is looked up in each of some dozens of segments: at
    200,000 posts a prefix expanded to 100 words cost 14 ms before merging and
    4 ms after (merging took 2.3 s). Run after a rebuild or an import and
    nightly (`run_periodic cleanup`). PostgreSQL's GIN indexes merge their
    pending entries in (auto)vacuum: nothing to do there."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        for table in ("forum_search", "forum_search_heads"):
            cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608
    return True


def _batches(posts, after_pk: int, size: int):
    while batch := list(posts.filter(pk__gt=after_pk)[:size]):
        yield batch
        after_pk = batch[-1].pk


_TAG = re.compile(r"<[^>]*>")
_NOT_A_TAG = re.compile(r"<(?![a-z/])")


def _html_text(body_html: str) -> str:
    """The text of sanitised HTML, as `html.unescape(strip_tags(...))`. When no
    tag has an attribute (no '="') and every "<" opens a tag, strip_tags would
    keep exactly what lies between the tags: a regular expression does that faster."""
    if '="' in body_html or _NOT_A_TAG.search(body_html):
        return html.unescape(strip_tags(body_html))
    return html.unescape(_TAG.sub("", body_html))


def index_documents(documents: list[tuple[int, str, str, str]], vocabulary: set[str]) -> None:
    """Index new posts from their (id, title, tags, body HTML) in one go, as
    `index_post` would (imports): their words join `vocabulary` (the caller's
    copy of the stored vocabulary) and the stored vocabulary first."""
    # Each text is split into words once (words_of of "title tags body" is the
    # words of the three in turn), and the rows are written from those words.
    split = []
    words: set[str] = set()
    for pk, title, tags, body_html in documents:
        parts = (words_of(title), words_of(tags), words_of(_html_text(body_html)))
        known = {
            w for part in parts for w in part if len(w) <= MAX_WORD_LENGTH and w not in STOP_WORDS
        }
        split.append((pk, parts, known))
        words |= known
    new = words - vocabulary
    if new:  # (a plain statement: a fraction of bulk_create's time for thousands of words)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "INSERT INTO forum_searchword (word) SELECT unnest(%s::text[]) "
                    "ON CONFLICT DO NOTHING",
                    [sorted(new)],
                )
            else:
                cursor.executemany(
                    "INSERT INTO forum_searchword (word) VALUES (%s) ON CONFLICT DO NOTHING",
                    [(w,) for w in new],
                )
    vocabulary |= new
    rows = []
    parts_of: dict[str, list[str]] = {}  # each long word split once per call
    for pk, (title, tags, body), known in split:
        long_words = {w for w in known if len(w) >= COMPOUND_MIN_LENGTH}
        if long_words:  # the body is indexed as f"{body} {compound parts}"
            for word in long_words:
                if word not in parts_of:
                    parts_of[word] = compound_parts({word}, vocabulary)
            body = body + words_of(" ".join(p for w in long_words for p in parts_of[w]))
        rows.append((pk, title, tags, body))
    _write_index_words(rows)
