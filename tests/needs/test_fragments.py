"""The needs board keeps each rendered card (needs/fragments.py): whatever
changes what a card shows must show up on the next view."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from needs import services
from needs.fragments import NEED_FIELDS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _board(client) -> str:
    response = client.get("/behov/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_plus_one_shows_at_once_for_everyone(member_client, member):
    need = services.post_need(author=UserFactory(display_name="Ida"), title="Kursus i moms")
    assert "Træk mit +1 tilbage" not in _board(member_client)
    services.support_need(need=need, member=member)
    page = _board(member_client)
    assert "Træk mit +1 tilbage" in page
    other = Client()
    other.force_login(UserFactory())
    assert "Træk mit +1 tilbage" not in _board(other)  # another reader's own card


def test_a_new_title_shows_at_once(member_client):
    need = services.post_need(author=UserFactory(), title="Kursus i moms")
    assert "Kursus i moms" in _board(member_client)
    need.title = "Kursus i bogføring"
    need.save(update_fields=["title"])
    assert "Kursus i bogføring" in _board(member_client)


def test_the_cards_forms_carry_each_readers_token(member):
    services.post_need(author=UserFactory(), title="Kursus i moms")
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory())
        page = _board(client)
        form = page[page.index('action="/behov/') :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        action = re.search(r'action="([^"]+)"', form).group(1)
        assert (
            client.post(action, {"csrfmiddlewaretoken": token, "next": "/behov/"}).status_code
            == 302
        )


def test_the_key_holds_everything_the_card_templates_read():
    derived = {"author", "tag_list", "support_list", "meetup", "get_absolute_url"}
    derived |= {"get_status_display", "get_region_display"}  # from status and region
    for name in ("needs/_need_card.html", "needs/_support_form.html", "needs/_status.html"):
        text = Path(settings.BASE_DIR, "templates", name).read_text()
        assert set(re.findall(r"\bneed\.(\w+)", text)) - set(NEED_FIELDS) - derived == set()
        assert set(re.findall(r"\bneed\.author\.(\w+)", text)) <= {"display_name"}
        assert set(re.findall(r"\bneed\.meetup\.(\w+)", text)) <= {
            "get_absolute_url",
            "language",
            "title",
        }
        assert set(re.findall(r"\bsupport\.member\.(\w+)", text)) <= {
            "get_absolute_url",
            "language",
            "display_name",
        }
