"""Reporting a private message: who may report, who may read the report (only
moderators, and only the message with a few around it), the audit log."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from notifications import conversations, reports
from notifications.models import Message, MessageReport, Notification
from tests.conftest import make_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def conversation_with(n_messages=8):
    anna, bo = UserFactory(), UserFactory()
    conversation = conversations.start_conversation(
        author=anna, recipients=[bo], subject="Samarbejde", body="Besked 0"
    )
    for n in range(1, n_messages):
        conversations.post_message(
            conversation=conversation, author=bo if n % 2 else anna, body=f"Besked {n}"
        )
    return anna, bo, conversation


def test_a_participant_reports_a_message_and_moderators_are_told(client_for):
    moderator = make_user("moderator")
    anna, _bo, _conversation = conversation_with()
    message = Message.objects.get(body="Besked 3")  # by bo
    response = client_for(anna).post(
        reverse("conversations:message_report", args=[message.pk]), {"reason": "Truende"}
    )
    assert response.status_code == 302
    report = MessageReport.objects.get()
    assert (report.message, report.reporter, report.reason) == (message, anna, "Truende")
    assert Notification.objects.filter(recipient=moderator, kind=reports.REPORT_KIND).exists()


def test_a_report_without_a_reason_keeps_the_form(client_for):
    anna, _bo, _conversation = conversation_with()
    message = Message.objects.get(body="Besked 3")
    response = client_for(anna).post(
        reverse("conversations:message_report", args=[message.pk]), {"reason": " "}
    )
    assert response.status_code == 200 and not MessageReport.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("outsider", 404), ("moderator", 404), ("leader", 404), ("author", 403)],
)
def test_only_other_participants_can_report(client, who, status):
    _anna, bo, _conversation = conversation_with()
    message = Message.objects.get(body="Besked 3")  # by bo
    users = {
        "outsider": UserFactory(),
        "moderator": make_user("moderator"),
        "leader": make_user("network_leader"),
        "author": bo,
    }
    if who in users:
        client.force_login(users[who])
    response = client.post(
        reverse("conversations:message_report", args=[message.pk]), {"reason": "x"}
    )
    assert response.status_code == status
    assert not MessageReport.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 302),
        ("member", 403),
        ("participant", 403),
        ("leader", 403),
        ("moderator", 200),
    ],
)
def test_permission_table_for_reading_a_report(client, who, status):
    anna, _bo, _conversation = conversation_with()
    report = reports.report_message(
        message=Message.objects.get(body="Besked 3"), reporter=anna, reason="Truende"
    )
    users = {
        "member": UserFactory(),
        "participant": anna,
        "leader": make_user("network_leader"),
        "moderator": make_user("moderator"),
    }
    if who in users:
        client.force_login(users[who])
    assert client.get(report.get_absolute_url()).status_code == status
    assert client.get(reverse("conversations:report_list")).status_code == status


def test_moderators_see_the_message_with_a_few_around_it_not_the_whole_conversation(client_for):
    anna, _bo, _conversation = conversation_with(10)
    report = reports.report_message(
        message=Message.objects.get(body="Besked 5"), reporter=anna, reason="Truende"
    )
    html = client_for(make_user("moderator")).get(report.get_absolute_url()).text
    shown = {n for n in range(10) if f"Besked {n}<" in html}
    assert shown == {3, 4, 5, 6, 7}
    assert "Samarbejde" not in html  # not even the subject


def test_removing_a_reported_message_is_audited_and_shows_a_notice(client_for):
    moderator = make_user("moderator")
    anna, _bo, conversation = conversation_with()
    message = Message.objects.get(body="Besked 3")
    report = reports.report_message(message=message, reporter=anna, reason="Truende")
    response = client_for(moderator).post(
        report.get_absolute_url(), {"decision": "remove", "reason": "Trusler"}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.removed_at and message.body == "" and message.body_html == ""
    entry = AuditEntry.objects.get(action="message_removed")
    assert entry.actor == moderator and entry.reason == "Trusler"
    assert "Besked 3" not in entry.target_label
    page = client_for(anna).get(conversation.get_absolute_url()).text
    assert "fjernet af en moderator" in page


def test_dismissing_a_report_is_audited_and_keeps_the_message(client_for):
    moderator = make_user("moderator")
    anna, _bo, _conversation = conversation_with()
    message = Message.objects.get(body="Besked 3")
    report = reports.report_message(message=message, reporter=anna, reason="Truende")
    client_for(moderator).post(report.get_absolute_url(), {"decision": "dismiss"})
    report.refresh_from_db()
    assert report.resolution == "dismissed" and report.resolved_by == moderator
    assert Message.objects.get(pk=message.pk).body == "Besked 3"
    assert AuditEntry.objects.filter(action="report_dismissed", actor=moderator).exists()


def test_silent_conversations_go_after_the_retention_period(settings):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.models import Conversation
    from notifications.retention import purge_conversations

    settings.NETVAERK_RETENTION = {**settings.NETVAERK_RETENTION, "conversations_days": 30}
    _anna, _bo, old = conversation_with(3)
    _c, _d, fresh = conversation_with(3)
    Conversation.objects.filter(pk=old.pk).update(
        last_message_at=timezone.now() - timedelta(days=31)
    )
    assert purge_conversations(now=timezone.now()) > 0
    assert list(Conversation.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not Message.objects.filter(conversation_id=old.pk).exists()


def test_the_member_list_offers_to_start_a_conversation(client_for):
    anna, bo = UserFactory(), UserFactory(display_name="Bo Bertelsen")
    html = client_for(anna).get(reverse("accounts:member_list")).text
    assert reverse("conversations:conversation_start", args=[bo.pk]) in html
    assert reverse("conversations:conversation_start", args=[anna.pk]) not in html
