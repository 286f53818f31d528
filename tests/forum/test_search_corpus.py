"""Parity on real text: the Stack Exchange startups corpus (../shared/data,
CC BY-SA 3.0; never shown on the site). The same queries run on SQLite and on
PostgreSQL in CI and must find exactly the posts a plain Python reference
finds on the indexed words, and put an exact title first."""

import re
from datetime import UTC, datetime, time

import pytest
from django.utils.html import escape
from django.utils.text import slugify

from forum import corpus, search
from forum.models import Access, Post, Tag, Thread
from tests.factories import CategoryFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        corpus.corpus_dir() is None, reason="the startups corpus is not in ../shared/data"
    ),
]

QUESTIONS = 150


@pytest.fixture
def startups():
    """150 real questions with their answers, indexed by a full rebuild."""
    category = CategoryFactory(read_access=Access.MEMBERS)
    author = UserFactory()
    tags: dict[str, Tag] = {}
    for question in corpus.questions(limit=QUESTIONS):
        created = datetime.combine(question.created, time(12), tzinfo=UTC)
        thread = Thread.objects.create(
            category=category,
            title=question.title,
            slug=slugify(question.title)[:160] or "t",
            author=author,
            last_poster=author,
            created_at=created,
            last_posted_at=created,
            reply_count=len(question.bodies) - 1,
        )
        for name in dict.fromkeys(question.tags):
            if name not in tags:
                tags[name] = Tag.objects.create(name=name, slug=slugify(name)[:50])
            thread.tags.add(tags[name])
        Post.objects.bulk_create(
            Post(
                thread=thread,
                number=number,
                author=author,
                body=body,
                body_html="".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n")),
                created_at=created,
            )
            for number, body in enumerate(question.bodies, start=1)
        )
    search.rebuild_index(restart=True)
    return category


def reference(text: str) -> set[int]:
    """The posts whose indexed words satisfy the query, found in plain Python."""
    parsed = search.parse_query(text)
    # A compound in the query also matches its parts (split as the indexer does).
    words = {t.words[0] for group in parsed.groups for t in group if not t.is_phrase}
    parsed = search.split_compounds(parsed, search.split_words(words))
    from forum.models import SearchWord
    from forum.search.index import _index_row

    vocabulary = set(SearchWord.objects.values_list("word", flat=True))
    found = set()
    for post in Post.objects.select_related("thread").prefetch_related("thread__tags"):
        _, title, tags, body = _index_row(post, vocabulary)
        fields = [search.stemmed_text(field).split() for field in (title, tags, body)]

        def matches(term: search.Term, fields=fields) -> bool:
            stems = [search.stem(w) for w in term.words]
            for words in fields:
                for i in range(len(words) - len(stems) + 1):
                    window = words[i : i + len(stems)]
                    if window[:-1] == stems[:-1] and (
                        window[-1].startswith(stems[-1]) if term.prefix else window[-1] == stems[-1]
                    ):
                        return True
            return False

        if all(any(matches(t) for t in group) for group in parsed.groups) and not any(
            matches(t) for t in parsed.excluded
        ):
            found.add(post.pk)
    return found


QUERIES = [
    "business ",
    "equity ",
    "investors ",
    "trademark ",
    "founder equity ",
    "pricing OR marketing ",
    "cofounder -equity ",
    '"business plan"',
    '"angel investors"',
    "invest",
    "incorpora",
    "customers OR users -free ",
]


def test_both_backends_find_what_the_reference_finds(member, startups):
    for query in QUERIES:
        ids, _ = search.search_posts(member, query)
        expected = reference(query)
        assert expected, f"{query!r} should find something in the corpus"
        assert set(ids) == expected, query


def test_an_exact_title_comes_first(member, startups):
    titles = list(Thread.objects.filter(category=startups).values_list("pk", "title"))
    checked = 0
    for pk, title in titles[::10]:
        words = [w for w in search.words_of(title) if w not in search.STOP_WORDS]
        same = [t for _, t in titles if re.sub(r"\W+", " ", t.lower()) == " ".join(words)]
        if len(words) < 4 or len(same) > 1:
            continue
        ids, _ = search.search_posts(member, f'"{" ".join(words)}"')
        assert ids, title
        assert Post.objects.get(pk=ids[0]).thread_id == pk, title
        checked += 1
    assert checked >= 5
