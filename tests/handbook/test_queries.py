"""Each page costs a fixed number of queries, however many pages and people there are."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from handbook import services
from handbook.models import Page
from tests.factories import UserFactory
from tests.handbook.factories import LessonCompletionFactory, PageFactory

pytestmark = pytest.mark.django_db

# Every signed-in request: the session, the member with their roles. With Redis
# (REDIS_URL) sessions are cached_db and read from the cache, not the database.
REQUEST_QUERIES = 1 if settings.SESSION_ENGINE.endswith("cached_db") else 2
INDEX_QUERIES = REQUEST_QUERIES + 3  # pages (count and one page), my lessons
PAGE_QUERIES = REQUEST_QUERIES + 2  # the page, the next lesson
COURSE_QUERIES = REQUEST_QUERIES + 1  # my lessons
OVERVIEW_QUERIES = REQUEST_QUERIES + 5  # lessons, people (count, page), roles, completions
HISTORY_QUERIES = REQUEST_QUERIES + 4  # page, versions (count, page), the two compared


def _more_pages(count, user):
    lessons = PageFactory.create_batch(count, lesson_number=None)
    for number, page in enumerate(lessons, start=100):
        page.lesson_number = number
        page.save(update_fields=["lesson_number"])
        LessonCompletionFactory(user=user, page=page)
    PageFactory.create_batch(count)


@pytest.mark.parametrize("count", [1, 25])
def test_index_queries_do_not_grow(moderator_client, moderator, django_assert_num_queries, count):
    _more_pages(count, moderator)
    with django_assert_num_queries(INDEX_QUERIES):
        response = moderator_client.get(reverse("handbook:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_page_queries_do_not_grow(moderator_client, moderator, django_assert_num_queries, count):
    _more_pages(count, moderator)
    lesson = PageFactory(lesson_number=99)
    with django_assert_num_queries(PAGE_QUERIES):
        response = moderator_client.get(lesson.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_course_queries_do_not_grow(moderator_client, moderator, django_assert_num_queries, count):
    _more_pages(count, moderator)
    with django_assert_num_queries(COURSE_QUERIES):
        response = moderator_client.get(reverse("handbook:course"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_overview_queries_do_not_grow(
    leader_client, network_leader, django_assert_num_queries, count
):
    _more_pages(count, network_leader)
    people = [
        *UserFactory.create_batch(count, roles=[Role.ORGANISER]),
        *UserFactory.create_batch(count, roles=[Role.MODERATOR, Role.ORGANISER]),
    ]
    for person in people:
        for lesson in Page.objects.lessons()[:3]:
            LessonCompletionFactory(user=person, page=lesson)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = leader_client.get(reverse("handbook:course_overview"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(2 * count + 1, 25)


@pytest.mark.parametrize("count", [1, 25])
def test_history_queries_do_not_grow(
    leader_client, network_leader, django_assert_num_queries, count
):
    page = PageFactory()
    for n in range(count):
        page = services.save_page(
            page=page,
            editor=UserFactory(roles=[Role.NETWORK_LEADER]) if n % 2 else network_leader,
            title=page.title,
            body=f"{page.body}\nLinje {n}",
            lesson_number=None,
            based_on_revision=page.revision_number,
        )
    with django_assert_num_queries(HISTORY_QUERIES):
        response = leader_client.get(reverse("handbook:page_history", args=[page.slug]))
    assert response.status_code == 200
