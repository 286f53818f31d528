"""The meetup page offers its discussion thread only to those who can read it;
a visitor gets a link to log in instead of a link that ends in a 404."""

import pytest

from forum import services as forum_services
from forum.models import State
from tests.factories import CategoryFactory, UserFactory
from tests.moeder.factories import MeetupFactory

pytestmark = pytest.mark.django_db

LOGIN_TEXT = "Log ind for at deltage i snakken før mødet"


def _meetup(read_access="members", state=State.PUBLISHED, **extra):
    category = CategoryFactory(read_access=read_access, start_access="staff")
    organiser = UserFactory(roles=["organiser"])
    thread = forum_services.start_thread(
        category=category,
        author=organiser,
        title="Netværksmøde (1.1.2027)",
        kind="discussion",
        body="Spørgsmål før mødet",
    )
    thread.state = state
    thread.save(update_fields=["state"])
    return MeetupFactory(created_by=organiser, thread=thread, **extra), thread


@pytest.mark.parametrize(
    "role, offered",
    [
        ("anonymous", "login"),
        ("member", "read"),
        ("organiser", "read"),
        ("moderator", "read"),
        ("network_leader", "read"),
    ],
)
def test_members_only_thread_is_offered_by_role(role, offered, client_for, request):
    meetup, thread = _meetup()
    user = None if role == "anonymous" else request.getfixturevalue(role)
    html = client_for(user).get(meetup.get_absolute_url()).content.decode()
    if offered == "read":
        assert f'href="{thread.get_absolute_url()}"' in html
        assert LOGIN_TEXT not in html
        assert client_for(user).get(thread.get_absolute_url()).status_code == 200
    else:
        assert f'href="{thread.get_absolute_url()}"' not in html
        assert LOGIN_TEXT in html
        assert "/konto/login/?next=" in html


def test_public_thread_is_a_plain_link_for_visitors(client):
    meetup, thread = _meetup(read_access="everyone")
    html = client.get(meetup.get_absolute_url()).content.decode()
    assert f'href="{thread.get_absolute_url()}"' in html
    assert LOGIN_TEXT not in html


@pytest.mark.parametrize("state", [State.HIDDEN, State.DELETED])
def test_hidden_or_deleted_thread_is_not_offered(state, member_client, client):
    meetup, thread = _meetup(state=state)
    for who in (member_client, client):
        html = who.get(meetup.get_absolute_url()).content.decode()
        assert thread.get_absolute_url() not in html
        assert LOGIN_TEXT not in html


def test_staff_only_thread_is_not_offered_to_members(member_client, client):
    meetup, thread = _meetup(read_access="staff")
    for who in (member_client, client):
        html = who.get(meetup.get_absolute_url()).content.decode()
        assert thread.get_absolute_url() not in html
        assert LOGIN_TEXT not in html
