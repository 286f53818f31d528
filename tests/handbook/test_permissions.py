import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from handbook import permissions
from tests.conftest import ROLES, make_user
from tests.factories import UserFactory


def _user(role):
    user = make_user(role)
    if user is None:
        return AnonymousUser()
    # Load as a request would: roles and 2FA state in one go.
    return User.objects.with_access().get(pk=user.pk)


# Expected result per role: anonymous, member, organiser, moderator, network_leader.
TABLE = {
    "can_read_handbook": [False, False, True, True, True],
    "can_take_course": [False, False, True, True, True],
    "can_edit_handbook": [False, False, False, False, True],
    "can_view_history": [False, False, False, False, True],
    "can_restore_revision": [False, False, False, False, True],
    "can_view_course_progress": [False, False, False, False, True],
}


@pytest.mark.django_db
@pytest.mark.parametrize("rule", TABLE)
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_handbook_rule_table(rule, index):
    assert getattr(permissions, rule)(_user(ROLES[index])) is TABLE[rule][index]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["moderator", "network_leader"])
def test_new_role_holders_read_before_turning_on_two_factor(role):
    holder = User.objects.with_access().get(pk=UserFactory(roles=[role]).pk)
    assert permissions.can_read_handbook(holder)
    assert permissions.can_take_course(holder)
    assert not permissions.can_edit_handbook(holder)
    assert not permissions.can_view_course_progress(holder)


@pytest.mark.django_db
def test_deactivated_role_holders_cannot_read():
    user = UserFactory(roles=["moderator"], totp=True)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not permissions.can_read_handbook(User.objects.with_access().get(pk=user.pk))
