"""The thread page keeps each rendered post (forum/fragments.py): whatever
changes what a post shows must show up on the next view."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from forum import services
from forum.fragments import AUTHOR_FIELDS, POST_FIELDS
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


def test_posts_are_kept_and_used_again(member_client, thread_and_reply):
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


def test_a_bookmark_shows_at_once(member_client, member, thread_and_reply):
    thread, reply = thread_and_reply
    assert "Gemt som bogmærke" not in _page(member_client, thread)
    services.toggle_bookmark(post=reply, user=member)
    assert "Gemt som bogmærke" in _page(member_client, thread)


def test_each_reader_gets_their_own_working_csrf_token(thread_and_reply):
    """A kept post's forms carry the token of the page they are shown on."""
    thread, reply = thread_and_reply
    tokens = []
    for name in ("Aase", "Bent"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory(display_name=name))
        page = _page(client, thread)
        thanks = reverse("forum:toggle_reaction", args=[reply.pk])
        form = page[page.index(f'action="{thanks}"') :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        assert "standin" not in token
        tokens.append(token)
        response = client.post(thanks, {"csrfmiddlewaretoken": token})
        assert response.status_code in (200, 204, 302)
    assert tokens[0] != tokens[1]
    assert reply.reactions.count() == 2


def _template_reads(name: str, variable: str) -> set[str]:
    text = Path(settings.BASE_DIR, "templates", name).read_text()
    return set(re.findall(rf"\b{variable}\.(\w+)", text))


def test_the_key_holds_everything_the_templates_read():
    """A value the post templates print but the key does not hold would show
    stale: adding one to a template means adding it to forum/fragments.py."""
    derived = {"urls", "thankers", "actions", "author", "get_absolute_url"}  # keyed apart
    for name in ("forum/_post.html", "forum/_post_header.html"):
        assert _template_reads(name, "post") - set(POST_FIELDS) - derived == set(), name
        assert (
            _template_reads(name, "post.author") - set(AUTHOR_FIELDS) - {"get_absolute_url"}
            == set()
        ), name
        assert _template_reads(name, "thanker") <= {"display_name"}
        assert _template_reads(name, "action") <= {"label", "url", "css_class", "suffix"}


def test_the_kept_reply_form_is_the_form_with_a_fresh_submission_key(
    member_client, thread_and_reply
):
    from django.template.loader import render_to_string

    from forum.forms import ReplyForm
    from forum.fragments import reply_form_html

    thread, _reply = thread_and_reply
    keys = set()
    for _ in range(2):
        page = _page(member_client, thread)
        keys |= set(re.findall(r'name="submission_key" value="([0-9a-f]{32})"', page))
    assert len(keys) == 2  # one per page view, never the stand-in
    form = ReplyForm()
    form.enable_autosave(reverse("forum:reply_create", args=[thread.pk]))
    assert reply_form_html(form) == render_to_string("components/form.html", {"form": form})
    drafted = ReplyForm(initial={"body": "Mit udkast"})
    assert reply_form_html(drafted) is None  # a draft's text is rendered as usual


def test_search_hits_and_form_show_changes_at_once(member_client, thread_and_reply):
    thread, _reply = thread_and_reply
    url = reverse("forum:search")
    assert "Moms ved salg til EU" in member_client.get(url, {"q": "moms"}).content.decode()
    thread.title = "Moms ved salg til Norge"
    thread.save(update_fields=["title"])
    page = member_client.get(url, {"q": "moms"}).content.decode()
    assert "Moms ved salg til Norge" in page
    assert 'value="moms"' in page
    assert 'value="skat"' in member_client.get(url, {"q": "skat"}).content.decode()


def test_the_hit_key_holds_everything_the_template_reads():
    text = Path(settings.BASE_DIR, "templates", "forum/_search_hit.html").read_text()
    assert set(re.findall(r"\bpost\.(\w+)", text)) <= {
        "thread",
        "get_absolute_url",
        "language",
        "snippet",
        "author",
        "created_at",
    }
    assert set(re.findall(r"\bpost\.thread\.(\w+)", text)) <= {
        "is_solved",
        "language",
        "title",
        "category",
        "reply_count",
    }
    assert set(re.findall(r"\bpost\.author\.(\w+)", text)) <= {"language", "display_name"}


def test_an_edited_text_gives_a_new_snippet_at_once(member_client, thread_and_reply):
    _thread, reply = thread_and_reply
    url = reverse("forum:search")
    services.edit_post(post=reply, editor=reply.author, body="Kassekredit hos banken.")
    page = member_client.get(url, {"q": "kassekredit "}).content.decode()
    assert "<mark>Kassekredit</mark> hos banken." in page
    services.edit_post(post=reply, editor=reply.author, body="Kassekredit hos sparekassen.")
    page = member_client.get(url, {"q": "kassekredit "}).content.decode()
    assert "<mark>Kassekredit</mark> hos sparekassen." in page
