"""What pages read of rarely changed tables, kept a minute per process: the
synonym groups (search, relay, digests) and the categories' names (the
filters of search and lists). Both are read in one query when due, and that
query can ride along with another (forum.search.index.vocabulary_for), so a
search page pays no query of its own for them. A change applies at once in
the process that made it and within MEMO_SECONDS in the others.
"""

import time

from django.db.models import IntegerField, Value

MEMO_SECONDS = 60
_memo: dict = {"loaded_at": 0.0, "synonyms": None, "categories": None}


def due() -> bool:
    """Whether the next read runs the query."""
    loaded = _memo["synonyms"] is not None
    return not loaded or time.monotonic() - _memo["loaded_at"] > MEMO_SECONDS


def rows_query():
    """One statement for both, as (kind, text, name, read_access, position) rows."""
    categories, synonyms = row_querysets()
    return categories.union(synonyms, all=True)


def row_querysets() -> list:
    """The querysets of `rows_query`, to unite with another query of the same
    columns (``other.union(*row_querysets(), all=True)``: one flat UNION)."""
    from forum.models.content import Category
    from forum.models.search import SearchSynonym

    number = IntegerField()
    categories = Category.objects.order_by().values_list(
        Value("c"), "slug", "name", "read_access", "position"
    )
    synonyms = SearchSynonym.objects.order_by().values_list(
        Value("s"), "terms", Value(""), Value(""), Value(0, output_field=number)
    )
    return [categories, synonyms]


def remember(rows) -> None:
    """Keep what `rows_query` returned (other kinds of rows are skipped)."""
    from forum.models.search import split_terms

    categories, synonyms = [], []
    for kind, text, name, read_access, position in rows:
        if kind == "c":
            categories.append((position, name, text, read_access))
        elif kind == "s":
            synonyms.append(text)
    _memo["categories"] = [(slug, name, access) for _p, name, slug, access in sorted(categories)]
    _memo["synonyms"] = [split_terms(text) for text in sorted(synonyms)]
    _memo["loaded_at"] = time.monotonic()


def _load() -> None:
    if due():
        remember(rows_query())


def synonym_groups() -> list[list[str]]:
    """Every synonym group's words."""
    _load()
    return _memo["synonyms"]


def category_choices(levels) -> list[tuple[str, str]]:
    """(slug, name) of the categories readable at `levels`, in order."""
    _load()
    levels = set(levels)
    return [(slug, name) for slug, name, access in _memo["categories"] if access in levels]


def forget() -> None:
    _memo["synonyms"] = _memo["categories"] = None
