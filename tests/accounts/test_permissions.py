import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts import permissions
from accounts.models import User
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
    "is_member": [False, True, True, True, True],
    "is_organiser": [False, False, True, False, False],
    "is_moderator": [False, False, False, True, False],
    "is_network_leader": [False, False, False, False, True],
    "can_view_members": [False, True, True, True, True],
    "can_manage_roles": [False, False, False, False, True],
    "can_view_role_log": [False, False, False, True, True],
    "can_edit_guidelines": [False, False, False, False, True],
    "needs_mfa_for_powers": [False, False, False, False, False],
}


@pytest.mark.django_db
@pytest.mark.parametrize("rule", TABLE)
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_role_rule_table(rule, index):
    user = _user(ROLES[index])
    assert getattr(permissions, rule)(user) is TABLE[rule][index]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_only_self_can_edit_profile(index):
    other = UserFactory()
    user = _user(ROLES[index])
    assert permissions.can_edit_profile(user, other) is False
    if user.is_authenticated:
        assert permissions.can_edit_profile(user, user) is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("index", "expected"),
    list(zip(range(len(ROLES)), [False, False, False, False, True], strict=True)),
)
def test_email_is_seen_by_the_member_and_leaders_only(index, expected):
    other = UserFactory()
    user = _user(ROLES[index])
    assert permissions.can_see_email(user, other) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["moderator", "network_leader"])
def test_powers_stay_locked_until_two_factor_is_on(role):
    holder = User.objects.with_access().get(pk=UserFactory(roles=[role]).pk)
    assert permissions.holds_role(holder, role)
    assert permissions.needs_mfa_for_powers(holder)
    assert not permissions.is_moderator(holder)
    assert not permissions.is_network_leader(holder)
    assert not permissions.can_manage_roles(holder)


@pytest.mark.django_db
def test_organisers_do_not_need_two_factor():
    organiser = User.objects.with_access().get(pk=UserFactory(roles=["organiser"]).pk)
    assert permissions.is_organiser(organiser)
    assert not permissions.needs_mfa_for_powers(organiser)


@pytest.mark.django_db
def test_inactive_members_have_no_powers():
    leader = UserFactory(roles=["network_leader"], totp=True, is_active=False)
    leader = User.objects.with_access().get(pk=leader.pk)
    assert not permissions.is_member(leader)
    assert not permissions.can_manage_roles(leader)


@pytest.mark.django_db
def test_predicates_do_not_query(django_assert_num_queries):
    leader = User.objects.with_access().get(pk=UserFactory(roles=["network_leader"], totp=True).pk)
    with django_assert_num_queries(0):
        for rule in TABLE:
            getattr(permissions, rule)(leader)


def test_require_raises_permission_denied():
    permissions.require(True)
    with pytest.raises(PermissionDenied):
        permissions.require(False)
