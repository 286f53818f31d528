"""The meetups' sockets (moeder/extensions.py): a panel plugged into the meetup
page shows, listeners hear the services' moments, and unregistering removes
them cleanly."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moeder import extensions, notify, services
from moeder.models import MeetupStatus
from netvaerk.extensions import Panel
from tests.factories import UserFactory
from tests.moeder.factories import MeetupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    """The invitations and change notices are tested elsewhere."""
    for name in ("meetup_published", "meetup_changed", "meetup_cancelled", "promoted"):
        monkeypatch.setattr(notify, name, lambda **kwargs: None)


@pytest.fixture
def panel(throwaway_template):
    seen = []

    def context(*, request, meetup, managing):
        seen.append(managing)
        return {"text": f"Panel for {meetup.title}"}

    extensions.meetup_panels.register(Panel("test.throwaway", throwaway_template, context))
    yield seen
    extensions.meetup_panels.unregister("test.throwaway")


def test_datepolls_is_plugged_in():
    assert "datepolls.poll_link" in extensions.meetup_panels


def test_a_panel_shows_to_members_above_the_answer_form(member_client, panel):
    meetup = MeetupFactory(title="Sommermøde")
    html = member_client.get(meetup.get_absolute_url()).text
    assert html.count('<p class="throwaway">Panel for Sommermøde</p>') == 1
    assert html.index("throwaway") < html.index('id="rsvp-heading"')
    assert panel == [False]
    extensions.meetup_panels.unregister("test.throwaway")
    assert "throwaway" not in member_client.get(meetup.get_absolute_url()).text


def test_a_panel_shows_to_organisers_below_their_tools(client_for, panel):
    meetup = MeetupFactory(title="Sommermøde")
    html = client_for(meetup.created_by).get(meetup.get_absolute_url()).text
    assert html.count('<p class="throwaway">') == 1
    assert html.index('aria-label="Tovhold dette møde"') < html.index("throwaway")
    assert panel == [True]


@pytest.fixture
def heard():
    calls = []
    hooks = (extensions.meetup_published, extensions.meetup_cancelled, extensions.meetup_moved)
    for hook in hooks:
        hook.connect("test.throwaway", lambda _hook=hook, **kw: calls.append((_hook.name, kw)))
    yield calls
    for hook in hooks:
        hook.unregister("test.throwaway")


def test_publishing_calls_its_hook(heard):
    meetup = MeetupFactory(status=MeetupStatus.DRAFT, published_at=None)
    services.publish(meetup=meetup, actor=meetup.created_by)
    assert [(name, kw["meetup"].pk) for name, kw in heard] == [
        ("moeder.meetup_published", meetup.pk)
    ]
    assert heard[0][1]["meetup"].status == MeetupStatus.PUBLISHED


def test_cancelling_calls_its_hook(heard):
    meetup = MeetupFactory()
    services.cancel(meetup=meetup, actor=meetup.created_by, reason="Syg")
    assert [(name, kw["meetup"].pk) for name, kw in heard] == [
        ("moeder.meetup_cancelled", meetup.pk)
    ]


def test_moving_the_end_calls_its_hook_and_other_edits_do_not(heard):
    meetup = MeetupFactory()
    services.update_meetup(meetup=meetup, editor=meetup.created_by, title="Nyt navn")
    assert heard == []
    later = meetup.ends_at + timedelta(hours=1)
    services.update_meetup(meetup=meetup, editor=meetup.created_by, ends_at=later)
    assert [(name, kw["meetup"].ends_at) for name, kw in heard] == [("moeder.meetup_moved", later)]


def test_an_unregistered_listener_is_not_called(heard):
    extensions.meetup_cancelled.unregister("test.throwaway")
    meetup = MeetupFactory(starts_at=timezone.now() + timedelta(days=3))
    services.cancel(meetup=meetup, actor=UserFactory(), reason="Syg")
    assert heard == []
