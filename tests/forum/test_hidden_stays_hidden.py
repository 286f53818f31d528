"""What a moderator hides or deletes stays hidden: its title shows on no page,
feed, search, panel or notification for anyone the lists' rule
(`forum.permissions.visible_threads`) leaves it out for. Moderators still open a
hidden thread, network leaders a deleted one; nobody else sees its title."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import services
from forum.models import Access, Category, ThreadFollow
from moderation.services import delete_thread, hide_thread, restore_thread, unhide_thread
from notifications.models import Notification
from tests.conftest import make_user
from tests.factories import CategoryFactory, TagFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Zorblax kundens cpr"
ROLES = ["anonymous", "member", "organiser", "moderator", "network_leader"]
READS_MEMBERS = {"member", "organiser", "moderator", "network_leader"}


@pytest.fixture(params=[Access.EVERYONE, Access.MEMBERS], ids=["public", "members-only"])
def access(request):
    return request.param


@pytest.fixture(params=["hidden", "deleted"])
def removed(request, access):
    """A category whose latest thread a moderator hid (or deleted): its title is the problem."""
    category = CategoryFactory(name="Annoncer", slug="annoncer", read_access=access)
    tag = TagFactory(name="moms", slug="moms")
    older = ThreadFactory(
        category=category,
        title="Synlig tråd om moms",
        last_posted_at=timezone.now() - timedelta(days=1),
    )
    older.tags.add(tag)
    secret = ThreadFactory(category=category, title=SECRET, slug="zorblax")
    secret.tags.add(tag)
    leader = UserFactory(roles=["network_leader"], totp=True)
    if request.param == "hidden":
        hide_thread(thread=secret, actor=leader, reason="Personoplysninger")
    else:
        delete_thread(thread=secret, actor=leader, reason="Personoplysninger")
    return {"category": category, "tag": tag, "older": older, "secret": secret,
            "state": request.param}  # fmt: skip


def _can_read(role, access):
    return access == Access.EVERYONE or role in READS_MEMBERS


@pytest.mark.parametrize("role", ROLES)
def test_the_forum_front_shows_the_latest_visible_thread_not_the_removed_one(
    client_for, removed, access, role
):
    response = client_for(make_user(role)).get(reverse("forum:index"))
    assert response.status_code == 200
    assert SECRET not in response.text
    if _can_read(role, access):
        assert "Synlig tråd om moms" in response.text  # the latest one still listed


@pytest.mark.parametrize("role", ROLES)
def test_on_the_forum_front_moderators_see_that_something_was_removed(
    client_for, removed, access, role
):
    """Moderators see a hidden thread counted (never its title), leaders also a
    deleted one; nobody else sees a trace."""
    response = client_for(make_user(role)).get(reverse("forum:index"))
    text = response.text
    if removed["state"] == "hidden":
        assert ("1 skjult tråd" in text) == (role in ("moderator", "network_leader"))
    else:
        assert ("1 slettet tråd" in text) == (role == "network_leader")
    assert "skjult tråd" not in text or role in ("moderator", "network_leader")
    assert SECRET not in text


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page", ["latest", "category_detail", "tag_detail", "search", "similar", "unsolved"]
)
def test_no_list_search_or_suggestion_shows_the_removed_title(
    client_for, removed, access, role, page
):
    urls = {
        "latest": reverse("forum:latest"),
        "unsolved": reverse("forum:unsolved"),
        "category_detail": reverse("forum:category_detail", args=["annoncer"]),
        "tag_detail": reverse("forum:tag_detail", args=["moms"]),
        "search": reverse("forum:search") + "?q=Zorblax",
        "similar": reverse("forum:similar") + "?title=Zorblax+kundens",
    }
    response = client_for(make_user(role)).get(urls[page])
    assert response.status_code in (200, 404)
    assert SECRET not in response.text


@pytest.mark.parametrize("feed", ["latest_feed", "category_feed", "tag_feed"])
def test_feeds_leave_the_removed_thread_out(client, removed, access, feed):
    args = {"latest_feed": [], "category_feed": ["annoncer"], "tag_feed": ["moms"]}[feed]
    response = client.get(reverse(f"forum:{feed}", args=args))
    assert response.status_code in (200, 404)
    assert SECRET not in response.content.decode()
    if access == Access.EVERYONE:
        assert "Synlig tråd om moms" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_open_a_hidden_thread_and_only_leaders_a_deleted_one(
    client_for, removed, access, role
):
    secret = removed["secret"]
    response = client_for(make_user(role)).get(secret.get_absolute_url())
    if removed["state"] == "hidden":
        allowed = role in ("moderator", "network_leader")
    else:
        allowed = role == "network_leader"
    if allowed:
        assert response.status_code == 200
        assert SECRET in response.text
    else:
        assert response.status_code in (302, 404)  # members-only: visitors go to log in
        assert SECRET not in response.text


@pytest.mark.parametrize("role", ROLES)
def test_notifications_about_the_removed_thread_show_no_title(client_for, access, role):
    category = CategoryFactory(read_access=access)
    secret = ThreadFactory(category=category, title=SECRET)
    user = make_user(role)
    if user is None:
        return  # visitors have no notifications
    ThreadFollow.objects.create(user=user, thread=secret)
    services.post_reply(thread=secret, author=UserFactory(), body="Svar")
    from forum.notifications import notify_about_post

    notify_about_post(post_id=secret.posts.get(number=2).pk)
    assert Notification.objects.filter(recipient=user).exists()
    hide_thread(thread=secret, actor=UserFactory(roles=["moderator"], totp=True), reason="Nej")
    response = client_for(user).get(reverse("notifications:notification_list"))
    assert response.status_code == 200
    if role in ("moderator", "network_leader"):
        assert SECRET in response.text  # they see what was hidden, and why
    else:
        assert SECRET not in response.text
        note = Notification.objects.filter(recipient=user).latest("pk")
        assert client_for(user).get(note.get_absolute_url()).status_code == 404


def test_mail_queued_before_the_hide_goes_out_without_the_title(mailoutbox):
    follower = UserFactory()
    secret = ThreadFactory(title=SECRET)
    ThreadFollow.objects.create(user=follower, thread=secret)
    reply = services.post_reply(thread=secret, author=UserFactory(), body="Svar")
    from forum.notifications import notify_about_post
    from notifications.services import email_notifications

    created = notify_about_post(post_id=reply.pk)  # queued; the worker has not run yet
    hide_thread(thread=secret, actor=UserFactory(roles=["moderator"], totp=True), reason="Nej")
    mailoutbox.clear()
    assert email_notifications(notification_ids=[n.pk for n in created]) == 0
    assert not any(SECRET in m.subject + m.body for m in mailoutbox)
    follower_note = Notification.objects.get(recipient=follower)
    assert follower_note.emailed_at is None


def test_a_fan_out_after_the_hide_notifies_nobody():
    follower = UserFactory()
    secret = ThreadFactory(title=SECRET)
    ThreadFollow.objects.create(user=follower, thread=secret)
    reply = services.post_reply(thread=secret, author=UserFactory(), body="Svar")
    hide_thread(thread=secret, actor=UserFactory(roles=["moderator"], totp=True), reason="Nej")
    from forum.notifications import notify_about_post

    assert notify_about_post(post_id=reply.pk) == []


def test_the_author_still_reads_the_moderators_word_after_a_delete(client_for):
    """The author's own notice (kind shown_when_unreadable) keeps its message;
    the thread's link is gone."""
    author = UserFactory()
    secret = ThreadFactory(title=SECRET, author=author)
    moderator = UserFactory(roles=["moderator"], totp=True)
    hide_thread(thread=secret, actor=moderator, reason="Nej")
    delete_thread(thread=secret, actor=moderator, reason="Nej")
    response = client_for(author).get(reverse("notifications:notification_list"))
    assert f"En moderator har skjult din tråd “{SECRET}”" in response.text
    note = Notification.objects.get(recipient=author)
    assert client_for(author).get(note.get_absolute_url()).status_code == 404


