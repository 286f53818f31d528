"""Mailing-list mode: every new post in chosen categories by mail."""

import pytest
from django.urls import reverse

from forum import mailinglist, replymail, services
from forum.models import Access, CategoryMailing, ThreadFollow
from mailin.models import Outcome
from mailin.services import process
from notifications.models import Notification
from tests.factories import CategoryFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reply_domain(settings):
    settings.NETVAERK_REPLY_DOMAIN = "svar.example.org"


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(**kwargs)

    return run


def test_list_members_get_each_new_thread_and_reply_with_its_text(run_tasks, mailoutbox):
    category = CategoryFactory(name="Økonomi")
    reader = UserFactory(language="da")
    CategoryMailing.objects.create(user=reader, category=category)
    author = UserFactory(display_name="Asta")
    thread = run_tasks(
        services.start_thread, category=category, author=author, title="Moms?", kind="question",
        body="Hvordan **afregner** man moms?",
    )  # fmt: skip
    first = mailoutbox[-1]
    assert first.to == [reader.email]
    assert first.subject == "[Økonomi] Moms?"
    assert "Hvordan **afregner** man moms?" in first.body
    assert "Asta skrev:" in first.body
    assert first.extra_headers["Reply-To"] == replymail.reply_address(reader.pk, thread.pk)
    assert first.extra_headers["List-Id"].startswith(f"<{category.slug}.")
    run_tasks(services.post_reply, thread=thread, author=UserFactory(), body="Kvartalsvis.")
    to_reader = [m for m in mailoutbox if m.to == [reader.email]]
    assert len(to_reader) == 2
    assert to_reader[-1].subject == "Re: [Økonomi] Moms?"
    assert "Kvartalsvis." in to_reader[-1].body
    # ... and the answer by mail goes into the thread.
    mail = (
        f"From: {reader.email}\r\nTo: {first.extra_headers['Reply-To']}\r\n"
        "Message-ID: <list-answer@x>\r\n\r\nMånedligt for store firmaer."
    ).encode()
    assert run_tasks(process, raw=mail).outcome == Outcome.POSTED
    assert thread.posts.filter(author=reader).exists()


def test_the_author_and_other_categories_get_nothing(run_tasks, mailoutbox):
    category, other = CategoryFactory(), CategoryFactory()
    author = UserFactory()
    CategoryMailing.objects.create(user=author, category=category)
    elsewhere = UserFactory()
    CategoryMailing.objects.create(user=elsewhere, category=other)
    thread = ThreadFactory(category=category)
    run_tasks(services.post_reply, thread=thread, author=author, body="Mit eget")
    assert mailoutbox == []


def test_no_second_mail_for_a_followed_thread(run_tasks, mailoutbox):
    category = CategoryFactory()
    reader = UserFactory()
    CategoryMailing.objects.create(user=reader, category=category)
    thread = ThreadFactory(category=category)
    ThreadFollow.objects.create(user=reader, thread=thread)
    run_tasks(services.post_reply, thread=thread, author=UserFactory(), body="Svar")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["X-Netvaerk-Mail"] == "list"
    assert Notification.objects.filter(recipient=reader).exists()  # still in the site


def test_members_who_may_no_longer_read_get_nothing(run_tasks, mailoutbox):
    staff = CategoryFactory(read_access=Access.STAFF)
    member = UserFactory()
    CategoryMailing.objects.create(user=member, category=staff)  # chosen before a change
    run_tasks(services.post_reply, thread=ThreadFactory(category=staff), author=UserFactory(),
              body="Hemmeligt")  # fmt: skip
    assert mailoutbox == []


def test_muted_threads_are_not_mailed(run_tasks, mailoutbox):
    category = CategoryFactory()
    reader = UserFactory()
    CategoryMailing.objects.create(user=reader, category=category)
    thread = ThreadFactory(category=category)
    services.follow_thread(user=reader, thread=thread, level="mute")
    run_tasks(services.post_reply, thread=thread, author=UserFactory(), body="x")
    assert mailoutbox == []


def test_the_settings_page_offers_only_readable_categories(member, member_client):
    open_category = CategoryFactory(name="Åben")
    staff = CategoryFactory(name="Kun staben", read_access=Access.STAFF)
    url = reverse("forum:mailing_list_settings")
    page = member_client.get(url)
    assert page.status_code == 200
    assert "Åben" in page.text and "Kun staben" not in page.text
    response = member_client.post(url, {"categories": [open_category.pk, staff.pk]})
    assert response.status_code == 200  # an invalid choice: the form again
    assert not CategoryMailing.objects.filter(user=member).exists()
    response = member_client.post(url, {"categories": [open_category.pk]})
    assert response.status_code == 302
    assert mailinglist.chosen_category_ids(member) == {open_category.pk}
    member_client.post(url, {})
    assert mailinglist.chosen_category_ids(member) == set()


def test_the_settings_page_needs_a_login(client):
    response = client.get(reverse("forum:mailing_list_settings"))
    assert response.status_code == 302


def test_one_click_unsubscribe_stops_one_category(run_tasks, mailoutbox, client):
    category, other = CategoryFactory(name="Skat"), CategoryFactory()
    reader = UserFactory()
    CategoryMailing.objects.create(user=reader, category=category)
    CategoryMailing.objects.create(user=reader, category=other)
    run_tasks(services.post_reply, thread=ThreadFactory(category=category), author=UserFactory(),
              body="x")  # fmt: skip
    message = mailoutbox[-1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Skat" in page.text
    assert CategoryMailing.objects.filter(user=reader).count() == 2  # a GET changes nothing
    assert client.post("/" + path).status_code == 200
    assert mailinglist.chosen_category_ids(reader) == {other.pk}
    assert client.post("/" + path).status_code == 404  # already stopped
    assert client.get("/forum/mailingliste/afmeld/forged/").status_code == 404
