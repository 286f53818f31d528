"""The admin opens only after the site's own sign-in with two factors (issue 24)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def totp_code(user):
    secret = decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, user, next_url="/admin/"):
    return client.post(
        f"{reverse('account_login')}?next={next_url}",
        {"login": user.email, "password": PASSWORD},
    )


def test_admin_login_page_sends_to_the_sites_sign_in(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2Faccounts%2Fuser%2F"


def test_admin_login_ignores_a_foreign_next(client):
    response = client.get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"


def test_admin_login_form_post_does_not_log_in_with_the_password_alone(client):
    admin = UserFactory(is_staff=True, is_superuser=True, totp=True)

    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_password_alone_does_not_open_the_admin_for_a_superuser_with_totp(client):
    admin = UserFactory(is_staff=True, is_superuser=True, totp=True)

    response = sign_in(client, admin)

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302


def test_password_and_code_open_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True, totp=True)

    sign_in(client, admin)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(admin)})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_wrong_code_keeps_the_admin_closed(client):
    admin = UserFactory(is_staff=True, is_superuser=True, totp=True)

    sign_in(client, admin)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert client.get("/admin/").status_code == 302


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client):
    staff = UserFactory(is_staff=True)
    sign_in(client, staff)

    response = client.get("/admin/", follow=True)

    urls = [url for url, _status in response.redirect_chain]
    # allauth asks for the password again before an authenticator is added.
    assert reverse("mfa_activate_totp") in urls
    assert "/admin/" not in urls[-1]
    assert client.get("/admin/accounts/user/").status_code == 302


def test_a_session_from_before_the_authenticator_must_confirm_a_code(client):
    staff = UserFactory(is_staff=True, is_superuser=True, totp=True)
    client.force_login(staff)

    response = client.get("/admin/login/?next=/admin/")

    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"
    assert client.get("/admin/").status_code == 302
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(staff)})
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [None, "member", "organiser", "moderator", "network_leader"])
def test_non_staff_never_open_the_admin(client, role):
    if role is None:
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        return
    user = UserFactory(roles=[] if role == "member" else [role], totp=True)
    sign_in(client, user)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})

    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/").status_code == 403


def test_admin_sign_in_is_rate_limited(client):
    # Without an authenticator the password alone would sign in: the lockout shows.
    staff = UserFactory(is_staff=True, is_superuser=True)

    for _ in range(6):
        client.post(reverse("account_login"), {"login": staff.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
