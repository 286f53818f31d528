"""Thread lists keep each rendered row (forum/rows.py): whatever changes what a
row shows must show up on the next view."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from forum import services
from forum.rows import THREAD_ROW_FIELDS
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    return services.start_thread(
        category=CategoryFactory(name="Skat"), author=UserFactory(display_name="Louise Holm"),
        title="Moms ved salg til EU", kind="question", body="Hvordan gør I?",
    )  # fmt: skip


def _latest(client) -> str:
    response = client.get("/forum/seneste/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_reply_shows_at_once(member_client, thread):
    assert "0 svar" in _latest(member_client)
    services.post_reply(thread=thread, author=UserFactory(display_name="Bo Berg"), body="Sådan.")
    page = _latest(member_client)
    assert "1 svar" in page and "Bo Berg" in page


def test_a_new_title_name_and_tag_show_at_once(member_client, thread):
    _latest(member_client)
    thread.title = "Moms ved salg til Norge"
    thread.save(update_fields=["title"])
    thread.author.display_name = "Louise Holm Jensen"
    thread.author.save(update_fields=["display_name"])
    page = _latest(member_client)
    assert "Moms ved salg til Norge" in page and "Louise Holm Jensen" in page


def test_reading_the_thread_clears_the_unread_mark_at_once(member_client, thread):
    assert "is-unread" in _latest(member_client)
    member_client.get(thread.get_absolute_url())
    assert "is-unread" not in _latest(member_client)


def test_rows_are_kept_and_used_again(member_client, thread):
    from django.core.cache import caches

    _latest(member_client)
    kept = len(caches["fragments"]._cache)
    _latest(member_client)
    assert len(caches["fragments"]._cache) == kept


def test_the_key_holds_everything_the_row_template_reads():
    text = Path(settings.BASE_DIR, "templates", "forum/_thread_row.html").read_text()
    derived = {"author", "category", "tag_list", "get_absolute_url"}  # keyed apart
    assert set(re.findall(r"\bthread\.(\w+)", text)) - set(THREAD_ROW_FIELDS) - derived == set()
    assert set(re.findall(r"\bthread\.author\.(\w+)", text)) <= {"display_name", "language"}
    assert set(re.findall(r"\bthread\.category\.(\w+)", text)) <= {"name", "get_absolute_url"}
    assert set(re.findall(r"\btag\.(\w+)", text)) <= {"name", "get_absolute_url"}


def test_the_kept_thread_count_follows_new_and_hidden_threads(member_client, thread):
    from moderation import services as moderation

    def counted():
        response = member_client.get("/forum/seneste/")
        return response.context["page_obj"].paginator.count

    before = counted()
    assert counted() == before  # kept
    second = services.start_thread(
        category=thread.category, author=UserFactory(), title="Bogføring af kørsel",
        kind="question", body="Hvordan?",
    )  # fmt: skip
    assert counted() == before + 1
    moderation.hide_thread(thread=second, actor=UserFactory(), reason="Spam")
    assert counted() == before
