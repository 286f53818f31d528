"""What moderation plugs into the forum (moderation/plugins.py): the post
actions, the approval check of the publishing gate, the moderator-edit hook."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry, User
from forum import services
from forum.extensions import Outcome
from forum.models import Post, State, Thread
from moderation import plugins
from moderation import services as moderation
from moderation.models import Flag, FlagOutcome, QueuedPost, QueueState
from tests.factories import CategoryFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def _labels(user, post):
    user = User.objects.with_access().get(pk=user.pk)
    post = Post.objects.select_related("thread", "author").get(pk=post.pk)
    return [(a.label, a.css_class) for a in plugins.post_actions(user=user, post=post)]


@pytest.mark.parametrize(
    ("who", "state", "expected"),
    [
        ("member", State.PUBLISHED, [("Anmeld", "btn-outline-secondary")]),
        ("member", State.HIDDEN, []),
        ("author", State.PUBLISHED, []),
        (
            "moderator",
            State.PUBLISHED,
            [
                ("Anmeld", "btn-outline-secondary"),
                ("Skjul", "btn-outline-danger"),
                ("Slet", "btn-outline-danger"),
                ("Opdel herfra", "btn-outline-secondary"),
            ],
        ),
        (
            "moderator",
            State.HIDDEN,
            [
                ("Vis igen", "btn-outline-secondary"),
                ("Slet", "btn-outline-danger"),
                ("Opdel herfra", "btn-outline-secondary"),
            ],
        ),
        ("moderator", State.DELETED, [("Opdel herfra", "btn-outline-secondary")]),
        (
            "network_leader",
            State.DELETED,
            [("Gendan", "btn-outline-secondary"), ("Opdel herfra", "btn-outline-secondary")],
        ),
    ],
)
def test_the_post_actions_moderation_adds(who, state, expected, moderator, network_leader):
    author = UserFactory()
    reply = PostFactory(thread=ThreadFactory(), author=author, state=state)
    user = {"member": UserFactory(), "author": author, "moderator": moderator}.get(
        who, network_leader
    )
    assert _labels(user, reply) == expected


def test_a_first_post_offers_moderators_only_the_flag(moderator):
    first = ThreadFactory().posts.get()
    assert _labels(moderator, first) == [("Anmeld", "btn-outline-secondary")]


def test_the_post_actions_link_to_moderation_and_run_no_queries(
    moderator, django_assert_num_queries
):
    reply = PostFactory(thread=ThreadFactory(), author=UserFactory(display_name="Bo Ravn"))
    user = User.objects.with_access().get(pk=moderator.pk)
    post = Post.objects.select_related("thread", "author").get(pk=reply.pk)
    user._moderated_category_ids = frozenset()  # the page has asked once already
    with django_assert_num_queries(0):
        actions = plugins.post_actions(user=user, post=post)
    assert [a.url for a in actions] == [
        reverse("moderation:flag_post", args=[reply.pk]),
        reverse("moderation:post_hide", args=[reply.pk]),
        reverse("moderation:post_delete", args=[reply.pk]),
        reverse("moderation:thread_split", args=[reply.thread_id]) + f"?fra={reply.pk}",
    ]
    assert {a.suffix for a in actions} == {"Bo Ravn"}


def test_the_thread_page_shows_the_moderators_links(moderator_client):
    reply = PostFactory(thread=ThreadFactory(), author=UserFactory(display_name="Bo Ravn"))
    html = moderator_client.get(reply.thread.get_absolute_url()).text
    assert (
        f'<a class="btn btn-sm btn-outline-danger" href="'
        f'{reverse("moderation:post_hide", args=[reply.pk])}">Skjul'
        '<span class="visually-hidden"> – Bo Ravn</span></a>'
    ) in html
    assert 'aria-label="Moderér tråden"' in html
    assert reverse("moderation:thread_lock", args=[reply.thread_id]) in html


# --- The approval check of the publishing gate --------------------------------------


def test_a_new_members_reply_is_held_and_queued(trust, member):
    thread = ThreadFactory()
    outcome = services.submit_reply(
        thread=thread, author=member, body="Mit første svar", submission_key="k"
    )
    assert outcome.held and outcome.published is None
    assert outcome.message.startswith("Tak!")
    queued = QueuedPost.objects.get()
    assert (queued.thread, queued.why, queued.body_html) == (
        thread,
        "new_member",
        "<p>Mit første svar</p>",
    )
    assert thread.posts.count() == 1
    # The same submission again is the same queued post.
    again = services.submit_reply(
        thread=thread, author=member, body="Mit første svar", submission_key="k"
    )
    assert again == outcome and QueuedPost.objects.count() == 1


def test_a_new_members_thread_is_held_with_its_tags(trust, member):
    category = CategoryFactory()
    outcome = services.submit_thread(
        category=category,
        author=member,
        title="Kunder?",
        kind="question",
        body="Hvordan?",
        tags=["salg", "kunder"],
    )
    assert outcome == Outcome(published=None, held=True, message=outcome.message)
    assert outcome.held and not Thread.objects.filter(title="Kunder?").exists()
    queued = QueuedPost.objects.get()
    assert (queued.category, queued.title, queued.kind, queued.tags_text) == (
        category,
        "Kunder?",
        "question",
        "salg, kunder",
    )


def test_members_with_roles_are_published_at_once(trust, organiser):
    outcome = services.submit_reply(thread=ThreadFactory(), author=organiser, body="Hej")
    assert not outcome.held and outcome.published.body == "Hej"
    assert not QueuedPost.objects.exists()


def test_approving_publishes_without_asking_the_gate_again(trust, member, moderator):
    thread = ThreadFactory()
    services.submit_reply(thread=thread, author=member, body="Vent på mig")
    post = moderation.approve(queued=QueuedPost.objects.get(), actor=moderator)
    assert post.thread_id == thread.pk and post.body == "Vent på mig"
    assert QueuedPost.objects.get().state == QueueState.APPROVED
    assert QueuedPost.objects.count() == 1  # not queued a second time
    outcome = services.submit_thread(
        category=thread.category, author=member, title="Ny", kind="question", body="Hej"
    )
    moderation.approve(queued=QueuedPost.objects.get(title="Ny"), actor=moderator)
    assert outcome.held and Thread.objects.filter(title="Ny").exists()


# --- A moderator's edit --------------------------------------------------------------


def test_a_moderators_edit_is_logged_and_settles_the_flags(moderator, moderator_client):
    reply = PostFactory(thread=ThreadFactory(), author=UserFactory(), body="Køb nu")
    flagger = UserFactory()
    moderation.flag_post(post=reply, flagger=flagger, reason="spam")
    response = moderator_client.post(
        reverse("forum:post_edit", args=[reply.pk]), {"body": "[fjernet]", "reason": "Reklame"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="edit")
    assert (entry.actor, entry.target_id, entry.reason) == (moderator, reply.pk, "Reklame")
    assert Flag.objects.get().outcome == FlagOutcome.EDITED
    assert reply.revisions.last().reason == "Reklame"


def test_authors_editing_their_own_post_are_not_logged(member, member_client):
    reply = PostFactory(thread=ThreadFactory(), author=member, body="Før")
    member_client.post(reverse("forum:post_edit", args=[reply.pk]), {"body": "Efter"})
    assert not AuditEntry.objects.filter(action="edit").exists()