def test_category_counters_follow_hide_delete_restore():
    author = UserFactory()
    category = CategoryFactory(read_access=Access.EVERYONE)
    thread = services.start_thread(
        category=category, author=author, title="Tæller", kind="question", body="?"
    )
    services.post_reply(thread=thread, author=UserFactory(), body="Svar")

    def counts():
        row = Category.objects.get(pk=category.pk)
        return (row.thread_count, row.post_count)

    assert counts() == (1, 2)
    moderator = UserFactory(roles=["moderator"], totp=True)
    hide_thread(thread=thread, actor=moderator, reason="x")
    assert counts() == (0, 0)
    unhide_thread(thread=thread, actor=moderator)
    assert counts() == (1, 2)
    delete_thread(thread=thread, actor=moderator, reason="x")
    assert counts() == (0, 0)
    restore_thread(thread=thread, actor=moderator)
    assert counts() == (1, 2)


@pytest.mark.parametrize("role", ROLES)
def test_a_meetup_page_links_its_thread_only_for_whom_it_opens(client_for, role):
    from tests.moeder.factories import MeetupFactory

    thread = ThreadFactory(category=CategoryFactory(read_access=Access.EVERYONE))
    meetup = MeetupFactory(thread=thread)
    user = make_user(role)
    url = meetup.get_absolute_url()
    before = client_for(user).get(url)
    assert before.status_code == 200
    assert thread.get_absolute_url() in before.text
    delete_thread(thread=thread, actor=UserFactory(roles=["moderator"], totp=True), reason="x")
    after = client_for(user).get(url)
    assert after.status_code == 200
    assert (thread.get_absolute_url() in after.text) == (role == "network_leader")


