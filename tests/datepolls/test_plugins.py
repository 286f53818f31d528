"""What the polls plug into the meetup page (datepolls/plugins.py)."""

import pytest
from django.urls import reverse

from moeder import extensions
from tests.datepolls.factories import PollFactory
from tests.moeder.factories import MeetupFactory

pytestmark = pytest.mark.django_db


def test_organisers_find_the_poll_below_their_tools(client_for):
    poll = PollFactory()
    meetup = poll.meetup
    html = client_for(meetup.created_by).get(meetup.get_absolute_url()).text
    link = reverse("datepolls:poll_detail", kwargs={"meetup_pk": meetup.pk})
    assert html.count(f'href="{link}"') == 1
    assert html.index('aria-label="Tovhold dette møde"') < html.index(link)


def test_a_published_meetup_without_a_poll_has_no_link(client_for):
    meetup = MeetupFactory()
    link = reverse("datepolls:poll_detail", kwargs={"meetup_pk": meetup.pk})
    assert link not in client_for(meetup.created_by).get(meetup.get_absolute_url()).text


def test_registering_again_replaces():
    from datepolls import plugins

    plugins.register()  # as a re-run ready() would
    assert extensions.meetup_panels.names().count("datepolls.poll_link") == 1
