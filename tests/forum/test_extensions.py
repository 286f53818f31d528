"""The forum's sockets (forum/extensions.py): what a higher app plugs in takes
effect, and unregistering removes it cleanly."""

import pytest
from django.urls import reverse

from forum import extensions, services
from forum.models import Post, Thread
from netvaerk.extensions import Check, Panel
from tests.factories import CategoryFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plugged():
    """Plug test items into sockets; each is unplugged after the test."""
    added = []

    def plug(socket, item=None, *, name="test.throwaway", receiver=None):
        if item is None:
            socket.connect(name, receiver)
        else:
            socket.register(item)
            name = item.name
        added.append((socket, name))
        return name

    yield plug
    for socket, name in added:
        socket.unregister(name)


def _panel(throwaway_template, text):
    return Panel(
        "test.throwaway",
        throwaway_template,
        lambda *, request, thread, **_: {"text": f"{text} {thread.title}"},
    )


def test_the_higher_apps_are_plugged_in():
    assert "moderation.thread_tools" in extensions.thread_tools
    assert extensions.thread_panels.names() == [
        "letters.announcement_progress",
        "relay.asker_status",
        "viden.thread_cards",
        "needs.thread_signal",
        "moderation.queued_replies",
    ]
    assert "viden.search_cards" in extensions.search_panels
    assert "viden.similar_cards" in extensions.similar_panels
    assert "letters.announcements" in extensions.thread_started
    assert "moderation.post_actions" in extensions.post_actions
    assert "moderation.approval" in extensions.publishing_gate
    assert "moderation.record_edit" in extensions.post_edited_by_moderator
    assert "duties.on_duty" in extensions.index_aside


def test_registering_again_replaces_instead_of_doubling():
    from moderation import plugins

    before = extensions.thread_panels.names()
    plugins.register()
    assert extensions.thread_panels.names() == before


@pytest.mark.parametrize("socket", ["thread_panels", "thread_tools"])
def test_a_thread_page_panel_shows_until_unregistered(
    member_client, plugged, throwaway_template, socket
):
    thread = ThreadFactory(title="Moms")
    name = plugged(getattr(extensions, socket), _panel(throwaway_template, "Plugged into"))
    page = member_client.get(thread.get_absolute_url()).text
    assert '<p class="throwaway">Plugged into Moms</p>' in page
    getattr(extensions, socket).unregister(name)
    assert "throwaway" not in member_client.get(thread.get_absolute_url()).text


def test_a_panel_that_returns_none_shows_nothing(member_client, plugged, throwaway_template):
    thread = ThreadFactory()
    plugged(
        extensions.thread_panels,
        Panel("test.throwaway", throwaway_template, lambda **_: None),
    )
    assert "throwaway" not in member_client.get(thread.get_absolute_url()).text


def test_the_tools_stand_above_the_posts_and_the_panels_below(
    member_client, plugged, throwaway_template
):
    thread = ThreadFactory()
    plugged(extensions.thread_tools, _panel(throwaway_template, "Tools"))
    plugged(
        extensions.thread_panels,
        Panel(
            "test.throwaway.below",
            throwaway_template,
            lambda **_: {"text": "Below"},
        ),
    )
    html = member_client.get(thread.get_absolute_url()).text
    first_post = html.index(f'id="post-{thread.posts.get().pk}"')
    assert html.index(">Tools ") < first_post < html.index(">Below<")


def test_a_post_action_is_rendered_per_post_until_unregistered(member_client, plugged):
    author = UserFactory(display_name="Anna Berg")
    thread = ThreadFactory(author=author)
    reply = PostFactory(thread=thread, author=author)

    def actions(*, user, post):
        return [extensions.PostAction("Throwaway", f"/x/{post.pk}/", "btn-link", "Anna Berg")]

    name = plugged(extensions.post_actions, receiver=actions)
    html = member_client.get(thread.get_absolute_url()).text
    for post in thread.posts.all():
        assert (
            f'<a class="btn btn-sm btn-link" href="/x/{post.pk}/">Throwaway'
            '<span class="visually-hidden"> – Anna Berg</span></a>'
        ) in html
    extensions.post_actions.unregister(name)
    assert f"/x/{reply.pk}/" not in member_client.get(thread.get_absolute_url()).text


def test_post_actions_add_no_queries_per_post(
    member_client, plugged, django_assert_max_num_queries
):
    thread = ThreadFactory()
    PostFactory.create_batch(5, thread=thread)
    plugged(
        extensions.post_actions,
        receiver=lambda *, user, post: [extensions.PostAction("X", "/x/")],
    )
    with django_assert_max_num_queries(8):  # the thread page's own cap
        assert member_client.get(thread.get_absolute_url()).status_code == 200


