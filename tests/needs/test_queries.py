import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.needs.factories import CommentFactory, NeedFactory, SupportFactory

pytestmark = pytest.mark.django_db


def _needs(count):
    needs = [NeedFactory(tags=["moms", f"emne{i}"]) for i in range(count)]
    for need in needs:
        for _ in range(3):
            SupportFactory(need=need)
    return needs


@pytest.mark.parametrize("count", [1, 25])
def test_board_queries_do_not_grow(member_client, django_assert_max_num_queries, count):
    _needs(count)
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("needs:board"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_board_queries_for_a_visitor(client, django_assert_max_num_queries, count):
    _needs(count)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("needs:board")).status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_plan_board_queries_do_not_grow(organiser_client, django_assert_max_num_queries, count):
    _needs(count)
    with django_assert_max_num_queries(6):
        assert organiser_client.get(reverse("needs:plan_board")).status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_need_page_queries_do_not_grow(organiser_client, django_assert_max_num_queries, count):
    need = NeedFactory(tags=["moms", "eu"])
    for _ in range(count):
        SupportFactory(need=need)
        CommentFactory(need=need, author=UserFactory())
    with django_assert_max_num_queries(11):
        response = organiser_client.get(need.get_absolute_url())
    assert response.status_code == 200
