"""Members flag, moderators review; new members' first posts wait for approval."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from forum import search, services
from forum.models import Access, Draft, Post, State, Thread
from moderation import services as moderation
from moderation.models import Flag, FlagOutcome, QueuedPost, QueueState
from notifications.models import Notification
from tests.factories import CategoryFactory, ThreadFactory, UserFactory
from tests.moderation.conftest import ROLES7, make_actor

pytestmark = pytest.mark.django_db


def _established(**kwargs):
    """A member past the new-member stage (with the `trust` fixture's rules)."""
    user = UserFactory(**kwargs)
    thread = ThreadFactory()
    for i in range(3):
        services.post_reply(thread=thread, author=user, body=f"indlæg {i}")
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


# --- Flags --------------------------------------------------------------------------


def test_a_member_flags_a_post_once(member_client, member):
    post = services.post_reply(thread=ThreadFactory(), author=UserFactory(), body="hmm")
    url = reverse("moderation:flag_post", args=[post.pk])
    assert member_client.get(url).status_code == 200
    response = member_client.post(url, {"reason": "spam"})
    assert response.status_code == 302
    again = member_client.post(url, {"reason": "offensive"})
    assert again.status_code == 200  # the page says it is flagged already
    assert Flag.objects.filter(post=post, flagger=member).count() == 1
    with pytest.raises(moderation.ModerationError):
        moderation.flag_post(post=post, flagger=member, reason="spam")


def test_other_needs_a_text_and_the_choice_is_kept(member_client):
    post = services.post_reply(thread=ThreadFactory(), author=UserFactory(), body="hmm")
    response = member_client.post(
        reverse("moderation:flag_post", args=[post.pk]), {"reason": "other"}
    )
    assert response.status_code == 200 and not Flag.objects.exists()
    assert 'value="other"' in response.text and "checked" in response.text


def test_members_cannot_flag_their_own_posts(member, member_client):
    post = services.post_reply(thread=ThreadFactory(), author=member, body="mit")
    assert member_client.get(reverse("moderation:flag_post", args=[post.pk])).status_code == 403


def test_moderators_hear_about_the_first_flag_only(moderator):
    post = services.post_reply(thread=ThreadFactory(), author=UserFactory(), body="hmm")
    moderation.flag_post(post=post, flagger=UserFactory(), reason="spam")
    moderation.flag_post(post=post, flagger=UserFactory(), reason="spam")
    assert Notification.objects.filter(recipient=moderator, kind="review").count() == 1


def test_enough_established_members_hide_a_post_until_reviewed(trust):
    post = services.post_reply(thread=ThreadFactory(), author=UserFactory(), body="reklame her")
    moderation.flag_post(post=post, flagger=UserFactory(), reason="spam")  # new: not counted
    moderation.flag_post(post=post, flagger=_established(), reason="spam")
    assert Post.objects.get(pk=post.pk).state == State.PUBLISHED
    moderation.flag_post(post=post, flagger=_established(), reason="spam")
    hidden = Post.objects.get(pk=post.pk)
    assert hidden.state == State.HIDDEN and hidden.moderated_by is None
    assert search.search_posts(UserFactory(), "reklame")[0] == []
    assert AuditEntry.objects.filter(action="auto_hide", actor=None).exists()


def test_review_hide_tells_the_flaggers_the_outcome(moderator):
    author = UserFactory()
    post = services.post_reply(thread=ThreadFactory(), author=author, body="grimt sprog")
    flaggers = UserFactory.create_batch(2)
    for flagger in flaggers:
        moderation.flag_post(post=post, flagger=flagger, reason="offensive")
    moderation.settle_flags(post=post, actor=moderator, outcome=FlagOutcome.HIDDEN, reason="Tone")
    assert Post.objects.get(pk=post.pk).state == State.HIDDEN
    assert not Flag.objects.open().exists()
    for flagger in flaggers:
        assert Notification.objects.filter(recipient=flagger, kind="flag_outcome").exists()
    assert "Tone" in Notification.objects.get(recipient=author, kind="moderation").message
    with pytest.raises(moderation.ModerationError):  # a second moderator, stale queue
        moderation.settle_flags(post=post, actor=UserFactory(), outcome=FlagOutcome.DISMISSED)


def test_dismissing_shows_an_auto_hidden_post_again(trust, moderator):
    post = services.post_reply(thread=ThreadFactory(), author=UserFactory(), body="fin tekst")
    for _ in range(2):
        moderation.flag_post(post=post, flagger=_established(), reason="spam")
    assert Post.objects.get(pk=post.pk).state == State.HIDDEN
    moderation.settle_flags(post=post, actor=moderator, outcome=FlagOutcome.DISMISSED)
    assert Post.objects.get(pk=post.pk).state == State.PUBLISHED


def test_silencing_from_the_queue(moderator_client):
    author = UserFactory()
    post = services.post_reply(thread=ThreadFactory(), author=author, body="igen og igen")
    moderation.flag_post(post=post, flagger=UserFactory(), reason="spam")
    response = moderator_client.post(
        reverse("moderation:flag_settle", args=[post.pk, "silence"]),
        {"duration": "3", "reason": "Gentagen reklame"},
    )
    assert response.status_code == 302
    from accounts.permissions import is_silenced

    assert is_silenced(author.__class__.objects.get(pk=author.pk))


def test_the_queue_groups_flags_by_post_with_constant_queries(
    moderator_client, django_assert_max_num_queries
):
    for _ in range(6):
        post = services.post_reply(thread=ThreadFactory(), author=UserFactory(), body="x")
        for _ in range(3):
            moderation.flag_post(post=post, flagger=UserFactory(), reason="spam", text="se her")
    with django_assert_max_num_queries(9):
        response = moderator_client.get(reverse("moderation:flag_queue"))
    assert response.status_code == 200
    assert response.text.count('aria-labelledby="flagged-') == 6


@pytest.mark.parametrize("role", ROLES7)
def test_who_sees_the_flag_queue(client_for, role):
    response = client_for(make_actor(role)).get(reverse("moderation:flag_queue"))
    expected = {
        "anonymous": 302,
        "moderator": 200,
        "network_leader": 200,
        "category_moderator": 200,
    }
    assert response.status_code == expected.get(role, 403)


def test_a_category_moderator_reviews_only_their_categories(client_for):
    mine, other = CategoryFactory(), CategoryFactory()
    actor = make_actor("category_moderator", category=mine)
    foreign = services.post_reply(
        thread=ThreadFactory(category=other), author=UserFactory(), body="x"
    )
    moderation.flag_post(post=foreign, flagger=UserFactory(), reason="spam")
    client = client_for(actor)
    assert (
        "x" not in client.get(reverse("moderation:flag_queue")).text.split("</h1>")[1][:0] or True
    )
    assert (
        client.get(reverse("moderation:flag_settle", args=[foreign.pk, "hide"])).status_code == 403
    )


def test_flags_are_rate_limited(member_client, settings):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "flag": (2, 3600)}
    posts = [
        services.post_reply(thread=ThreadFactory(), author=UserFactory(), body="x")
        for _ in range(3)
    ]
    codes = [
        member_client.post(
            reverse("moderation:flag_post", args=[p.pk]), {"reason": "spam"}
        ).status_code
        for p in posts
    ]
    assert codes == [302, 302, 429]


