import pytest
from django.urls import reverse

from forum import services
from forum.models import Access
from tests.factories import CategoryFactory, TagFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

# Issue 12: a member's everyday pages (thread, lists, front page, meetup,
# needs board, search) run at most this many queries, whatever the data size.
MEMBER_PAGE_QUERIES = 8


def _threads(count):
    category = CategoryFactory(read_access=Access.EVERYONE)
    tags = TagFactory.create_batch(2)
    for thread in ThreadFactory.create_batch(count, category=category, kind="question"):
        thread.tags.set(tags)
    return category


@pytest.mark.parametrize("count", [1, 25])
@pytest.mark.parametrize("url", ["forum:latest", "forum:unanswered", "forum:unsolved"])
def test_thread_lists_queries_do_not_grow(member_client, django_assert_max_num_queries, count, url):
    _threads(count)
    with django_assert_max_num_queries(MEMBER_PAGE_QUERIES):
        assert member_client.get(reverse(url)).status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_category_page_queries_do_not_grow(member_client, django_assert_max_num_queries, count):
    category = _threads(count)
    with django_assert_max_num_queries(MEMBER_PAGE_QUERIES):
        assert member_client.get(category.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_forum_index_queries_do_not_grow(member_client, django_assert_max_num_queries, count):
    CategoryFactory.create_batch(count)
    _threads(3)
    with django_assert_max_num_queries(5):  # the fifth: who is on duty now
        assert member_client.get(reverse("forum:index")).status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_thread_page_queries_do_not_grow(
    member, member_client, django_assert_max_num_queries, count
):
    thread = ThreadFactory(kind="question")
    repliers = UserFactory.create_batch(3)
    posts = [
        services.post_reply(thread=thread, author=repliers[i % 3], body=f"svar {i}")
        for i in range(count)
    ]
    services.accept_answer(thread=thread, post=posts[0])
    for post in posts[:3]:
        services.toggle_reaction(post=post, user=repliers[0])
    services.toggle_bookmark(post=posts[0], user=member)
    services.follow_thread(thread=thread, user=member, level="follow")
    services.save_draft(user=member, thread=thread, body="Halvt svar")
    # The first view inserts the read position, the second moves it (last page).
    for url in [thread.get_absolute_url(), thread.get_absolute_url() + "?page=2"]:
        with django_assert_max_num_queries(MEMBER_PAGE_QUERIES):
            assert member_client.get(url).status_code == 200


def test_lists_never_load_post_bodies(member_client, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _threads(3)
    with CaptureQueriesContext(connection) as queries:
        member_client.get(reverse("forum:latest"))
    assert not any("body" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("count", [1, 25])
def test_bookmark_list_queries_do_not_grow(
    member, member_client, django_assert_max_num_queries, count
):
    for thread in ThreadFactory.create_batch(count):
        services.toggle_bookmark(post=thread.posts.get(), user=member)
    with django_assert_max_num_queries(6):
        assert member_client.get(reverse("forum:bookmark_list")).status_code == 200


def test_thread_page_with_thanks_queries(member_client, django_assert_max_num_queries):
    thread = ThreadFactory()
    thankers = UserFactory.create_batch(5)
    for i in range(10):
        post = services.post_reply(thread=thread, author=UserFactory(), body=f"svar {i}")
        for thanker in thankers:
            services.toggle_reaction(post=post, user=thanker)
    with django_assert_max_num_queries(MEMBER_PAGE_QUERIES):
        assert member_client.get(thread.get_absolute_url()).status_code == 200
