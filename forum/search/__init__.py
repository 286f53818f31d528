"""Search the collective memory: one entry point (`search_posts`), two backends.

PostgreSQL: a weighted tsvector per post (`danish` config; title A, tags B,
body C) with a GIN index. SQLite: an FTS5 table holding the same text,
Danish-stemmed in Python with PyStemmer (Snowball, the same stemmer as
PostgreSQL's `danish` configuration), ranked with bm25 and column weights.
Both are kept in step with the posts in the same transaction (`index_post`).

Query syntax, as people type it: several words (all must match), "exact
phrase", -exclude, OR between words, and a prefix match on the last word.
"""

from forum.search.index import (
    COMPOUND_MIN_LENGTH,
    MAX_WORD_LENGTH,
    PART_MIN_LENGTH,
    compound_parts,
    index_post,
    index_posts,
    rebuild_index,
    record_vocabulary,
    remove_post,
    remove_posts,
    split_words,
    vocabulary_for,
)
from forum.search.query import (
    ParsedQuery,
    SearchFilters,
    Term,
    _fts5_expression,
    expand_synonyms,
    parse_query,
    split_compounds,
)
from forum.search.ranking import (
    RANK_WEIGHTS,
    flush_failed_searches,
    posts_for_page,
    record_failed_search,
    search_posts,
    similar_threads,
)
from forum.search.snippets import (
    snippet,
    snippets,
)
from forum.search.text import (
    MAX_CANDIDATES,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    STOP_WORDS,
    stem,
    stemmed_text,
    topic_stems,
    words_of,
)

__all__ = [
    "COMPOUND_MIN_LENGTH",
    "MAX_CANDIDATES",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "MAX_WORD_LENGTH",
    "PART_MIN_LENGTH",
    "RANK_WEIGHTS",
    "STOP_WORDS",
    "ParsedQuery",
    "SearchFilters",
    "Term",
    "_fts5_expression",
    "compound_parts",
    "expand_synonyms",
    "flush_failed_searches",
    "index_post",
    "index_posts",
    "parse_query",
    "posts_for_page",
    "rebuild_index",
    "record_failed_search",
    "record_vocabulary",
    "remove_post",
    "remove_posts",
    "search_posts",
    "similar_threads",
    "snippet",
    "snippets",
    "split_compounds",
    "split_words",
    "stem",
    "stemmed_text",
    "topic_stems",
    "vocabulary_for",
    "words_of",
]
