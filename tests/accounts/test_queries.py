import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import RoleChangeFactory, SkillFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 25])
def test_member_directory_queries_do_not_grow(member_client, django_assert_max_num_queries, count):
    skills = SkillFactory.create_batch(3)
    for user in UserFactory.create_batch(count, roles=[Role.ORGANISER]):
        user.skills.set(skills)
    with django_assert_max_num_queries(9):
        response = member_client.get(reverse("accounts:member_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_role_list_queries_do_not_grow(leader_client, django_assert_max_num_queries, count):
    for user in UserFactory.create_batch(count):
        user.role_assignments.create(role=Role.MODERATOR)
    with django_assert_max_num_queries(7):
        response = leader_client.get(reverse("accounts:role_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_role_log_queries_do_not_grow(leader_client, django_assert_max_num_queries, count):
    RoleChangeFactory.create_batch(count)
    with django_assert_max_num_queries(7):
        response = leader_client.get(reverse("accounts:role_log"))
    assert response.status_code == 200


def test_member_profile_queries(member_client, django_assert_max_num_queries):
    other = UserFactory(roles=[Role.ORGANISER, Role.MODERATOR])
    other.skills.set(SkillFactory.create_batch(5))
    with django_assert_max_num_queries(7):
        response = member_client.get(other.get_absolute_url())
    assert response.status_code == 200


def test_front_page_queries(member_client, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(4):
        assert member_client.get("/").status_code == 200
