"""The asker's notice, "ikke lige nu", "Spørg et medlem" and the profile opt-in."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from relay import services
from relay.models import RelayRequest, Step
from tests.conftest import ROLES, make_user
from tests.factories import CategoryFactory, UserFactory
from tests.relay.conftest import helper
from tests.relay.test_relay import STEP_1

pytestmark = pytest.mark.django_db


@pytest.fixture
def relayed(question, run_on_commit):
    for _ in range(3):
        helper("moms", display_name="Hemmelig Hjælper")
    run_on_commit(services.run_relay, now=STEP_1)
    assert RelayRequest.objects.count() == 3
    return question


def test_the_asker_sees_how_many_were_asked_without_names(relayed, louise, client_for):
    response = client_for(louise).get(relayed.get_absolute_url())
    text = response.content.decode()
    assert "Vi har bedt 3 medlemmer med erfaring i moms om at kigge." in text
    assert "Hemmelig Hjælper" not in text


@pytest.mark.parametrize("role", ROLES)
def test_nobody_else_sees_who_or_how_many_were_asked(relayed, client_for, role):
    response = client_for(make_user(role)).get(relayed.get_absolute_url())
    assert response.status_code in (200, 403)  # visitors may not read members' categories
    text = response.content.decode()
    assert "Vi har bedt" not in text
    assert "Hemmelig Hjælper" not in text


def test_the_notice_goes_once_someone_replied(relayed, louise, client_for):
    from forum import services as forum_services

    forum_services.post_reply(thread=relayed, author=UserFactory(), body="Svar")
    response = client_for(louise).get(relayed.get_absolute_url())
    assert "Vi har bedt" not in response.content.decode()


def test_the_thread_page_queries_stay_pinned_with_the_relay(
    relayed, louise, client_for, django_assert_max_num_queries
):
    client = client_for(louise)
    client.get(relayed.get_absolute_url())
    with django_assert_max_num_queries(40) as captured:
        client.get(relayed.get_absolute_url())
    relay_queries = [q for q in captured.captured_queries if "relay_" in q["sql"]]
    assert len(relay_queries) == 1


# --- Ikke lige nu ---------------------------------------------------------------------------


def test_not_right_now_from_the_mail(relayed):
    request = RelayRequest.objects.first()
    url = reverse("relay:decline", kwargs={"token": services.decline_token(request)})
    client = Client()
    response = client.get(url)
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.declined_at is None  # a link scanner's GET declines nothing
    response = client.post(url)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.declined_at is not None


def _form(html: str) -> tuple[str, dict]:
    """The page's one POST form: its action and the fields a browser would send."""
    [form] = re.findall(r'<form method="post"(?: action="([^"]*)")?>(.*?)</form>', html, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[1]))
    assert re.search(r'<button type="submit"[^>]*>\s*Ikke lige nu\s*</button>', form[1])
    return form[0], fields


def test_the_asker_notice_is_plain_html_on_the_thread_page(relayed, louise, client_for):
    """No script draws the notice: it is in the page the server sends."""
    html = client_for(louise).get(relayed.get_absolute_url()).content.decode()
    notice = re.search(
        r'<section class="alert[^"]*" aria-label="Hjælpen er på vej">(.*?)</section>', html, re.S
    )
    assert notice and "Vi har bedt 3 medlemmer med erfaring i moms om at kigge." in notice[1]
    assert "<script" not in notice[1] and "data-hx" not in notice[1]


def test_not_right_now_from_the_mail_works_without_javascript(mailoutbox, relayed):
    """The link in the mail opens a page with a plain form; posting it as a
    browser without script would (CSRF checked) declines and thanks."""
    request = RelayRequest.objects.order_by("pk").first()
    [mail] = [m for m in mailoutbox if m.to == [request.member.email]]
    [url] = re.findall(r"Ikke lige nu: (\S+)", mail.body)
    path = url.split("://", 1)[1].split("/", 1)[1]
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/" + path)
    assert page.status_code == 200
    action, fields = _form(page.content.decode())
    assert "csrfmiddlewaretoken" in fields
    response = browser.post(action or "/" + path, fields, follow=True)
    assert response.redirect_chain[-1][0] == reverse("relay:declined")
    assert "Tak fordi du sagde til." in response.content.decode()
    request.refresh_from_db()
    assert request.declined_at is not None
    # The link again: it says so, with no second button.
    again = browser.get("/" + path).content.decode()
    assert "Du har allerede sagt til. Tak." in again and '<form method="post">' not in again


