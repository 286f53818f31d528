"""Signed-in pages are private to caches; every response has a Permissions-Policy (issue 24)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["member", "organiser", "moderator", "network_leader"])
def test_signed_in_pages_are_private(client_for, role):
    from tests.conftest import make_user

    response = client_for(make_user(role)).get(reverse("forum:index"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_anonymous_pages_are_not_marked_private(client):
    response = client.get(reverse("forum:index"))
    assert "private" not in response.get("Cache-Control", "")


def test_every_response_has_a_permissions_policy(client, member_client):
    for browser in (client, member_client):
        policy = browser.get(reverse("home"))["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy


def test_the_permissions_policy_can_be_turned_off(client, settings):
    settings.NETVAERK_PERMISSIONS_POLICY = ""
    assert "Permissions-Policy" not in client.get(reverse("home"))
