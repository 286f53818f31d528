"""What the duty rota plugs into the forum (duties/plugins.py)."""

import pytest
from django.urls import reverse

from forum import extensions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_forum_index_shows_who_is_on_duty_to_members(member_client, running_slot):
    running_slot.member = UserFactory(display_name="Camilla Friis")
    running_slot.save()
    html = member_client.get(reverse("forum:index")).text
    assert '<aside class="col-lg-3">' in html and 'id="on-duty-heading"' in html
    assert "Camilla Friis" in html


def test_visitors_get_no_on_duty_box(client, running_slot):
    assert 'id="on-duty-heading"' not in client.get(reverse("forum:index")).text


def test_the_box_is_a_registered_panel():
    from duties import plugins

    plugins.register()  # again, as a re-run ready() would
    assert extensions.index_aside.names().count("duties.on_duty") == 1
