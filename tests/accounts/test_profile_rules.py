"""Silenced members, reserved handles, names that claim a role (issue 24)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Sanction, SanctionKind, is_reserved_handle, names_a_role
from tests.conftest import ROLES, make_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Nyt Navn",
    "company": "Navn ApS",
    "region": "hovedstaden",
    "bio": "Ny bio",
    "language": "en",
}


def silence(user):
    Sanction.objects.create(
        user=user,
        kind=SanctionKind.SILENCE,
        reason="Ro på",
        ends_at=timezone.now() + timedelta(days=1),
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_the_public_profile(client_for, client, role):
    user = make_user(role)
    browser = client_for(user) if user else client
    response = browser.post(reverse("accounts:profile_edit"), PROFILE)
    if user is None:
        assert response.status_code == 302 and "login" in response["Location"]
        return
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Nyt Navn", "Ny bio")


def test_a_silenced_member_cannot_change_what_others_read(member, member_client):
    before = (member.display_name, member.bio, member.handle)
    silence(member)

    page = member_client.get(reverse("accounts:profile_edit"))
    response = member_client.post(
        reverse("accounts:profile_edit"), {**PROFILE, "handle": "nyt-haandtag"}
    )

    assert "disabled" in page.text
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.bio, member.handle) == before
    assert member.language == "en"  # their own settings still change


@pytest.mark.parametrize(
    "handle", ["admin", "moderator", "netvaerk", "admin-2", "moderator1", "support"]
)
def test_reserved_handles_are_refused(member, member_client, handle):
    response = member_client.post(
        reverse("accounts:profile_edit"), {"display_name": "Navn", "handle": handle}
    )
    assert response.status_code == 200
    assert handle in response.text  # what was typed survives
    member.refresh_from_db()
    assert member.handle != handle


@pytest.mark.parametrize(
    "name",
    ["Moderator Mette", "Admin", "mette (moderator)", "Netværksleder Jens", "Network Leader"],
)
def test_display_names_claiming_a_role_are_refused(member, member_client, name):
    response = member_client.post(reverse("accounts:profile_edit"), {"display_name": name})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.display_name != name


@pytest.mark.parametrize("name", ["Mette Modersen", "Adminah Larsen", "Søren Bech"])
def test_ordinary_names_pass(name):
    assert not names_a_role(name)


def test_helpers():
    assert is_reserved_handle("Admin") and is_reserved_handle("net-vaerk")
    assert not is_reserved_handle("mette-admin-hjaelper")


def test_an_automatic_handle_is_never_reserved():
    UserFactory(handle="x1")
    assert not is_reserved_handle(services.unique_handle("Admin"))
    assert not is_reserved_handle(services.unique_handle("Moderator"))


def test_sign_up_refuses_a_role_name(client):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Moderator",
            "email": "ny@example.com",
            "password1": "et-langt-kodeord-123",
            "password2": "et-langt-kodeord-123",
            "accept_guidelines": "on",
        },
    )
    assert response.status_code == 200
    assert "ny@example.com" in response.text
