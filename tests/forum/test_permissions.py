import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from forum import permissions
from forum.models import Access, Thread
from tests.conftest import ROLES, make_user
from tests.factories import CategoryFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def _user(role):
    user = make_user(role)
    return AnonymousUser() if user is None else User.objects.with_access().get(pk=user.pk)


# anonymous, member, organiser, moderator, network_leader
READ = {
    Access.EVERYONE: [True, True, True, True, True],
    Access.MEMBERS: [False, True, True, True, True],
    Access.STAFF: [False, False, False, True, True],
}
START = {
    Access.MEMBERS: [False, True, True, True, True],
    Access.STAFF: [False, False, False, True, True],
}


@pytest.mark.parametrize("access", list(READ))
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_who_reads_a_category(access, index):
    category = CategoryFactory(read_access=access)
    user = _user(ROLES[index])
    assert permissions.can_read_category(user, category) is READ[access][index]
    visible = permissions.visible_threads(user).filter(pk=ThreadFactory(category=category).pk)
    assert visible.exists() is READ[access][index]


@pytest.mark.parametrize("access", list(START))
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_who_starts_threads(access, index):
    category = CategoryFactory(read_access=Access.EVERYONE, start_access=access)
    assert permissions.can_start_thread(_user(ROLES[index]), category) is START[access][index]


@pytest.mark.parametrize(
    ("index", "open_thread", "locked_thread"),
    [(0, False, False), (1, True, False), (2, True, False), (3, True, True), (4, True, True)],
    ids=ROLES,
)
def test_who_replies(index, open_thread, locked_thread):
    user = _user(ROLES[index])
    category = CategoryFactory(read_access=Access.EVERYONE)
    assert permissions.can_reply(user, ThreadFactory(category=category)) is open_thread
    locked = ThreadFactory(category=category, is_locked=True)
    assert permissions.can_reply(user, locked) is locked_thread


@pytest.mark.parametrize(
    ("index", "expected"), [(0, False), (1, False), (2, False), (3, True), (4, True)], ids=ROLES
)
def test_who_accepts_answers_on_someone_elses_question(index, expected):
    thread = ThreadFactory(kind="question")
    assert permissions.can_accept_answer(_user(ROLES[index]), thread) is expected


def test_the_asker_accepts_answers_but_not_on_discussions():
    asker = UserFactory()
    user = User.objects.with_access().get(pk=asker.pk)
    assert permissions.can_accept_answer(user, ThreadFactory(author=asker, kind="question"))
    assert not permissions.can_accept_answer(user, ThreadFactory(author=asker, kind="discussion"))


@pytest.mark.parametrize(
    ("index", "expected"), [(0, False), (1, False), (2, False), (3, False), (4, True)], ids=ROLES
)
def test_who_manages_categories(index, expected):
    assert permissions.can_manage_categories(_user(ROLES[index])) is expected


def test_forum_predicates_do_not_query(django_assert_num_queries):
    user = _user("moderator")
    thread = Thread.objects.select_related("category").get(pk=ThreadFactory().pk)
    with django_assert_num_queries(0):
        permissions.can_reply(user, thread)
        permissions.can_accept_answer(user, thread)
        permissions.can_start_thread(user, thread.category)
        permissions.can_read_category(user, thread.category)