def test_an_index_aside_panel_shows_until_unregistered(client, plugged, throwaway_template):
    name = plugged(
        extensions.index_aside,
        Panel("test.throwaway", throwaway_template, lambda *, request: {"text": "Beside"}),
    )
    html = client.get(reverse("forum:index")).text
    assert '<aside class="col-lg-3">' in html and '<p class="throwaway">Beside</p>' in html
    extensions.index_aside.unregister(name)
    # A visitor sees no on-duty box, so without the panel there is no side column.
    assert "<aside" not in client.get(reverse("forum:index")).text


# --- Publishing -------------------------------------------------------------------


def test_submit_thread_publishes_when_the_gate_has_no_objection(member):
    category = CategoryFactory()
    outcome = services.submit_thread(
        category=category, author=member, title="Moms", kind="question", body="Hvordan?"
    )
    assert isinstance(outcome.published, Thread) and not outcome.held
    assert outcome.published.title == "Moms"
    assert outcome.message == "Din tråd er udgivet."


def test_submit_reply_publishes_when_the_gate_has_no_objection(member):
    thread = ThreadFactory()
    outcome = services.submit_reply(thread=thread, author=member, body="Sådan!")
    assert isinstance(outcome.published, Post) and not outcome.held
    assert outcome.published.thread_id == thread.pk and outcome.published.number == 2
    assert outcome.message == "Dit svar er sendt."


def test_a_gate_check_holds_a_post_until_unregistered(member, plugged):
    thread = ThreadFactory()
    asked = []

    def hold(**kwargs):
        asked.append(kwargs)
        return extensions.Outcome(published=None, held=True, message="Held")

    name = plugged(extensions.publishing_gate, Check("test.throwaway", hold, order=1))
    outcome = services.submit_reply(thread=thread, author=member, body="*Hej*", submission_key="k")
    assert outcome == extensions.Outcome(published=None, held=True, message="Held")
    assert thread.posts.count() == 1
    assert asked[0]["thread"] == thread and asked[0]["author"] == member
    assert asked[0]["body_html"] == "<p><em>Hej</em></p>"
    assert asked[0]["submission_key"] == "k" and asked[0]["category"] is None
    outcome = services.submit_thread(
        category=thread.category, author=member, title="T", kind="question", body="B", tags=["a"]
    )
    assert outcome.held and asked[1]["thread"] is None and asked[1]["tags"] == ["a"]
    assert not Thread.objects.filter(title="T").exists()
    extensions.publishing_gate.unregister(name)
    assert services.submit_reply(thread=thread, author=member, body="Hej").published is not None


def test_the_views_turn_a_held_outcome_into_a_message(member_client, plugged):
    thread = ThreadFactory()
    plugged(
        extensions.publishing_gate,
        Check(
            "test.throwaway",
            lambda **_: extensions.Outcome(published=None, held=True, message="Venter"),
            order=1,
        ),
    )
    response = member_client.post(
        reverse("forum:reply_create", args=[thread.pk]),
        {"body": "Mit svar", "submission_key": "a"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == thread.get_absolute_url()
    assert [str(m) for m in response.context["messages"]] == ["Venter"]


# --- A moderator's edit -----------------------------------------------------------


def test_a_moderators_edit_calls_the_hook_until_unregistered(moderator, plugged):
    post = ThreadFactory().posts.get()
    heard = []
    name = plugged(
        extensions.post_edited_by_moderator,
        receiver=lambda **kwargs: heard.append(kwargs),
    )
    services.edit_post_as_moderator(
        post=post, moderator=moderator, body="Rettet", title=None, reason="Stavefejl"
    )
    assert heard == [{"post": heard[0]["post"], "moderator": moderator, "reason": "Stavefejl"}]
    assert heard[0]["post"].body == "Rettet"
    extensions.post_edited_by_moderator.unregister(name)
    services.edit_post_as_moderator(
        post=post, moderator=moderator, body="Igen", title=None, reason="Mere"
    )
    assert len(heard) == 1


def test_an_unregistered_name_is_ignored():
    extensions.thread_panels.unregister("test.never-registered")
    assert "test.never-registered" not in extensions.thread_panels


def test_a_page_without_plugins_still_renders(member_client):
    """The forum works alone: take every panel out for one request."""
    thread = ThreadFactory()
    saved = {socket: list(socket) for socket in (extensions.thread_tools, extensions.thread_panels)}
    try:
        for socket, items in saved.items():
            for item in items:
                socket.unregister(item.name)
        assert member_client.get(thread.get_absolute_url()).status_code == 200
    finally:
        for socket, items in saved.items():
            for item in items:
                socket.register(item)
