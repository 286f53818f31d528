"""What the needs board plugs into lower apps (needs/plugins.py): the signal
box on thread pages."""

import pytest
from django.urls import reverse

from forum import extensions as forum
from tests.factories import ThreadFactory

pytestmark = pytest.mark.django_db


def test_the_thread_page_shows_the_signal_box(member_client):
    thread = ThreadFactory()
    html = member_client.get(thread.get_absolute_url()).text
    assert f'id="meetup-signal-{thread.pk}"' in html
    assert reverse("needs:thread_signal", args=[thread.pk]) in html


def test_the_panel_is_registered_once():
    from needs import plugins

    plugins.register()  # again, as a re-run ready() would
    assert forum.thread_panels.names().count("needs.thread_signal") == 1