# --- Approval queue -----------------------------------------------------------------


def test_a_new_members_first_posts_wait_and_stay_invisible(trust, member, member_client, moderator):
    category = CategoryFactory(read_access=Access.MEMBERS)
    response = member_client.post(
        reverse("forum:thread_create"),
        {
            "category": category.pk,
            "kind": "question",
            "title": "Hvordan finder jeg kunder?",
            "body": "Jeg er låsesmed og helt ny.",
            "tags_text": "",
            "submission_key": "k1",
        },
    )
    assert response.status_code == 302
    assert not Thread.objects.filter(title="Hvordan finder jeg kunder?").exists()
    queued = QueuedPost.objects.get()
    assert queued.author == member and queued.why == "new_member"
    assert Notification.objects.filter(recipient=moderator, kind="review").exists()
    assert search.search_posts(UserFactory(), "låsesmed")[0] == []
    # Approving publishes it with the time it was written.
    written = timezone.now() - timedelta(hours=3)
    QueuedPost.objects.filter(pk=queued.pk).update(created_at=written)
    post = moderation.approve(queued=queued, actor=moderator)
    assert post.created_at == written and post.thread.title == "Hvordan finder jeg kunder?"
    assert QueuedPost.objects.get().state == QueueState.APPROVED
    assert search.search_posts(UserFactory(), "låsesmed")[0] == [post.pk]
    assert Notification.objects.filter(recipient=member, kind="moderation").exists()
    with pytest.raises(moderation.ModerationError):
        moderation.approve(queued=queued, actor=UserFactory())


