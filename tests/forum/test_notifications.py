import pytest
from django.urls import reverse

from forum import notifications, services
from forum.models import Access, ThreadFollow
from notifications import services as notification_services
from notifications.models import Notification
from tests.factories import CategoryFactory, TagFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run the tasks that services enqueue after commit (immediate backend)."""

    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(**kwargs)

    return run


def test_a_reply_notifies_followers_by_app_and_email(run_tasks, mailoutbox):
    asker = UserFactory(display_name="Asta", language="da")
    thread = run_tasks(
        services.start_thread,
        category=CategoryFactory(), author=asker, title="Moms?", kind="question", body="?",
    )  # fmt: skip
    helper = UserFactory(display_name="Henning")
    run_tasks(services.post_reply, thread=thread, author=helper, body="Svar")
    note = Notification.objects.get(recipient=asker)
    assert (note.kind, note.actor, note.emailed_at is not None) == ("reply", helper, True)
    asker.refresh_from_db()
    assert asker.unread_notifications == 1
    message = mailoutbox[-1]
    assert message.to == [asker.email]
    assert "Henning svarede i “Moms?”" in message.subject
    assert "/forum/varsler/" not in message.body
    assert "/forum/p/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/varsler/afmeld/" in message.extra_headers["List-Unsubscribe"]
    assert not Notification.objects.filter(recipient=helper).exists()  # not about yourself


def test_emails_are_in_the_recipients_language(run_tasks, mailoutbox):
    asker = UserFactory(language="en")
    thread = ThreadFactory(author=asker)
    ThreadFollow.objects.create(user=asker, thread=thread)
    run_tasks(services.post_reply, thread=thread, author=UserFactory(display_name="Bo"), body="x")
    assert "Bo replied in" in mailoutbox[-1].subject
    assert "Stop these emails" in mailoutbox[-1].body


def test_preferences_daily_and_never(run_tasks, mailoutbox):
    daily = UserFactory(notification_email="daily")
    never = UserFactory(notification_email="never")
    thread = ThreadFactory()
    for user in (daily, never):
        ThreadFollow.objects.create(user=user, thread=thread)
    run_tasks(services.post_reply, thread=thread, author=UserFactory(), body="x")
    assert mailoutbox == []
    assert Notification.objects.count() == 2
    assert notification_services.send_daily_digests() == 1
    assert [m.to for m in mailoutbox] == [[daily.email]]
    assert notification_services.send_daily_digests() == 0  # nothing twice


def test_muted_threads_stay_quiet(run_tasks):
    muted = UserFactory()
    thread = ThreadFactory()
    services.follow_thread(user=muted, thread=thread, level="mute")
    run_tasks(services.post_reply, thread=thread, author=UserFactory(), body="x")
    assert not Notification.objects.filter(recipient=muted).exists()


def test_quotes_notify_the_quoted_member(run_tasks):
    quoted_author = UserFactory()
    thread = ThreadFactory()
    quoted = services.post_reply(thread=thread, author=quoted_author, body="Klog tanke")
    services.follow_thread(user=quoted_author, thread=thread, level="none")
    run_tasks(
        services.post_reply,
        thread=thread, author=UserFactory(), body=services.quote_text(quoted) + "Enig!",
    )  # fmt: skip
    assert Notification.objects.get(recipient=quoted_author).kind == "quote"


def test_category_and_tag_followers_hear_about_new_threads(run_tasks):
    category, tag = CategoryFactory(), TagFactory(name="moms")
    by_category, by_tag = UserFactory(), UserFactory()
    services.toggle_category_follow(user=by_category, category=category)
    services.toggle_tag_follow(user=by_tag, tag=tag)
    run_tasks(
        services.start_thread,
        category=category, author=UserFactory(), title="Ny", kind="question", body="b",
        tags=["moms"],
    )  # fmt: skip
    assert Notification.objects.get(recipient=by_category).kind == "new_thread"
    assert Notification.objects.get(recipient=by_tag).kind == "new_thread"


def test_no_notifications_from_categories_one_may_not_read(run_tasks):
    staff = CategoryFactory(read_access=Access.STAFF)
    member = UserFactory()
    thread = ThreadFactory(category=staff)
    ThreadFollow.objects.create(user=member, thread=thread)  # e.g. lost a role since
    run_tasks(services.post_reply, thread=thread, author=UserFactory(), body="x")
    assert not Notification.objects.filter(recipient=member).exists()


def test_accepted_answer_notifies_the_answerer(run_tasks, mailoutbox):
    thread = ThreadFactory(kind="question")
    answerer = UserFactory()
    answer = services.post_reply(thread=thread, author=answerer, body="svar")
    run_tasks(services.accept_answer, thread=thread, post=answer)
    assert Notification.objects.get(recipient=answerer).kind == "accepted"
    assert mailoutbox[-1].to == [answerer.email]


def test_thanks_are_batched(run_tasks, mailoutbox):
    author = UserFactory()
    post = ThreadFactory(author=author).posts.get()
    for _ in range(3):
        services.toggle_reaction(post=post, user=UserFactory())
    note = Notification.objects.get(recipient=author)
    assert (note.kind, note.count) == ("reaction", 3)
    author.refresh_from_db()
    assert author.unread_notifications == 1
    assert mailoutbox == []  # thanks wait for the digest


def test_follow_buttons(member, member_client):
    thread = ThreadFactory()
    member_client.post(reverse("forum:follow_thread", args=[thread.pk]), {"level": "follow"})
    assert ThreadFollow.objects.get(user=member, thread=thread).is_muted is False
    member_client.post(reverse("forum:follow_thread", args=[thread.pk]), {"level": "mute"})
    assert ThreadFollow.objects.get(user=member, thread=thread).is_muted is True
    member_client.post(reverse("forum:follow_thread", args=[thread.pk]), {"level": "none"})
    assert not ThreadFollow.objects.filter(user=member, thread=thread).exists()
    response = member_client.post(
        reverse("forum:follow_thread", args=[thread.pk]), {"level": "bogus"}
    )
    assert response.status_code == 302


def test_following_a_private_thread_is_404(member_client):
    thread = ThreadFactory(category=CategoryFactory(read_access=Access.STAFF))
    response = member_client.post(
        reverse("forum:follow_thread", args=[thread.pk]), {"level": "follow"}
    )
    assert response.status_code == 404


def test_mentions_notify_the_member(run_tasks):
    mentioned = UserFactory(handle="soeren-bech")
    thread = ThreadFactory()
    run_tasks(
        services.post_reply,
        thread=thread, author=UserFactory(), body="Spørg @soeren-bech, og ikke `@ukendt` i kode.",
    )  # fmt: skip
    assert Notification.objects.get(recipient=mentioned).kind == "mention"


def test_mention_parsing():
    assert notifications.mentioned_handles(
        "Hej @anna og @bo-2. Mail: x@y.dk. ```\n@kode\n``` @anna igen"
    ) == ["anna", "bo-2"]
    assert len(notifications.mentioned_handles(" ".join(f"@m{i}x" for i in range(30)))) == 10


def test_mentions_of_members_who_cannot_read_are_dropped(run_tasks):
    outsider = UserFactory(handle="udenfor")
    thread = ThreadFactory(category=CategoryFactory(read_access=Access.STAFF))
    run_tasks(services.post_reply, thread=thread, author=UserFactory(), body="@udenfor se her")
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_email_subjects_show_quotes_and_ampersands_as_typed(run_tasks, mailoutbox):
    """Issue 24: subjects showed HTML entities (&#x27;) instead of the characters."""
    asker = UserFactory(display_name="Asta", language="da")
    thread = run_tasks(
        services.start_thread,
        category=CategoryFactory(), author=asker, title="Bob's moms & <skat>", kind="question",
        body="?",
    )  # fmt: skip
    run_tasks(
        services.post_reply, thread=thread, author=UserFactory(display_name="O'Hara"), body="S"
    )
    subject = mailoutbox[-1].subject
    assert "Bob's moms & <skat>" in subject and "O'Hara" in subject
    assert "&#x27;" not in subject and "&amp;" not in subject and "&lt;" not in subject
