"""The member's notification list, opening one, and unsubscribing from their mail."""

import pytest
from django.urls import reverse

from accounts.models import User
from notifications import services as notification_services
from notifications.models import Notification
from tests.factories import ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_notification_list_open_and_mark_all_read(member, member_client):
    thread = ThreadFactory()
    notes = Notification.objects.bulk_create(
        Notification(recipient=member, kind="reply", subject=thread, actor=thread.author)
        for _ in range(2)
    )
    User.objects.filter(pk=member.pk).update(unread_notifications=2)
    page = member_client.get(reverse("notifications:notification_list"))
    assert thread.title in page.text
    response = member_client.get(reverse("notifications:notification_open", args=[notes[0].pk]))
    assert response["Location"] == thread.get_absolute_url()
    member.refresh_from_db()
    assert member.unread_notifications == 1
    member_client.post(reverse("notifications:notification_mark_all_read"))
    member.refresh_from_db()
    assert member.unread_notifications == 0
    assert not Notification.objects.unread().exists()


def test_other_members_notifications_are_404(member_client):
    note = Notification.objects.create(
        recipient=UserFactory(), kind="reply", subject=ThreadFactory()
    )
    assert (
        member_client.get(reverse("notifications:notification_open", args=[note.pk])).status_code
        == 404
    )


def test_unsubscribe_without_logging_in(client):
    user = UserFactory()
    url = reverse("notifications:unsubscribe", args=[notification_services.unsubscribe_token(user)])
    assert user.email in client.get(url).text
    user.refresh_from_db()
    assert user.notification_email == "immediately"  # GET changes nothing
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    user.refresh_from_db()
    assert user.notification_email == "never"


def test_a_forged_unsubscribe_token_is_refused(client):
    assert client.post(reverse("notifications:unsubscribe", args=["forfalsket"])).status_code == 404


@pytest.mark.parametrize("count", [1, 25])
def test_notification_list_queries_do_not_grow(
    member, member_client, django_assert_max_num_queries, count
):
    for thread in ThreadFactory.create_batch(count):
        Notification.objects.create(
            recipient=member, kind="reply", subject=thread, actor=thread.author
        )
    with django_assert_max_num_queries(6):
        assert member_client.get(reverse("notifications:notification_list")).status_code == 200


def test_send_digests_command(mailoutbox):
    from django.core.management import call_command

    daily = UserFactory(notification_email="daily")
    Notification.objects.create(recipient=daily, kind="reply", subject=ThreadFactory())
    call_command("send_digests", "--now")
    assert [m.to for m in mailoutbox] == [[daily.email]]
    assert "1 ny notifikation" in mailoutbox[0].subject or "1 new" in mailoutbox[0].subject


def test_unsubscribe_links_in_mails_sent_before_the_move_still_work(client):
    user = UserFactory()
    token = notification_services.unsubscribe_token(user)
    assert client.post(f"/forum/afmeld/{token}/").status_code == 200
    user.refresh_from_db()
    assert user.notification_email == "never"


def test_the_old_list_address_redirects(member_client):
    response = member_client.get("/forum/varsler/")
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:notification_list")


def test_a_notice_reads_in_the_language_of_the_page(member, client_for, mailoutbox):
    """Role appointments, flag outcomes, poll invitations … are stored in every
    language of the site and shown in the reader's, whatever the profile says."""
    from accounts import services as account_services

    assert member.language == "da"
    account_services.grant_role(user=member, role="organiser", granted_by=UserFactory())
    notification = Notification.objects.get(recipient=member)
    assert set(notification.texts) == {"da", "en"}
    client = client_for(member)
    danish = client.get(reverse("notifications:notification_list")).text
    assert "Du er nu" in danish
    english = client.get("/en" + reverse("notifications:notification_list")).text
    assert "You are now" in english and "Du er nu" not in english


def test_a_notice_from_before_the_texts_falls_back_to_its_message(member_client, member):
    Notification.objects.create(recipient=member, kind="notice", message="Gammel besked")
    html = member_client.get("/en" + reverse("notifications:notification_list")).text
    assert "Gammel besked" in html
