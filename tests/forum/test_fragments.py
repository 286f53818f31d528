"""The thread page keeps each post's rendered header (forum/fragments.py):
whatever changes what a header shows must show up on the next view."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from accounts import services as account_services
from forum import services
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread_and_reply():
    author = UserFactory(display_name="Louise Holm")
    thread = services.start_thread(
        category=CategoryFactory(), author=UserFactory(), title="Moms ved salg til EU",
        kind="question", body="Hvordan gør I?",
    )  # fmt: skip
    reply = services.post_reply(thread=thread, author=author, body="Sådan gør jeg.")
    return thread, reply


def _page(client, thread, language="da"):
    url = thread.get_absolute_url()
    if language != "da":
        url = f"/{language}{url}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_headers_are_kept_and_used_again(member_client, thread_and_reply):
    thread, _reply = thread_and_reply
    _page(member_client, thread)
    kept = len(caches["fragments"]._cache)
    assert kept >= 2  # the question and the reply
    _page(member_client, thread)
    assert len(caches["fragments"]._cache) == kept  # nothing rendered anew


def test_an_edit_shows_at_once(member_client, thread_and_reply):
    thread, reply = thread_and_reply
    assert "redigeret" not in _page(member_client, thread)
    services.edit_post(post=reply, editor=reply.author, body="Sådan gør jeg nu.")
    page = _page(member_client, thread)
    assert "Sådan gør jeg nu." in page
    assert "redigeret" in page


def test_a_new_thank_you_shows_at_once(member_client, member, thread_and_reply):
    thread, reply = thread_and_reply
    assert "1 tak" not in _page(member_client, thread)
    services.toggle_reaction(post=reply, user=UserFactory(display_name="Bo Berg"))
    page = _page(member_client, thread)
    assert "1 tak" in page and "Bo Berg" in page


def test_a_changed_name_shows_at_once(member_client, thread_and_reply):
    thread, reply = thread_and_reply
    assert "Louise Holm" in _page(member_client, thread)
    reply.author.display_name = "Louise Holm Jensen"
    reply.author.save(update_fields=["display_name"])
    assert "Louise Holm Jensen" in _page(member_client, thread)


def test_a_changed_role_shows_at_once(client, thread_and_reply):
    thread, reply = thread_and_reply
    services.edit_post(post=reply, editor=reply.author, body="Rettet.")
    reader = UserFactory(totp=True)  # moderators have two-factor
    client.force_login(reader)
    history = reverse("forum:post_history", args=[reply.pk])
    assert f'href="{history}"' not in _page(client, thread)  # plain "redigeret"
    account_services.grant_role(user=reader, role="moderator", granted_by=None)
    assert f'href="{history}"' in _page(client, thread)


def test_a_language_switch_shows_at_once(member_client, thread_and_reply):
    thread, reply = thread_and_reply
    services.edit_post(post=reply, editor=reply.author, body="Rettet.")
    assert "redigeret" in _page(member_client, thread)
    page = _page(member_client, thread, language="en")
    assert ">edited<" in page or "edited ·" in page
    assert "redigeret" not in page
