"""netvaerk.prepared: a query built and compiled once per shape gives what the
ordinary queryset gives, and check mode catches a shape that misses a branch."""

import pytest
from django.db.models import Count

from forum.models import Post, Thread
from netvaerk import prepared
from netvaerk.prepared import Prepared, PreparedMismatch
from tests.factories import PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def _threads_of(user, category_id):
    return (
        Thread.objects.filter(author=user, category_id=category_id)
        .select_related("category", "author")
        .annotate(n_posts=Count("posts"))
        .order_by("pk")
    )


def test_each_call_binds_its_own_values_and_reuses_the_statement():
    query = Prepared(_threads_of, model=Thread)
    one, two = UserFactory(), UserFactory()
    first = ThreadFactory(author=one)
    second = ThreadFactory(author=two)
    PostFactory(thread=second)
    rows = query.list(one, first.category_id)
    assert [t.pk for t in rows] == [first.pk]
    assert rows[0].author == one and rows[0].category == first.category  # select_related
    assert len(query._statements) == 1
    rows = query.list(two, second.category_id)
    assert [(t.pk, t.n_posts) for t in rows] == [
        (t.pk, t.n_posts) for t in _threads_of(two, second.category_id)
    ]
    assert len(query._statements) == 1  # compiled once


def test_lists_of_ids_and_fixed_slices():
    posts = [PostFactory() for _ in range(4)]
    query = Prepared(
        lambda ids, bottom, top: Post.objects.filter(pk__in=ids).order_by("pk")[bottom:top],
        lambda ids, bottom, top: (len(ids), bottom, top),
        fixed=(1, 2),
    )
    ids = [p.pk for p in posts]
    assert [p.pk for p in query.list(ids[:3], 0, 2)] == ids[:2]
    assert [p.pk for p in query.list(ids[1:4], 1, 3)] == ids[2:4]
    assert query.list([], 0, 2) == []  # matches nothing: no query


def test_check_mode_catches_a_shape_that_misses_a_branch(settings):
    settings.NETVAERK_PREPARED_CHECK = True

    def build(user, pk):
        qs = Thread.objects.filter(pk=pk)
        return qs.filter(author=user) if user.is_staff else qs

    query = Prepared(build)  # the shape forgets is_staff
    thread = ThreadFactory()
    query.list(UserFactory(), thread.pk)
    with pytest.raises(PreparedMismatch):
        query.list(UserFactory(is_staff=True), thread.pk)


def test_the_kept_statements_are_bounded(monkeypatch):
    monkeypatch.setattr(prepared, "MAX_SHAPES", 3)
    query = Prepared(
        lambda bottom: Thread.objects.order_by("pk")[bottom : bottom + 1],
        lambda bottom: bottom,
        fixed=(0,),
    )
    for bottom in range(6):
        query.list(bottom)
    assert len(query._statements) == 3


def test_a_correlated_subquery_checks_each_outer_row():
    from django.db import connection

    mine, theirs = UserFactory(), UserFactory()
    PostFactory(thread=ThreadFactory(author=mine))
    PostFactory(thread=ThreadFactory(author=theirs))
    expected = list(
        Post.objects.filter(thread__author=mine).order_by("pk").values_list("pk", flat=True)
    )
    query = Prepared(
        lambda user, thread_id: Thread.objects.filter(author=user, pk=thread_id).values("pk")
    )
    sql, params = query.correlated_sql(mine, 1, columns={1: "p.thread_id"})
    assert "p.thread_id" in sql and len(params) == sql.count("%s")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id FROM forum_post AS p WHERE EXISTS ({sql}) ORDER BY p.id", params
        )
        found = [row[0] for row in cursor.fetchall()]
    assert found == expected and expected
