"""Keeping the full-text index fast: merged segments (SQLite) and a prefix
expanded to the known words however many there are, finding what FTS5's own
prefix query finds."""

import pytest
from django.core.management import call_command
from django.db import connection

from forum import search, services
from forum.models import Access, SearchWord
from forum.search import index as search_index
from forum.search import query as search_query
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="FTS5 segments are SQLite's (PostgreSQL: GIN)"
)


def segments(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx")
        return cursor.fetchone()[0]


def ids(user, text: str) -> set[int]:
    found, _ = search.search_posts(user, text)
    return set(found)


@pytest.fixture
def threads():
    category = CategoryFactory(read_access=Access.MEMBERS)
    author = UserFactory()
    return [
        services.start_thread(
            category=category,
            author=author,
            title=f"Bogføring nummer {n}",
            kind="question",
            body=f"Spørgsmål {n} om bogføringsprogram og moms.",
        )
        for n in range(6)
    ]


@sqlite_only
def test_tidying_merges_the_segments_and_finds_the_same(member, threads):
    before = {text: ids(member, text) for text in ("bogføring", "moms ", "bogf", "nummer 3")}
    assert all(before.values())
    assert segments("forum_search") > 1  # one small segment per post written
    assert search_index.tidy_index() is True
    assert segments("forum_search") == 1
    assert segments("forum_search_heads") == 1
    assert {text: ids(member, text) for text in before} == before
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO forum_search (forum_search) VALUES ('integrity-check')")


@sqlite_only
def test_a_rebuild_and_the_nightly_cleanup_leave_one_segment(member, threads, capsys):
    search.rebuild_index(restart=True)
    assert segments("forum_search") == 1
    services.post_reply(thread=threads[0], author=UserFactory(), body="Også moms her.")
    assert segments("forum_search") > 1
    call_command("run_periodic", "cleanup")
    assert "Merged the search index's segments." in capsys.readouterr().out
    assert segments("forum_search") == 1


def test_tidying_is_nothing_to_do_on_postgresql():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite merges (test above)")
    assert search_index.tidy_index() is False


def test_a_prefix_with_many_known_words_finds_what_the_prefix_query_finds(member):
    """More words start with the prefix than the earlier limit of 64: all are
    matched as plain terms (SQLite), and exactly the posts with a word that
    starts with the prefix are found (PostgreSQL's own prefix match agrees)."""
    category = CategoryFactory(read_access=Access.MEMBERS)
    author = UserFactory()
    words = [f"kassebon{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(90)]
    expected = set()
    for n in range(0, 90, 3):
        thread = services.start_thread(
            category=category,
            author=author,
            title=f"Tråd {n}",
            kind="question",
            body=f"Her står {words[n]} {words[n + 1]} og {words[n + 2]}.",
        )
        expected.add(thread.posts.get().pk)
    services.start_thread(
        category=category, author=author, title="Andet", kind="question", body="Kassen stemmer."
    )
    assert SearchWord.objects.filter(word__startswith="kassebon").count() == 90
    parsed = search.parse_query("kassebon")
    stem = search_query.prefix_stem(parsed)
    vocabulary = search_index.vocabulary_for(set(), prefix=stem)
    expanded = search_query.expand_prefix(parsed, vocabulary)
    assert len(expanded.groups[0][0].expansions) > 64
    assert ids(member, "kassebon") == expected
    assert ids(member, "kassebonaa") == {min(expected)}


def test_the_filtered_and_the_unfiltered_paths_rank_alike(member):
    """An unfiltered search runs a written-out statement (PostgreSQL) or the
    candidates' statement with the thread check (SQLite); a category filter
    takes the other path. With every match in that category both must give
    the same posts in the same order, titles first, exclusions applied."""
    category = CategoryFactory(read_access=Access.MEMBERS)
    author = UserFactory()
    for n in range(8):
        thread = services.start_thread(
            category=category,
            author=author,
            title=f"Moms og regnskab {n}" if n % 2 else f"Spørgsmål {n}",
            kind="question",
            body=f"Om momsen nummer {n}." + (" Også løn." if n % 3 == 0 else ""),
        )
        services.post_reply(thread=thread, author=UserFactory(), body=f"Svar om moms {n}.")
    for text in ("moms", "moms ", "moms -løn", "regnskab OR løn", "mom"):
        plain, _ = search.search_posts(member, text)
        narrowed, _ = search.search_posts(
            member, text, search.SearchFilters(category=category.slug)
        )
        assert plain, text
        assert plain == narrowed, text
