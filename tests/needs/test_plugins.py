"""What the needs board plugs into lower apps (needs/plugins.py): the signal
box on thread pages and its listeners to moeder's moments."""

import pytest
from django.urls import reverse

from forum import extensions as forum
from moeder import extensions as moeder
from moeder import services as moeder_services
from needs import services
from needs.models import NeedStatus
from tests.factories import ThreadFactory
from tests.needs.factories import NeedFactory

pytestmark = pytest.mark.django_db


def test_the_thread_page_shows_the_signal_box(member_client):
    thread = ThreadFactory()
    html = member_client.get(thread.get_absolute_url()).text
    assert f'id="meetup-signal-{thread.pk}"' in html
    assert reverse("needs:thread_signal", args=[thread.pk]) in html


def test_the_listeners_are_connected_once():
    from needs import plugins

    plugins.register()  # again, as a re-run ready() would
    assert forum.thread_panels.names().count("needs.thread_signal") == 1
    for hook in (moeder.meetup_published, moeder.meetup_cancelled, moeder.meetup_moved):
        assert hook.names().count(hook.name.replace("moeder.", "needs.")) == 1


def test_cancelling_through_moeder_opens_the_need_again(organiser):
    need = NeedFactory()
    meetup = services.plan_need(need=need, organiser=organiser)
    moeder_services.cancel(meetup=meetup, actor=organiser, reason="Syg")
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN and need.meetup is None
