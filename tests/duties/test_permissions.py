import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from duties import permissions
from duties.models import DutySlot, Eligibility
from tests.conftest import ROLES, make_user
from tests.duties.factories import DutyFactory, DutySlotFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _user(role):
    user = make_user(role)
    if user is None:
        return AnonymousUser()
    return User.objects.with_access().get(pk=user.pk)  # as a request loads it


def _slot(**kwargs):
    return DutySlotFactory(**kwargs)


# Expected per role: anonymous, member, organiser, moderator, network_leader.
TABLE = {
    "can_view_rota": (lambda user: permissions.can_view_rota(user), [0, 1, 1, 1, 1]),
    "can_manage_duties": (lambda user: permissions.can_manage_duties(user), [0, 0, 0, 0, 1]),
    "can_hold_duty (any member)": (
        lambda user: permissions.can_hold_duty(user, DutyFactory()),
        [0, 1, 1, 1, 1],
    ),
    "can_hold_duty (moderators only)": (
        lambda user: permissions.can_hold_duty(
            user, DutyFactory(eligibility=Eligibility.MODERATORS)
        ),
        [0, 0, 0, 1, 1],
    ),
    "can_hold_duty (archived)": (
        lambda user: permissions.can_hold_duty(user, DutyFactory(archived_at=timezone.now())),
        [0, 0, 0, 0, 0],
    ),
    "can_take_slot (open)": (
        lambda user: permissions.can_take_slot(user, _slot()),
        [0, 1, 1, 1, 1],
    ),
    "can_take_slot (open, moderators only)": (
        lambda user: permissions.can_take_slot(
            user, _slot(duty=DutyFactory(eligibility=Eligibility.MODERATORS))
        ),
        [0, 0, 0, 1, 1],
    ),
    "can_take_slot (taken)": (
        lambda user: permissions.can_take_slot(user, _slot(member=UserFactory())),
        [0, 0, 0, 0, 0],
    ),
    "can_change_slot (someone else's)": (
        lambda user: permissions.can_change_slot(user, _slot(member=UserFactory())),
        [0, 0, 0, 0, 1],
    ),
    "can_change_slot (open)": (
        lambda user: permissions.can_change_slot(user, _slot()),
        [0, 0, 0, 0, 0],
    ),
    "can_change_slot (own)": (
        lambda user: permissions.can_change_slot(
            user, _slot(member=user if user.is_authenticated else None)
        ),
        [0, 1, 1, 1, 1],
    ),
}


@pytest.mark.parametrize("rule", TABLE)
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_duty_rule_table(rule, index):
    check, expected = TABLE[rule]
    assert check(_user(ROLES[index])) is bool(expected[index])


def test_moderator_powers_need_two_factor_for_the_review_queue():
    moderator = User.objects.with_access().get(pk=UserFactory(roles=["moderator"]).pk)
    duty = DutyFactory(eligibility=Eligibility.MODERATORS)
    assert permissions.can_hold_duty(moderator, duty) is False


def test_an_inactive_account_holds_no_duty():
    user = User.objects.with_access().get(pk=UserFactory(is_active=False).pk)
    assert permissions.can_hold_duty(user, DutyFactory()) is False


@pytest.mark.parametrize(
    ("index", "sees_archived", "sees_any"),
    [(0, False, False), (1, False, True), (2, False, True), (3, False, True), (4, True, True)],
    ids=ROLES,
)
def test_archived_duties_and_their_slots_are_for_leaders(index, sees_archived, sees_any):
    active = DutyFactory()
    archived = DutyFactory(archived_at=timezone.now())
    archived_slot = DutySlotFactory(duty=archived)
    user = _user(ROLES[index])
    assert (active in permissions.visible_duties(user)) is sees_any
    assert (archived in permissions.visible_duties(user)) is sees_archived
    assert (archived_slot in permissions.visible_slots(user)) is sees_archived


def test_predicates_do_not_query(django_assert_num_queries):
    user = _user("moderator")
    slot = DutySlot.objects.select_related("duty").get(pk=DutySlotFactory(member=UserFactory()).pk)
    with django_assert_num_queries(0):
        permissions.can_take_slot(user, slot)
        permissions.can_change_slot(user, slot)
        permissions.can_hold_duty(user, slot.duty)
