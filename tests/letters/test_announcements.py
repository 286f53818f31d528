"""Announcements: a new thread in an "always mailed" category is mailed to
every member who has not opted out, in the letter's batches; only organisers
and network leaders may start one."""

import pytest
from django.urls import reverse

from forum import services as forum_services
from forum.permissions import can_start_thread
from letters import services
from letters.models import Letter, LetterDelivery, LetterKind, LetterOptOut
from tests.conftest import make_user
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcements():
    return CategoryFactory(always_mailed=True, name="Meddelelser")


def _announce(django_capture_on_commit_callbacks, category, author):
    with django_capture_on_commit_callbacks(execute=True):
        return forum_services.start_thread(
            category=category, author=author, title="Generalforsamling 12. marts",
            kind="discussion", body="Kom **alle** sammen.",
        )  # fmt: skip


def test_a_new_thread_there_is_mailed_to_every_member_once(
    announcements, mailoutbox, django_capture_on_commit_callbacks
):
    leader = make_user("network_leader")
    members = UserFactory.create_batch(3)
    opted = UserFactory()
    LetterOptOut.objects.create(user=opted, kind=LetterKind.ANNOUNCEMENT)
    LetterOptOut.objects.create(user=members[0], kind=LetterKind.LETTER)  # only the letter
    thread = _announce(django_capture_on_commit_callbacks, announcements, leader)
    to = sorted(m.to[0] for m in mailoutbox)
    assert to == sorted(u.email for u in [leader, *members])
    mail = mailoutbox[0]
    assert mail.subject == thread.title
    assert "Kom alle sammen" in mail.body and thread.get_absolute_url() in mail.body
    assert "afmeld-meddelelser" in mail.extra_headers["List-Unsubscribe"]
    letter = Letter.objects.get(kind=LetterKind.ANNOUNCEMENT)
    assert letter.sent_count == letter.recipient_count == 4
    assert LetterDelivery.objects.filter(letter=letter).count() == 4
    # not an issue of the letter: not in the archive
    assert not Letter.objects.sent().exists()


def test_a_thread_elsewhere_is_not_mailed(mailoutbox, django_capture_on_commit_callbacks):
    UserFactory.create_batch(2)
    _announce(django_capture_on_commit_callbacks, CategoryFactory(), make_user("network_leader"))
    assert not Letter.objects.exists()


START = {"member": False, "organiser": True, "moderator": False, "network_leader": True}


@pytest.mark.parametrize("role", sorted(START))
def test_only_organisers_and_leaders_start_one(announcements, role):
    assert can_start_thread(make_user(role), announcements) is START[role]


def test_the_progress_shows_on_the_thread_page(
    announcements, client, django_capture_on_commit_callbacks
):
    organiser = make_user("organiser")
    UserFactory.create_batch(2)
    thread = _announce(django_capture_on_commit_callbacks, announcements, organiser)
    client.force_login(organiser)
    text = client.get(thread.get_absolute_url()).text
    assert "<progress" in text and 'value="3"' in text
    client.force_login(UserFactory())
    assert "<progress" not in client.get(thread.get_absolute_url()).text


def test_one_click_unsubscribe_from_announcements_only(client):
    member = UserFactory()
    url = services.unsubscribe_url(member, LetterKind.ANNOUNCEMENT)
    assert client.post(url).status_code == 200
    assert list(LetterOptOut.objects.filter(user=member).values_list("kind", flat=True)) == [
        LetterKind.ANNOUNCEMENT
    ]
    assert reverse("letters:announcement_unsubscribe", args=["x"]) != url
