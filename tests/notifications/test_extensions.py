"""The notifications app's sockets: kinds and subject resolvers registered by
apps above it, and what happens when one is taken away."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.extensions import Kind, Subject, kinds, subjects
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def greeting_kind():
    kinds.register(Kind("test_greeting", "A greeting from the tests"))
    yield
    kinds.unregister("test_greeting")


@pytest.fixture
def member_subject():
    """Notifications about a member lead to their profile, readable by members only."""

    def resolve(items, user):
        for notification in items:
            notification.title = "profile"
            notification.subject_url = f"/medlemmer/{notification.subject_id}/"
            notification.readable = user is None or user.is_authenticated

    subjects.register(Subject("accounts.user", resolve))
    yield
    subjects.unregister("accounts.user")


def test_a_registered_kind_is_listed_with_its_label(greeting_kind, member, member_client):
    Notification.objects.create(recipient=member, kind="test_greeting")
    page = member_client.get(reverse("notifications:notification_list")).text
    assert "A greeting from the tests" in page


def test_without_its_kind_a_notification_still_shows_its_message(member, member_client):
    assert "test_greeting" not in kinds
    Notification.objects.create(recipient=member, kind="test_greeting", message="Hej med dig")
    page = member_client.get(reverse("notifications:notification_list"))
    assert page.status_code == 200 and "Hej med dig" in page.text


def test_a_registered_subject_resolver_decides_where_it_leads(
    member_subject, member, member_client
):
    other = UserFactory()
    note = services.notice(recipient=member, message=lambda: "Se her", subject=other)
    response = member_client.get(note.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == f"/medlemmer/{other.pk}/"


def test_without_a_resolver_a_subject_cannot_be_opened(member, member_client):
    assert "accounts.user" not in subjects
    note = services.notice(recipient=member, message=lambda: "Se her", subject=UserFactory())
    assert member_client.get(note.get_absolute_url()).status_code == 404
    assert member_client.get(reverse("notifications:notification_list")).status_code == 200


def test_the_forum_registers_its_kinds_and_subjects():
    assert {"reply", "new_thread", "quote", "mention", "accepted", "reaction"} <= set(kinds.names())
    assert {"forum.post", "forum.thread"} <= set(subjects.names())
    assert {"moderation", "flag_outcome", "review", "notice"} <= set(kinds.names())
