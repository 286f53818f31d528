"""Who sees the poll, answers it and runs it: a role table per rule."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from moeder.models import MeetupHost
from tests.conftest import make_user
from tests.datepolls.factories import DateOptionFactory, DraftMeetupFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "organiser", "moderator", "network_leader", "host"]


def user_for(role, meetup):
    if role == "host":
        user = UserFactory(roles=["organiser"])
        MeetupHost.objects.create(meetup=meetup, user=user)
        return user
    return make_user(role)


def status(client_for, role, meetup, name, **kwargs):
    client = client_for(user_for(role, meetup))
    return client.get(reverse(f"datepolls:{name}", kwargs={"meetup_pk": meetup.pk, **kwargs}))


OPEN_POLL = {
    "anonymous": 302,
    "member": 200,
    "organiser": 200,
    "moderator": 200,
    "network_leader": 200,
    "host": 200,
}
OTHER_REGION = {**OPEN_POLL, "member": 404, "organiser": 404, "moderator": 404}
NOT_OPENED = OTHER_REGION
MANAGE = {**OPEN_POLL, "member": 403, "organiser": 403, "moderator": 403}


@pytest.mark.parametrize("role", ROLES)
def test_the_audience_sees_an_open_poll(client_for, role):
    poll = DateOptionFactory().poll
    assert status(client_for, role, poll.meetup, "poll_detail").status_code == OPEN_POLL[role]


@pytest.mark.parametrize("role", ROLES)
def test_members_outside_the_regions_do_not_see_the_poll(client_for, role):
    meetup = DraftMeetupFactory(regions=[Region.NORDJYLLAND])
    DateOptionFactory(poll__meetup=meetup)
    assert status(client_for, role, meetup, "poll_detail").status_code == OTHER_REGION[role]


@pytest.mark.parametrize("role", ROLES)
def test_a_poll_not_yet_opened_is_for_the_organisers(client_for, role):
    meetup = DraftMeetupFactory()
    DateOptionFactory(poll__meetup=meetup, poll__opened_at=None)
    assert status(client_for, role, meetup, "poll_detail").status_code == NOT_OPENED[role]


@pytest.mark.parametrize("name", ["poll_options", "poll_open", "poll_close", "poll_decide"])
@pytest.mark.parametrize("role", ROLES)
def test_only_hosts_and_leaders_run_the_poll(client_for, role, name):
    poll = DateOptionFactory().poll
    assert status(client_for, role, poll.meetup, name).status_code == MANAGE[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_answer(client_for, role):
    option = DateOptionFactory()
    meetup = option.poll.meetup
    user = user_for(role, meetup)
    response = client_for(user).post(
        reverse("datepolls:poll_detail", kwargs={"meetup_pk": meetup.pk}),
        {f"option_{option.pk}": "yes"},
    )
    assert response.status_code == 302
    assert option.votes.filter(member=user).exists() == (role != "anonymous")


def test_a_silenced_member_may_read_but_not_answer(client_for):
    from accounts.models import Sanction, SanctionKind

    option = DateOptionFactory()
    member = UserFactory()
    Sanction.objects.create(user=member, kind=SanctionKind.SILENCE, reason="Tonen")
    client = client_for(member)
    url = reverse("datepolls:poll_detail", kwargs={"meetup_pk": option.poll.meetup_id})
    assert client.get(url).status_code == 200
    assert client.post(url, {f"option_{option.pk}": "yes"}).status_code == 403
    assert not option.votes.exists()


def test_a_closed_poll_is_still_shown_but_takes_no_answers(member_client, member):
    option = DateOptionFactory(poll__closed_at=timezone.now())
    url = reverse("datepolls:poll_detail", kwargs={"meetup_pk": option.poll.meetup_id})
    assert member_client.get(url).status_code == 200
    response = member_client.post(url, {f"option_{option.pk}": "yes"}, follow=True)
    assert response.status_code == 200 and not option.votes.exists()


def test_a_poll_page_of_a_meetup_without_a_poll(client_for):
    meetup = DraftMeetupFactory()
    leader = make_user("network_leader")
    url = reverse("datepolls:poll_detail", kwargs={"meetup_pk": meetup.pk})
    assert client_for(leader).get(url).status_code == 200
    assert client_for(UserFactory()).get(url).status_code == 404
