"""Poll pages without JavaScript: the grid form, options, inviting, deciding."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from datepolls import services
from datepolls.models import Poll, PollOption, PollVote, Vote
from moeder.models import MeetupStatus
from tests.datepolls.factories import (
    DateOptionFactory,
    DraftMeetupFactory,
    PollVoteFactory,
    VenueOptionFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, meetup, **kwargs):
    return reverse(f"datepolls:{name}", kwargs={"meetup_pk": meetup.pk, **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def da(text):
    with translation.override("da"):
        return gettext(text)


@pytest.fixture
def hosted(client_for):
    """A draft meetup with an open poll, and a client for its organiser."""
    option = DateOptionFactory()
    meetup = option.poll.meetup
    return meetup, option, client_for(meetup.created_by)


def test_the_grid_shows_everyones_answers_and_totals(member_client, member):
    one = DateOptionFactory()
    two = VenueOptionFactory(poll=one.poll, venue_name="Caféen Sønderborg")
    other = UserFactory(display_name="Åse Iversen")
    PollVoteFactory(option=one, member=other, value=Vote.YES)
    PollVoteFactory(option=two, member=other, value=Vote.NO)
    PollVoteFactory(option=one, member=member, value=Vote.IF_NEED_BE)
    response = member_client.get(url("poll_detail", one.poll.meetup))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Åse Iversen" in html and "Caféen Sønderborg" in html
    assert 'type="radio"' in html and f'name="option_{one.pk}"' in html
    assert html.count("checked") == 1  # my own answer, preselected
    options = {o.pk: o for o in response.context["options"]}
    assert (options[one.pk].yes_count, options[one.pk].ifneedbe_count) == (1, 1)
    assert options[two.pk].no_count == 1


def test_answering_with_the_plain_form(member_client, member):
    one = DateOptionFactory()
    two = VenueOptionFactory(poll=one.poll)
    response = member_client.post(
        url("poll_detail", one.poll.meetup), {f"option_{one.pk}": "yes", f"option_{two.pk}": "no"}
    )
    assert response.status_code == 302
    assert dict(PollVote.objects.filter(member=member).values_list("option_id", "value")) == {
        one.pk: "yes",
        two.pk: "no",
    }
    assert messages_of(response) == [da("Your answers are saved.")]


def test_a_bad_answer_redisplays_the_form(member_client):
    option = DateOptionFactory()
    response = member_client.post(
        url("poll_detail", option.poll.meetup), {f"option_{option.pk}": "x"}
    )
    assert response.status_code == 400 and not PollVote.objects.exists()


def test_a_stale_form_with_a_removed_option_saves_the_rest(member_client, member):
    one = DateOptionFactory()
    two = DateOptionFactory(poll=one.poll)
    meetup = one.poll.meetup
    page = member_client.get(url("poll_detail", meetup))
    assert page.status_code == 200
    services.remove_option(meetup=meetup, option_id=two.pk)
    response = member_client.post(
        url("poll_detail", meetup), {f"option_{one.pk}": "yes", f"option_{two.pk}": "yes"}
    )
    assert response.status_code == 302
    assert list(PollVote.objects.values_list("option_id", flat=True)) == [one.pk]


def test_answers_need_the_csrf_token(member):
    option = DateOptionFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(url("poll_detail", option.poll.meetup), {f"option_{option.pk}": "yes"})
    assert response.status_code == 403 and not PollVote.objects.exists()


def test_adding_a_date_in_copenhagen_time(hosted):
    meetup, option, client = hosted
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.post(
        url("poll_options", meetup),
        {"kind": "date", "date-starts_at": f"{day}T18:00", "date-ends_at": f"{day}T21:00"},
    )
    assert response.status_code == 302
    added = PollOption.objects.exclude(pk=option.pk).get()
    assert timezone.localtime(added.starts_at).hour == 18


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "date", "date-starts_at": "2001-01-01T18:00", "date-ends_at": "2001-01-01T21:00"},
        {"kind": "date", "date-starts_at": "2099-01-01T18:00", "date-ends_at": "2099-01-01T17:00"},
        {"kind": "date", "date-starts_at": "tomorrow", "date-ends_at": ""},
        {"kind": "venue", "venue-venue_name": "   "},
    ],
)
def test_bad_options_are_refused_with_the_form_again(hosted, data):
    meetup, _option, client = hosted
    response = client.post(url("poll_options", meetup), data)
    assert response.status_code == 400
    assert PollOption.objects.count() == 1


def test_an_unknown_kind_of_option_is_a_message_not_an_error(hosted):
    meetup, _option, client = hosted
    response = client.post(url("poll_options", meetup), {"kind": "menu"})
    assert response.status_code == 302 and PollOption.objects.count() == 1


def test_removing_an_option_confirms_first_and_twice_is_harmless(hosted):
    meetup, option, client = hosted
    remove = url("poll_option_remove", meetup, option_pk=option.pk)
    assert client.get(remove).status_code == 200 and PollOption.objects.exists()
    assert client.post(remove).status_code == 302 and not PollOption.objects.exists()
    response = client.post(remove)
    assert response.status_code == 302
    assert da("That option was already removed.") in messages_of(response)
    assert client.get(remove).status_code == 302


def test_opening_confirms_first(hosted, django_capture_on_commit_callbacks):
    meetup, option, client = hosted
    Poll.objects.filter(pk=option.poll_id).update(opened_at=None)
    page = client.get(url("poll_open", meetup))
    assert page.status_code == 200 and not Poll.objects.get().is_open
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("poll_open", meetup)).status_code == 302
    assert Poll.objects.get().is_open


def test_opening_an_empty_poll_says_why(client_for):
    meetup = DraftMeetupFactory()
    client = client_for(meetup.created_by)
    assert client.get(url("poll_open", meetup)).status_code == 200
    response = client.post(url("poll_open", meetup))
    assert response.status_code == 302
    assert messages_of(response) == [da("Add at least one date or venue first.")]


def test_closing_confirms_first(hosted):
    meetup, _option, client = hosted
    assert client.get(url("poll_close", meetup)).status_code == 200
    assert Poll.objects.get().is_open
    assert client.post(url("poll_close", meetup)).status_code == 302
    assert not Poll.objects.get().is_open


def test_deciding_confirms_first_then_publishes(hosted):
    meetup, option, client = hosted
    page = client.get(url("poll_decide", meetup))
    assert page.status_code == 200 and f'value="{option.pk}"' in page.content.decode()
    response = client.post(url("poll_decide", meetup), {"date_option": option.pk})
    meetup.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == meetup.get_absolute_url()
    assert meetup.status == MeetupStatus.PUBLISHED and meetup.starts_at == option.starts_at


def test_deciding_twice_from_a_stale_form_is_a_message(hosted):
    meetup, option, client = hosted
    client.post(url("poll_decide", meetup), {"date_option": option.pk})
    response = client.post(url("poll_decide", meetup), {"date_option": option.pk})
    assert response.status_code == 302
    assert da("The poll is already decided.") in messages_of(response)


@pytest.mark.parametrize("value", ["999999", "abc", ""])
def test_deciding_on_a_removed_or_bad_option_is_a_message(hosted, value):
    meetup, _option, client = hosted
    response = client.post(url("poll_decide", meetup), {"date_option": value})
    assert response.status_code == 302
    assert messages_of(response)
    meetup.refresh_from_db()
    assert meetup.status == MeetupStatus.DRAFT


def test_deciding_a_poll_without_options_is_a_message(client_for):
    meetup = DraftMeetupFactory()
    client = client_for(meetup.created_by)
    assert client.get(url("poll_decide", meetup)).status_code == 200
    response = client.post(url("poll_decide", meetup), {})
    assert response.status_code == 302
    assert messages_of(response) == [da("Add at least one date or venue first.")]


def test_the_pages_are_in_english_under_en(member_client):
    option = DateOptionFactory()
    response = member_client.get("/en" + url("poll_detail", option.poll.meetup))
    assert response.status_code == 200 and "Save my answers" in response.content.decode()


# --- The link on the meetup page ------------------------------------------------


def test_the_meetup_page_link_for_organisers_and_members(client_for, django_assert_num_queries):
    from django.db.models import Prefetch

    from moeder.models import Meetup, MeetupHost

    option = DateOptionFactory()
    meetup = Meetup.objects.prefetch_related(
        Prefetch("hosts", queryset=MeetupHost.objects.select_related("user"))
    ).get(pk=option.poll.meetup_id)
    # Signed-in members come with their roles loaded (User.objects.with_access).
    member = User.objects.with_access().get(pk=UserFactory().pk)
    organiser = User.objects.with_access().get(pk=meetup.created_by_id)
    with django_assert_num_queries(1):
        as_member = services.poll_link_context(member, meetup)
    with django_assert_num_queries(1):
        as_organiser = services.poll_link_context(organiser, meetup)
    assert as_member["answer_link"] and not as_member["manage_link"]
    assert as_organiser["manage_link"] and not as_organiser["answer_link"]
    html = render_to_string(
        "datepolls/_meetup_link.html", {"meetup": meetup, "poll_link": as_organiser}
    )
    assert url("poll_detail", meetup) in html
    assert services.poll_link_context(AnonymousUser(), meetup) == {
        "poll_url": "",
        "manage_link": False,
        "answer_link": False,
    }


# --- Queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_the_grid_queries_do_not_grow(member_client, member, django_assert_max_num_queries, count):
    first = DateOptionFactory()
    options = [first, DateOptionFactory(poll=first.poll), VenueOptionFactory(poll=first.poll)]
    for voter in UserFactory.create_batch(count):
        for option in options:
            PollVoteFactory(option=option, member=voter, value=Vote.IF_NEED_BE)
    PollVoteFactory(option=first, member=member)
    with django_assert_max_num_queries(12):
        response = member_client.get(url("poll_detail", first.poll.meetup))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count + 1, 25)
