"""Pin, lock, move, hide, delete, restore: services, notices and the audit log."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from forum import search, services
from forum.models import Access, Category, State, Thread
from moderation import services as moderation
from moderation.models import AuditAction
from notifications.models import Notification
from tests.factories import CategoryFactory, ThreadFactory, UserFactory
from tests.moderation.conftest import ROLES7, make_actor

pytestmark = pytest.mark.django_db


def _hits(user, text):
    ids, _ = search.search_posts(user, text)
    return ids


def test_lock_shows_who_and_why_in_the_thread_and_blocks_replies(moderator, member_client):
    thread = ThreadFactory(category=CategoryFactory(read_access=Access.MEMBERS))
    moderation.lock_thread(thread=thread, actor=moderator, reason="Emnet er udtømt")
    page = member_client.get(thread.get_absolute_url()).text
    assert "Emnet er udtømt" in page and moderator.display_name in page
    response = member_client.post(reverse("forum:reply_create", args=[thread.pk]), {"body": "x"})
    assert response.status_code == 302  # kept as a draft, never posted
    assert Thread.objects.get(pk=thread.pk).reply_count == 0
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.reason) == (
        moderator,
        AuditAction.LOCK,
        "Emnet er udtømt",
    )


def test_a_second_moderator_on_a_stale_page_gets_a_message_not_a_second_lock(moderator):
    thread = ThreadFactory()
    moderation.lock_thread(thread=thread, actor=moderator, reason="1")
    with pytest.raises(moderation.ModerationError):
        moderation.lock_thread(thread=thread, actor=UserFactory(), reason="2")
    assert AuditEntry.objects.count() == 1


def test_stale_lock_form_keeps_the_reason_and_answers_409(moderator, moderator_client):
    thread = ThreadFactory()
    moderation.lock_thread(thread=thread, actor=moderator, reason="først")
    response = moderator_client.post(
        reverse("moderation:thread_lock", args=[thread.pk]), {"reason": "min begrundelse"}
    )
    assert response.status_code == 409
    assert "min begrundelse" in response.text


def test_missing_reason_is_a_form_error(moderator_client):
    thread = ThreadFactory()
    response = moderator_client.post(reverse("moderation:thread_lock", args=[thread.pk]), {})
    assert response.status_code == 200
    assert not Thread.objects.get(pk=thread.pk).is_locked


def test_pin_and_unpin(moderator):
    thread = ThreadFactory()
    moderation.set_pinned(thread=thread, actor=moderator, pinned=True)
    assert Thread.objects.get(pk=thread.pk).is_pinned
    moderation.set_pinned(thread=thread, actor=moderator, pinned=False)
    assert not Thread.objects.get(pk=thread.pk).is_pinned
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["unpin", "pin"]


def test_move_updates_both_categories_counts(moderator):
    old, new = CategoryFactory(), CategoryFactory()
    thread = services.start_thread(
        category=old, author=UserFactory(), title="Flyt mig", kind="question", body="tekst"
    )
    services.post_reply(thread=thread, author=UserFactory(), body="svar")
    moderation.move_thread(thread=thread, actor=moderator, category=new, reason="Hører hjemme her")
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.thread_count, old.post_count, new.thread_count, new.post_count) == (0, 0, 1, 2)
    assert Thread.objects.get(pk=thread.pk).category == new


def test_hidden_thread_leaves_lists_and_search_but_its_author_sees_why(moderator, member):
    category = CategoryFactory(read_access=Access.MEMBERS)
    thread = services.start_thread(
        category=category,
        author=member,
        title="Skjult emne",
        kind="question",
        body="hemmelighedskræmmer",
    )
    reader = UserFactory()
    assert _hits(reader, "hemmelighedskræmmer")
    moderation.hide_thread(thread=thread, actor=moderator, reason="Reklame")
    assert _hits(reader, "hemmelighedskræmmer") == []
    from django.test import Client

    other = Client()
    other.force_login(reader)
    assert other.get(thread.get_absolute_url()).status_code == 404
    assert thread.title not in other.get(reverse("forum:latest")).text
    author = Client()
    author.force_login(member)
    page = author.get(thread.get_absolute_url())
    assert page.status_code == 200 and "Reklame" in page.text
    assert Notification.objects.filter(recipient=member, kind="moderation").exists()
    category.refresh_from_db()
    assert category.thread_count == 0
    moderation.unhide_thread(thread=thread, actor=moderator)
    assert _hits(reader, "hemmelighedskræmmer")


def test_hidden_post_shows_a_notice_to_others_and_the_reason_to_its_author(moderator, member):
    from django.test import Client

    thread = ThreadFactory(category=CategoryFactory(read_access=Access.MEMBERS))
    post = services.post_reply(thread=thread, author=member, body="Køb mine kurser nu")
    moderation.hide_post(post=post, actor=moderator, reason="Reklame for egne kurser")
    reader = Client()
    reader.force_login(UserFactory())
    page = reader.get(thread.get_absolute_url()).text
    assert "Køb mine kurser nu" not in page and "post-state-notice" in page
    author = Client()
    author.force_login(member)
    page = author.get(thread.get_absolute_url()).text
    assert "Køb mine kurser nu" in page and "Reklame for egne kurser" in page
    assert _hits(UserFactory(), "kurser") == []
    note = Notification.objects.get(recipient=member)
    assert "Reklame for egne kurser" in note.message


def test_deleting_is_soft_and_only_leaders_restore(moderator, network_leader, client_for):
    thread = ThreadFactory()
    post = services.post_reply(thread=thread, author=UserFactory(), body="slettes snart")
    moderation.delete_post(post=post, actor=moderator, reason="Dobbeltindlæg")
    assert post.__class__.objects.get(pk=post.pk).state == State.DELETED
    url = reverse("moderation:post_restore", args=[post.pk])
    assert client_for(moderator).post(url).status_code == 403
    assert client_for(network_leader).post(url).status_code == 302
    assert post.__class__.objects.get(pk=post.pk).state == State.PUBLISHED
    assert _hits(UserFactory(), "slettes")


def test_acting_on_deleted_content_is_refused_clearly(moderator):
    thread = ThreadFactory()
    moderation.delete_thread(thread=thread, actor=moderator, reason="spam")
    with pytest.raises(moderation.ModerationError):
        moderation.hide_thread(thread=thread, actor=moderator, reason="igen")
    with pytest.raises(moderation.ModerationError):
        moderation.delete_thread(thread=thread, actor=moderator, reason="igen")


def test_moving_to_a_category_one_does_not_moderate_is_refused(client_for):
    mine, other = CategoryFactory(), CategoryFactory()
    actor = make_actor("category_moderator", category=mine)
    thread = ThreadFactory(category=mine)
    response = client_for(actor).post(
        reverse("moderation:thread_move", args=[thread.pk]),
        {"category": other.pk, "reason": "flyt"},
    )
    assert response.status_code == 200  # not a choice: a form error
    assert Thread.objects.get(pk=thread.pk).category == mine
    response = client_for(actor).post(
        reverse("moderation:thread_move", args=[thread.pk]), {"category": 999999, "reason": "x"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES7)
def test_who_may_lock_a_thread(client_for, role):
    category = CategoryFactory(read_access=Access.MEMBERS)
    thread = ThreadFactory(category=category)
    actor = make_actor(role, category=category)
    client = client_for(actor)
    url = reverse("moderation:thread_lock", args=[thread.pk])
    get = client.get(url)
    post = client.post(url, {"reason": "Låst"})
    allowed = role in ("moderator", "category_moderator", "network_leader")
    assert Thread.objects.get(pk=thread.pk).is_locked is allowed
    if role == "anonymous":
        assert get.status_code == 302 and post.status_code == 302
    elif allowed:
        assert get.status_code == 200 and post.status_code == 302
    else:
        assert get.status_code == 403 and post.status_code == 403


def test_category_moderators_only_moderate_their_own_category(client_for):
    mine, other = CategoryFactory(), CategoryFactory()
    actor = make_actor("category_moderator", category=mine)
    foreign = ThreadFactory(category=other)
    response = client_for(actor).post(
        reverse("moderation:thread_lock", args=[foreign.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    assert not Thread.objects.get(pk=foreign.pk).is_locked


def test_moderation_powers_need_two_factor(client_for):
    thread = ThreadFactory()
    no_2fa = UserFactory(roles=["moderator"])
    response = client_for(no_2fa).post(
        reverse("moderation:thread_lock", args=[thread.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("action", ["thread_pin", "thread_lock", "thread_hide", "thread_delete"])
def test_actions_on_unknown_threads_are_404(moderator_client, action):
    assert moderator_client.post(reverse(f"moderation:{action}", args=[987654])).status_code == 404


def test_confirmation_pages_render_without_javascript(moderator_client):
    thread = ThreadFactory()
    post = services.post_reply(thread=thread, author=UserFactory(), body="svar")
    for name, pk in [
        ("thread_pin", thread.pk),
        ("thread_lock", thread.pk),
        ("thread_move", thread.pk),
        ("thread_merge", thread.pk),
        ("thread_split", thread.pk),
        ("thread_hide", thread.pk),
        ("thread_delete", thread.pk),
        ("post_hide", post.pk),
        ("post_delete", post.pk),
    ]:
        response = moderator_client.get(reverse(f"moderation:{name}", args=[pk]))
        assert response.status_code == 200, name
        assert '<form method="post"' in response.text, name


def test_counts_return_when_a_deleted_thread_is_restored(moderator, network_leader):
    category = CategoryFactory()
    thread = services.start_thread(
        category=category, author=UserFactory(), title="T", kind="question", body="b"
    )
    moderation.delete_thread(thread=thread, actor=moderator, reason="r")
    assert Category.objects.get(pk=category.pk).thread_count == 0
    moderation.restore_thread(thread=thread, actor=network_leader)
    assert Category.objects.get(pk=category.pk).thread_count == 1


THREAD_ACTIONS = [
    ("thread_pin", {}, lambda t: t.is_pinned),
    ("thread_lock", {"reason": "r"}, lambda t: t.is_locked),
    ("thread_hide", {"reason": "r"}, lambda t: t.state == State.HIDDEN),
    ("thread_delete", {"reason": "r"}, lambda t: t.state == State.DELETED),
]


@pytest.mark.parametrize("role", ROLES7)
@pytest.mark.parametrize(("action", "data", "done"), THREAD_ACTIONS)
def test_thread_action_permission_table(client_for, role, action, data, done):
    category = CategoryFactory(read_access=Access.MEMBERS)
    thread = ThreadFactory(category=category)
    response = client_for(make_actor(role, category=category)).post(
        reverse(f"moderation:{action}", args=[thread.pk]), data
    )
    allowed = role in ("moderator", "category_moderator", "network_leader")
    assert done(Thread.objects.get(pk=thread.pk)) is allowed
    assert response.status_code == (302 if allowed or role == "anonymous" else 403)


POST_ACTIONS = [
    (
        "post_hide",
        {"reason": "r"},
        State.HIDDEN,
        ("moderator", "category_moderator", "network_leader"),
    ),
    (
        "post_delete",
        {"reason": "r"},
        State.DELETED,
        ("moderator", "category_moderator", "network_leader"),
    ),
]


@pytest.mark.parametrize("role", ROLES7)
@pytest.mark.parametrize(("action", "data", "state", "allowed_roles"), POST_ACTIONS)
def test_post_action_permission_table(client_for, role, action, data, state, allowed_roles):
    from forum.models import Post

    category = CategoryFactory(read_access=Access.MEMBERS)
    post = services.post_reply(
        thread=ThreadFactory(category=category), author=UserFactory(), body="x"
    )
    response = client_for(make_actor(role, category=category)).post(
        reverse(f"moderation:{action}", args=[post.pk]), data
    )
    allowed = role in allowed_roles
    assert (Post.objects.get(pk=post.pk).state == state) is allowed
    assert response.status_code == (302 if allowed or role == "anonymous" else 403)


@pytest.mark.parametrize("role", ROLES7)
def test_only_leaders_restore(client_for, role):
    from forum.models import Post

    category = CategoryFactory(read_access=Access.MEMBERS)
    post = services.post_reply(
        thread=ThreadFactory(category=category), author=UserFactory(), body="x"
    )
    moderation.delete_post(post=post, actor=UserFactory(), reason="r")
    client_for(make_actor(role, category=category)).post(
        reverse("moderation:post_restore", args=[post.pk])
    )
    assert (Post.objects.get(pk=post.pk).state == State.PUBLISHED) is (role == "network_leader")