def test_a_bad_or_foreign_decline_link(relayed, member_client):
    request = RelayRequest.objects.first()
    assert Client().get(reverse("relay:decline", kwargs={"token": "nonsense"})).status_code == 404
    url = reverse("relay:decline", kwargs={"token": services.decline_token(request)})
    assert member_client.post(url).status_code == 403
    request.refresh_from_db()
    assert request.declined_at is None


# --- Spørg et medlem ----------------------------------------------------------------------


def test_ask_a_member_from_their_profile(member_client, member, run_on_commit):
    bente = UserFactory(display_name="Bente")
    category = CategoryFactory()
    profile = member_client.get(bente.get_absolute_url())
    assert reverse("relay:ask_member", args=[bente.pk]) in profile.content.decode()
    url = reverse("relay:ask_member", args=[bente.pk])
    assert member_client.get(url).status_code == 200
    response = member_client.post(
        url,
        {
            "category": category.pk,
            "kind": "question",
            "title": "Hvordan registrerer jeg moms?",
            "body": "Jeg er ny.",
            "tags_text": "moms",
        },
    )
    assert response.status_code == 302
    invitation = RelayRequest.objects.get()
    assert (invitation.member, invitation.step) == (bente, Step.INVITED)
    assert invitation.thread.author == member
    assert Notification.objects.filter(recipient=bente, kind=services.INVITED_KIND).exists()


def test_ask_a_member_keeps_the_text_on_a_failed_submit(member_client):
    bente = UserFactory()
    url = reverse("relay:ask_member", args=[bente.pk])
    response = member_client.post(url, {"title": "", "body": "Min tekst 🙂", "kind": "question"})
    assert response.status_code == 200
    assert "Min tekst 🙂" in response.content.decode()
    assert not RelayRequest.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("member", 200)])
def test_ask_a_member_permissions(client_for, role, status):
    bente = UserFactory()
    CategoryFactory()
    response = client_for(make_user(role)).get(reverse("relay:ask_member", args=[bente.pk]))
    assert response.status_code == status


def test_nobody_asks_themselves(member_client, member):
    response = member_client.get(reverse("relay:ask_member", args=[member.pk]))
    assert response.status_code == 403
    assert member_client.get(reverse("relay:ask_member", args=[99999])).status_code == 404


# --- The opt-in on the profile ----------------------------------------------------------


def _profile_data(who, **extra):
    return {
        "display_name": who.display_name,
        "handle": who.handle,
        "company": "",
        "industry": "",
        "region": "",
        "skills_text": "moms, bogføring",
        "looking_for": "",
        "bio": "",
        "website": "",
        "notification_email": "never",
        "language": "da",
        **extra,
    }


def test_a_member_opts_in_on_their_own_profile(member_client, member):
    page = member_client.get(reverse("accounts:profile_edit"))
    assert "help_requests" in page.content.decode()
    response = member_client.post(
        reverse("accounts:profile_edit"),
        _profile_data(
            member,
            help_requests="on",
            help_requests_per_week="2",
            help_requests_paused_until="2026-12-24",
        ),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.help_requests is True
    assert member.help_requests_per_week == 2
    assert str(member.help_requests_paused_until) == "2026-12-24"


def test_a_member_cannot_opt_someone_else_in(member_client, member):
    other = UserFactory()
    member_client.post(
        reverse("accounts:profile_edit"),
        _profile_data(member, help_requests="on", id=other.pk, pk=other.pk, user=other.pk),
    )
    other.refresh_from_db()
    assert other.help_requests is False
    assert User.objects.get(pk=member.pk).help_requests is True


@pytest.mark.parametrize("cap", ["0", "21", "x", "-1"])
def test_a_bad_cap_is_refused_and_the_text_kept(member_client, member, cap):
    response = member_client.post(
        reverse("accounts:profile_edit"),
        _profile_data(member, help_requests="on", help_requests_per_week=cap, bio="Min bio"),
    )
    assert response.status_code == 200
    assert "Min bio" in response.content.decode()
    member.refresh_from_db()
    assert member.help_requests is False
