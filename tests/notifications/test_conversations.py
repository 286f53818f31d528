"""Private conversations: services, views, permissions, query pins, privacy."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import EmailFrequency, SanctionKind, User
from accounts.privacy import collect
from notifications import conversations
from notifications.models import Block, Conversation, Message, Notification, Participant
from tests.conftest import ROLES, make_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def start(author, *others, body="Hej, kan jeg ringe til dig om det?", subject="Moms"):
    return conversations.start_conversation(
        author=author, recipients=list(others), subject=subject, body=body
    )


def unread(user):
    return User.objects.get(pk=user.pk).unread_notifications


# --- Services -------------------------------------------------------------------------


def test_starting_renders_markdown_and_notifies_by_mail(django_capture_on_commit_callbacks):
    anna, bo = UserFactory(), UserFactory(notification_email=EmailFrequency.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        conversation = start(anna, bo, body="**Hej** <script>alert(1)</script>")
    message = Message.objects.get()
    assert "<strong>Hej</strong>" in message.body_html
    assert "<script" not in message.body_html
    assert set(conversation.participants.values_list("user_id", flat=True)) == {anna.pk, bo.pk}
    assert unread(bo) == 1 and unread(anna) == 0
    notification = Notification.objects.get(recipient=bo)
    assert notification.kind == "message" and notification.actor == anna
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [bo.email]
    assert "Moms" in mail.outbox[0].subject
    assert "<script" not in mail.outbox[0].body


def test_further_messages_batch_into_the_unread_notification(django_capture_on_commit_callbacks):
    anna, bo = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        conversation = start(anna, bo)
        conversations.post_message(conversation=conversation, author=anna, body="Og en ting til")
    assert Notification.objects.get(recipient=bo).count == 2
    assert unread(bo) == 1
    assert len(mail.outbox) == 1


def test_members_who_want_no_mail_get_only_the_site_notification(
    django_capture_on_commit_callbacks,
):
    anna, bo = UserFactory(), UserFactory(notification_email=EmailFrequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        start(anna, bo)
    assert unread(bo) == 1 and mail.outbox == []


def test_muted_and_left_members_hear_nothing(django_capture_on_commit_callbacks):
    anna, bo, carl = UserFactory(), UserFactory(), UserFactory()
    conversation = start(anna, bo, carl)
    conversations.mark_read(conversation=conversation, user=bo)
    conversations.mark_read(conversation=conversation, user=carl)
    conversations.set_muted(conversation=conversation, user=bo, muted=True)
    conversations.leave(conversation=conversation, user=carl)
    with django_capture_on_commit_callbacks(execute=True):
        conversations.post_message(conversation=conversation, author=anna, body="Nogen?")
    assert unread(bo) == 0 and unread(carl) == 0
    assert mail.outbox == []


def test_reading_clears_the_header_count():
    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo)
    assert unread(bo) == 1
    conversations.mark_read(conversation=conversation, user=bo)
    assert unread(bo) == 0
    assert Conversation.objects.for_member(bo).get().unread == 0


def test_the_list_counts_unread_messages_of_others():
    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo)
    conversations.post_message(conversation=conversation, author=anna, body="To")
    assert Conversation.objects.for_member(bo).get().unread == 2
    assert Conversation.objects.for_member(anna).get().unread == 0


# --- Permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_participants_read_a_conversation(client_for, role):
    conversation = start(UserFactory(), UserFactory())
    user = make_user(role)
    response = client_for(user).get(conversation.get_absolute_url())
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response.url
    else:  # members, organisers, moderators and leaders alike: not theirs to know about
        assert response.status_code == 404
    response = client_for(user).post(conversation.get_absolute_url(), {"body": "Ind"})
    assert response.status_code in (302, 404)
    assert Message.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_who_may_start_a_conversation(client_for, role):
    member = UserFactory()
    user = make_user(role)
    url = reverse("conversations:conversation_start", args=[member.pk])
    response = client_for(user).post(url, {"subject": "", "body": "Hej"})
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response.url
        assert not Conversation.objects.exists()
    else:
        assert response.status_code == 302
        assert Conversation.objects.get().participants.count() == 2


@pytest.mark.parametrize(
    "action", ["conversation_detail", "conversation_leave", "conversation_mute", "conversation_add"]
)
def test_non_participants_get_404_for_every_action(client_for, action):
    conversation = start(UserFactory(), UserFactory())
    response = client_for(UserFactory()).post(
        reverse(f"conversations:{action}", args=[conversation.pk]), {"body": "x", "muted": "1"}
    )
    assert response.status_code == 404


def test_left_members_no_longer_read_it(client_for):
    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo)
    client = client_for(bo)
    assert client.post(reverse("conversations:conversation_leave", args=[conversation.pk]))
    assert client.get(conversation.get_absolute_url()).status_code == 404
    assert client_for(anna).get(conversation.get_absolute_url()).status_code == 200


def test_nobody_can_message_themselves(client_for):
    anna = UserFactory()
    response = client_for(anna).get(reverse("conversations:conversation_start", args=[anna.pk]))
    assert response.status_code == 403


def test_silenced_members_cannot_start_conversations(client_for, monkeypatch):
    anna, bo = UserFactory(), UserFactory()
    monkeypatch.setattr(User, "has_sanction", lambda self, kind: kind == SanctionKind.SILENCE)
    response = client_for(anna).post(
        reverse("conversations:conversation_start", args=[bo.pk]), {"body": "Hej"}
    )
    assert response.status_code == 403


# --- Blocking -------------------------------------------------------------------------


def test_a_blocked_member_cannot_start_a_conversation_with_the_blocker(client_for):
    anna, bo = UserFactory(), UserFactory()
    client_for(anna).post(reverse("conversations:member_block", args=[bo.pk]), {"blocked": "1"})
    assert Block.objects.filter(blocker=anna, blocked=bo).exists()
    url = reverse("conversations:conversation_start", args=[anna.pk])
    assert client_for(bo).get(url).status_code == 403
    assert "Send en besked" not in client_for(bo).get(anna.get_absolute_url()).text
    # The blocker still may write to them.
    assert (
        client_for(anna).get(reverse("conversations:conversation_start", args=[bo.pk])).status_code
        == 200
    )


def test_existing_conversations_stay_readable_but_closed_to_the_blocked(client_for):
    anna, bo, carl = UserFactory(), UserFactory(), UserFactory()
    conversation = start(bo, anna, carl)
    conversations.block(blocker=anna, blocked=bo)
    client = client_for(bo)
    page = client.get(conversation.get_absolute_url())
    assert page.status_code == 200 and "Hej, kan jeg ringe" in page.text
    assert 'name="body"' not in page.text
    assert client.post(conversation.get_absolute_url(), {"body": "Hallo?"}).status_code == 403
    assert Message.objects.count() == 1
    # The others go on writing.
    assert client_for(carl).post(conversation.get_absolute_url(), {"body": "Ja"}).status_code == 302


def test_a_blocked_member_cannot_add_the_blocker(client_for):
    anna, bo, carl = UserFactory(), UserFactory(), UserFactory()
    conversation = start(bo, carl)
    conversations.block(blocker=anna, blocked=bo)
    response = client_for(bo).post(
        reverse("conversations:conversation_add", args=[conversation.pk]),
        {"member": f"@{anna.handle}"},
    )
    assert response.status_code == 200
    assert "kan ikke tilføje" in response.text
    assert not Participant.objects.filter(conversation=conversation, user=anna).exists()


def test_adding_a_member_up_to_ten(client_for):
    anna, bo, carl = UserFactory(), UserFactory(), UserFactory()
    conversation = start(anna, bo)
    response = client_for(anna).post(
        reverse("conversations:conversation_add", args=[conversation.pk]),
        {"member": f"@{carl.handle}"},
    )
    assert response.status_code == 302
    assert client_for(carl).get(conversation.get_absolute_url()).status_code == 200
    crowd = UserFactory.create_batch(7)
    for other in crowd:
        conversations.add_participant(conversation=conversation, member=other)
    page = client_for(anna).get(conversation.get_absolute_url()).text
    assert 'name="member"' not in page  # ten members: full


# --- Views ----------------------------------------------------------------------------


def test_the_profile_offers_to_send_a_message(client_for):
    anna, bo = UserFactory(), UserFactory()
    page = client_for(anna).get(bo.get_absolute_url()).text
    assert reverse("conversations:conversation_start", args=[bo.pk]) in page
    assert "Send en besked" in page
    own = client_for(anna).get(anna.get_absolute_url()).text
    assert reverse("conversations:conversation_start", args=[anna.pk]) not in own


def test_the_text_survives_a_failed_submit(client_for):
    anna, bo = UserFactory(), UserFactory()
    url = reverse("conversations:conversation_start", args=[bo.pk])
    response = client_for(anna).post(url, {"subject": "x" * 300, "body": "Min lange tekst"})
    assert response.status_code == 200
    assert "Min lange tekst" in response.text
    assert not Conversation.objects.exists()
    conversation = start(anna, bo)
    response = client_for(anna).post(conversation.get_absolute_url(), {"body": "**  **"})
    assert response.status_code == 200 and "**  **" in response.text


def test_opening_a_conversation_marks_it_read(client_for):
    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo)
    client = client_for(bo)
    listing = client.get(reverse("conversations:conversation_list")).text
    assert "1 ulæst" in listing
    assert client.get(conversation.get_absolute_url()).status_code == 200
    assert unread(bo) == 0
    assert "ulæst" not in client.get(reverse("conversations:conversation_list")).text


def test_the_notification_leads_to_the_conversation_only_for_participants(client_for):
    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo)
    notification = Notification.objects.get(recipient=bo)
    client = client_for(bo)
    listing = client.get(reverse("notifications:notification_list")).text
    assert "sendte dig en besked" in listing
    response = client.get(notification.get_absolute_url())
    assert response.status_code == 302 and response.url == conversation.get_absolute_url()


def test_mute_and_unmute(client_for):
    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo)
    url = reverse("conversations:conversation_mute", args=[conversation.pk])
    client_for(bo).post(url, {"muted": "1"})
    assert Participant.objects.get(user=bo).muted
    client_for(bo).post(url, {"muted": "0"})
    assert not Participant.objects.get(user=bo).muted


def test_writes_are_rate_limited(client_for, settings):
    settings.NETVAERK_RATE_LIMITS = {
        **settings.NETVAERK_RATE_LIMITS,
        "conversation_write": (1, 3600),
    }
    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo)
    client = client_for(anna)
    assert client.post(conversation.get_absolute_url(), {"body": "En"}).status_code == 302
    assert client.post(conversation.get_absolute_url(), {"body": "To"}).status_code == 429


# --- Query pins -----------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_queries_do_not_grow(client_for, django_assert_max_num_queries, count):
    anna = UserFactory()
    for _ in range(count):
        start(UserFactory(), anna, UserFactory())
    client = client_for(anna)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("conversations:conversation_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_the_conversation_queries_do_not_grow(client_for, django_assert_max_num_queries, count):
    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo, *UserFactory.create_batch(min(count, 8)))
    for i in range(count):
        conversations.post_message(conversation=conversation, author=bo, body=f"Nr. {i}")
    client = client_for(anna)
    with django_assert_max_num_queries(14):
        response = client.get(conversation.get_absolute_url())
    assert response.status_code == 200


# --- Members' data --------------------------------------------------------------------


def test_the_export_holds_the_members_own_messages_only():
    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo, body="Annas ord")
    conversations.post_message(conversation=conversation, author=bo, body="Bos ord")
    conversations.block(blocker=anna, blocked=bo)
    section = collect(anna)["notifications"]
    assert [m["body"] for m in section["messages"]] == ["Annas ord"]
    assert section["conversations"][0]["conversation__subject"] == "Moms"
    assert len(section["blocked_members"]) == 1


@pytest.mark.parametrize("keep_posts", [True, False])
def test_deleting_an_account_takes_the_member_out_of_conversations(keep_posts):
    from notifications.personal_data import erase

    anna, bo = UserFactory(), UserFactory()
    conversation = start(anna, bo, body="Annas ord")
    conversations.block(blocker=bo, blocked=anna)
    erase(user=anna, keep_posts=keep_posts)
    assert not Participant.objects.filter(user=anna).exists()
    assert not Block.objects.exists()
    kept = list(Message.objects.filter(conversation=conversation))
    assert (len(kept) == 1 and kept[0].author is None) if keep_posts else kept == []


def test_the_header_count_costs_no_query(client_for):
    anna = UserFactory()
    client = client_for(anna)

    def home_queries():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("home")).text
        return len(queries), page

    client.get(reverse("home"))  # sessions and caches warmed up
    before, _page = home_queries()
    for _ in range(5):
        start(UserFactory(), anna)
    after, page = home_queries()
    assert after == before
    assert 'unread-badge">5<' in page
