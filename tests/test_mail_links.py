"""Every kind of mail, rendered with a site address that is not the request's:
every link in it is absolute and on that address, and the site's name is the
configured one (tests/mail_links.py checks every other mail the suite sends)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from duties import services as duty_services
from moeder import notify
from moeder.tentative import confirmation_message
from needs import services as need_services
from netvaerk.markup import render_markdown
from notifications import services as notification_services
from tests.duties.factories import DutySlotFactory
from tests.factories import PostFactory, UserFactory
from tests.mail_links import links, relative_links
from tests.moeder.factories import MeetupFactory
from tests.needs.factories import NeedFactory

pytestmark = pytest.mark.django_db

BASE = "https://netvaerk.example.dk"
NAME = "Netværk Nord"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NETVAERK_BASE_URL = BASE + "/"
    settings.NETVAERK_SITE_NAME = NAME


def assert_links_on_the_site(message, at_least=1):
    assert relative_links(message) == []
    found = links(message)
    assert len(found) >= at_least, message.body
    assert all(link.startswith(BASE + "/") for link in found), found
    assert "testserver" not in message.body and "127.0.0.1" not in message.body


@pytest.mark.parametrize(
    "kind",
    [
        notify.INVITATION,
        notify.UPDATE,
        notify.CANCELLATION,
        notify.PROMOTION,
        notify.WAITLISTED,
        notify.DAY_BEFORE,
        notify.MORNING,
        notify.RECAP,
    ],
)
def test_every_meetup_mail_links_absolutely(kind):
    source = "Se [tråden](/forum/) og <https://example.org/x>."
    meetup = MeetupFactory(description=source, description_html=render_markdown(source))
    message = notify.meetup_message(kind, meetup=meetup, member=UserFactory())
    assert relative_links(message) == []
    found = links(message)
    assert found or kind == notify.CANCELLATION, message.body
    # Links a member wrote may point elsewhere; the site's own are on BASE.
    assert all(
        link.startswith(BASE + "/") or link.startswith("https://example.org/") for link in found
    ), found
    assert "testserver" not in message.body and "127.0.0.1" not in message.body
    if "tråden" in message.body:
        assert f"tråden ({BASE}/forum/)" in message.body


def test_the_invitation_to_a_meetup_planned_from_a_need_links_the_need_absolutely(organiser):
    need = NeedFactory(title="Mød fødevare-iværksættere")
    meetup = need_services.plan_need(need=need, organiser=organiser)
    message = notify.meetup_message(notify.INVITATION, meetup=meetup, member=UserFactory())
    assert BASE + need.get_absolute_url() in message.body
    assert_links_on_the_site(message, at_least=5)


def test_the_tentative_confirmation_links_absolutely():
    message = confirmation_message(meetup=MeetupFactory(), member=UserFactory())
    assert_links_on_the_site(message)


def test_duty_mails_link_absolutely():
    slot = DutySlotFactory(member=UserFactory())
    for message in (
        duty_services._start_message(slot),
        duty_services._handover_message(slot, UserFactory()),
    ):
        assert_links_on_the_site(message, at_least=1)
        assert NAME in message.body


@pytest.mark.parametrize("digest", [False, True])
def test_notification_mails_link_absolutely(digest):
    user = UserFactory()
    post = PostFactory()
    notification = notification_services.notice(
        recipient=user, message=lambda: "Hej", subject=post.thread, link=post.get_absolute_url()
    )
    notifications = notification_services.resolve([notification], user)
    message = notification_services._message(user, notifications, digest=digest)
    assert_links_on_the_site(message, at_least=3)
    assert NAME in message.body


def test_allauth_mails_use_the_configured_site_not_the_request(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.com",
            "display_name": "Signe",
            "password1": "en-lang-og-god-adgangskode",
            "password2": "en-lang-og-god-adgangskode",
            "accept_guidelines": "on",
        },
        HTTP_HOST="127.0.0.1:8024",
    )
    client.post(
        reverse("account_reset_password"), {"email": "ingen@example.com"}, HTTP_HOST="localhost"
    )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_links_on_the_site(message)
        assert message.subject.startswith(f"[{NAME}] ")
        assert NAME in message.body
        assert not re.search(r"127\.0\.0\.1|localhost|testserver", message.body)