@pytest.mark.parametrize("role", ["member", "organiser", "moderator", "network_leader"])
def test_a_reply_draft_names_the_removed_thread_only_for_whom_it_opens(
    client_for, removed, access, role
):
    from forum.models import Draft

    user = make_user(role)
    Draft.objects.create(user=user, thread=removed["secret"], body="Halvt svar")
    response = client_for(user).get(reverse("forum:draft_list"))
    assert response.status_code == 200
    if removed["state"] == "hidden":
        allowed = role in ("moderator", "network_leader")
    else:
        allowed = role == "network_leader"
    assert (SECRET in response.text) == allowed


def test_category_counters_follow_moves_and_merges():
    from moderation.services import merge_threads, move_thread

    first, second = CategoryFactory.create_batch(2)
    author = UserFactory()
    moderator = UserFactory(roles=["moderator"], totp=True)
    thread = services.start_thread(
        category=first, author=author, title="Flyttes", kind="question", body="?"
    )
    services.post_reply(thread=thread, author=UserFactory(), body="Svar")
    target = services.start_thread(
        category=second, author=author, title="Bliver", kind="question", body="?"
    )

    def counts(category):
        row = Category.objects.get(pk=category.pk)
        return (row.thread_count, row.post_count)

    assert (counts(first), counts(second)) == ((1, 2), (1, 1))
    move_thread(thread=thread, actor=moderator, category=second, reason="x")
    assert (counts(first), counts(second)) == ((0, 0), (2, 3))
    thread.refresh_from_db()
    merge_threads(source=thread, target=target, actor=moderator, reason="x")
    assert counts(second) == (1, 3)
    # A hidden thread merged into a listed one adds nothing twice.
    hidden = services.start_thread(
        category=second, author=author, title="Skjult", kind="question", body="?"
    )
    hide_thread(thread=hidden, actor=moderator, reason="x")
    assert counts(second) == (1, 3)
