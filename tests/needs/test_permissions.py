import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import SanctionKind, User
from needs import permissions
from needs.models import NeedStatus
from tests.conftest import ROLES, make_user
from tests.factories import ThreadFactory, UserFactory
from tests.needs.factories import NeedFactory

pytestmark = pytest.mark.django_db


def _user(role):
    user = make_user(role)
    if user is None:
        return AnonymousUser()
    return User.objects.with_access().get(pk=user.pk)  # as a request loads it


def _own(user, **kwargs):
    """A need by the user (or by someone else for anonymous)."""
    author = user if user.is_authenticated else UserFactory()
    return NeedFactory(author=author, **kwargs)


# Expected per role: anonymous, member, organiser, moderator, network_leader.
TABLE = {
    "can_view_board": (lambda u: permissions.can_view_board(u), [1, 1, 1, 1, 1]),
    "can_see_people": (lambda u: permissions.can_see_people(u), [0, 1, 1, 1, 1]),
    "can_post_need": (lambda u: permissions.can_post_need(u), [0, 1, 1, 1, 1]),
    "can_plan": (lambda u: permissions.can_plan(u), [0, 0, 1, 0, 1]),
    "can_support_need (others')": (
        lambda u: permissions.can_support_need(u, NeedFactory()),
        [0, 1, 1, 1, 1],
    ),
    "can_support_need (own)": (lambda u: permissions.can_support_need(u, _own(u)), [0] * 5),
    "can_support_need (closed)": (
        lambda u: permissions.can_support_need(u, NeedFactory(status=NeedStatus.CLOSED)),
        [0] * 5,
    ),
    "can_comment_need (open)": (
        lambda u: permissions.can_comment_need(u, NeedFactory()),
        [0, 1, 1, 1, 1],
    ),
    "can_comment_need (closed)": (
        lambda u: permissions.can_comment_need(u, NeedFactory(status=NeedStatus.CLOSED)),
        [0] * 5,
    ),
    "can_edit_need (others')": (
        lambda u: permissions.can_edit_need(u, NeedFactory()),
        [0, 0, 1, 0, 1],
    ),
    "can_edit_need (own)": (lambda u: permissions.can_edit_need(u, _own(u)), [0, 1, 1, 1, 1]),
    "can_set_any_status": (
        lambda u: permissions.can_set_any_status(u, _own(u)),
        [0, 0, 1, 0, 1],
    ),
    "can_plan_need (open)": (
        lambda u: permissions.can_plan_need(u, NeedFactory()),
        [0, 0, 1, 0, 1],
    ),
    "can_plan_need (met)": (
        lambda u: permissions.can_plan_need(u, NeedFactory(status=NeedStatus.MET)),
        [0] * 5,
    ),
    "can_see_follow_up_answers": (
        lambda u: permissions.can_see_follow_up_answers(u),
        [0, 0, 1, 0, 1],
    ),
    "can_answer_follow_up (asked)": (
        lambda u: permissions.can_answer_follow_up(u, NeedFactory(), was_asked=True),
        [0, 1, 1, 1, 1],
    ),
    "can_answer_follow_up (not asked)": (
        lambda u: permissions.can_answer_follow_up(u, NeedFactory(), was_asked=False),
        [0] * 5,
    ),
    "can_signal_thread": (
        lambda u: permissions.can_signal_thread(u, ThreadFactory()),
        [0, 1, 1, 1, 1],
    ),
    "can_plan_thread_meetup": (
        lambda u: permissions.can_plan_thread_meetup(u, ThreadFactory()),
        [0, 0, 1, 0, 1],
    ),
}


@pytest.mark.parametrize("rule", TABLE)
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_permission_table(rule, index):
    check, expected = TABLE[rule]
    assert check(_user(ROLES[index])) is bool(expected[index])


def test_a_silenced_member_may_read_but_not_post_support_or_signal(moderator):
    from moderation import services as moderation

    member = UserFactory()
    moderation.sanction_member(
        member=member, actor=moderator, kind=SanctionKind.SILENCE, reason="pause"
    )
    user = User.objects.with_access().get(pk=member.pk)
    need = NeedFactory(author=user)
    assert permissions.can_see_people(user)
    assert not permissions.can_post_need(user)
    assert not permissions.can_support_need(user, NeedFactory())
    assert not permissions.can_comment_need(user, need)
    assert not permissions.can_edit_need(user, need)
    assert not permissions.can_signal_thread(user, ThreadFactory())


def test_an_organiser_without_two_factor_still_plans():
    # Organisers need no second factor (moderators and leaders do).
    user = User.objects.with_access().get(pk=UserFactory(roles=["organiser"]).pk)
    assert permissions.can_plan(user)


def test_a_leader_without_two_factor_cannot_plan():
    user = User.objects.with_access().get(pk=UserFactory(roles=["network_leader"]).pk)
    assert not permissions.can_plan(user)