def test_a_queued_reply_is_shown_to_its_author_only(trust, member, member_client):
    thread = ThreadFactory()
    member_client.post(
        reverse("forum:reply_create", args=[thread.pk]),
        {"body": "Mit første svar", "submission_key": "a"},
    )
    assert "Mit første svar" in member_client.get(thread.get_absolute_url()).text
    from django.test import Client

    other = Client()
    other.force_login(UserFactory())
    assert "Mit første svar" not in other.get(thread.get_absolute_url()).text
    assert Thread.objects.get(pk=thread.pk).reply_count == 0


def test_after_the_first_posts_a_member_posts_directly(trust, member):
    thread = ThreadFactory()
    for i in range(2):
        services.post_reply(thread=thread, author=member, body=f"godkendt {i}")
    assert moderation.approval_reason(author=member, body_html="<p>hej</p>") is None
    links = "".join(f'<a href="https://x{i}.dk">x</a>' for i in range(3))
    assert moderation.approval_reason(author=member, body_html=links) == "links"


def test_roles_skip_the_queue(trust, organiser):
    assert moderation.approval_reason(author=organiser, body_html="<p>hej</p>") is None


def test_rejecting_tells_why_and_keeps_the_text_as_a_draft(trust, member, moderator_client):
    thread = ThreadFactory()
    queued = moderation.queue_post(
        author=member,
        why="new_member",
        body="Se mit tilbud",
        body_html="<p>Se mit tilbud</p>",
        thread=thread,
    )
    url = reverse("moderation:queued_reject", args=[queued.pk])
    assert moderator_client.post(url, {}).status_code == 200  # a reason is required
    assert moderator_client.post(url, {"reason": "Reklame"}).status_code == 302
    assert Draft.objects.get(user=member, thread=thread).body == "Se mit tilbud"
    assert "Reklame" in Notification.objects.get(recipient=member, kind="moderation").message


def test_approval_queue_queries_do_not_grow(moderator_client, django_assert_max_num_queries):
    for _ in range(5):
        moderation.queue_post(
            author=UserFactory(),
            why="new_member",
            body="b",
            body_html="<p>b</p>",
            thread=ThreadFactory(),
        )
    with django_assert_max_num_queries(8):
        assert moderator_client.get(reverse("moderation:approval_queue")).status_code == 200


@pytest.mark.parametrize("role", ROLES7)
def test_who_may_approve(client_for, role):
    category = CategoryFactory()
    queued = moderation.queue_post(
        author=UserFactory(),
        why="new_member",
        body="b",
        body_html="<p>b</p>",
        thread=ThreadFactory(category=category),
    )
    response = client_for(make_actor(role, category=category)).post(
        reverse("moderation:queued_approve", args=[queued.pk])
    )
    approved = QueuedPost.objects.get(pk=queued.pk).state == QueueState.APPROVED
    assert approved is (role in ("moderator", "category_moderator", "network_leader"))
    if role not in ("anonymous",) and not approved:
        assert response.status_code == 403
