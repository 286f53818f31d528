"""Account holes an attacker would try: sessions that outlive a new password,
a session id planted before login, sign-up telling who is a member by how
fast it answers."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings as django_settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "et-helt-nyt-og-langt-kodeord"
SIGNUP = {
    "display_name": "Signe Iværksætter",
    "password1": "en-lang-og-god-adgangskode",
    "password2": "en-lang-og-god-adgangskode",
    "accept_guidelines": "on",
}


def logged_in(client) -> bool:
    """Whether the client's session is (still) a signed-in one, asked of the site."""
    response = client.get(reverse("accounts:profile_edit"))
    return response.status_code == 200


def signed_in_client(member, password=PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": member.email, "password": password})
    assert response.status_code == 302
    assert logged_in(client)
    return client


# --- A new password ends the sessions that knew the old one ------------------------


def test_changing_the_password_logs_out_every_session():
    member = UserFactory()
    elsewhere = signed_in_client(member)
    here = signed_in_client(member)

    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert not logged_in(elsewhere)
    assert not logged_in(here)  # ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE
    signed_in_client(member, NEW_PASSWORD)  # the new password works


def test_resetting_the_password_logs_out_every_session(mailoutbox):
    member = UserFactory()
    elsewhere = signed_in_client(member)
    visitor = Client()

    visitor.post(reverse("account_reset_password"), {"email": member.email})
    path = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+/)", mailoutbox[-1].body)[1]
    form_url = visitor.get(path)["Location"]  # the key moves into the session
    response = visitor.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert not logged_in(elsewhere)
    assert not logged_in(visitor)


# --- Session fixation ------------------------------------------------------------------


def planted_client() -> tuple[Client, str]:
    """A browser holding a session id that an attacker made and knows."""
    session = SessionStore()
    session["planted"] = True
    session.save()
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
    return client, session.session_key


def test_logging_in_replaces_a_planted_session_id():
    member = UserFactory()
    client, planted = planted_client()
    assert client.get(reverse("account_login")).status_code == 200

    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})

    assert response.status_code == 302
    new_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert new_key != planted
    assert not SessionStore().exists(planted) or "_auth_user_id" not in SessionStore(planted).load()
    attacker = Client()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = planted
    assert not logged_in(attacker)
    assert logged_in(client)


def test_logging_in_with_two_factor_replaces_a_planted_session_id():
    leader = UserFactory(roles=["network_leader"], totp=True)
    client, planted = planted_client()

    response = client.post(reverse("account_login"), {"login": leader.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    secret = decrypt(Authenticator.objects.get(user=leader, type="totp").data["secret"])
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value != planted
    attacker = Client()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = planted
    assert not logged_in(attacker)
    assert logged_in(client)


# --- Sign-up does not tell who is a member ----------------------------------------------


class CountingHasher(MD5PasswordHasher):
    """Counts the password hashes made (the slow, costly part of a sign-up)."""

    algorithm = "counting_md5"
    made = 0

    def encode(self, password, salt):
        type(self).made += 1
        return super().encode(password, salt)


class SlowHasher(MD5PasswordHasher):
    """Takes as long as a production hash, so that timing shows."""

    algorithm = "slow_md5"
    seconds = 0.3

    def encode(self, password, salt):
        time.sleep(self.seconds)
        return super().encode(password, salt)


def test_sign_up_hashes_the_password_whether_or_not_the_address_has_an_account(client, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(email="findes@example.com")
    made = {}
    for email in ("ny@example.com", "findes@example.com"):
        CountingHasher.made = 0
        response = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
        assert response.status_code == 302
        made[email] = CountingHasher.made
    assert made["ny@example.com"] >= 1
    assert made["findes@example.com"] == made["ny@example.com"]
    assert User.objects.filter(email="findes@example.com").count() == 1


def test_sign_up_for_an_existing_address_takes_as_long_as_for_a_new_one(client, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.SlowHasher"]
    UserFactory(email="findes@example.com")
    seconds = {}
    for email in ("ny@example.com", "findes@example.com"):
        started = time.perf_counter()
        client.post(reverse("account_signup"), {**SIGNUP, "email": email})
        seconds[email] = time.perf_counter() - started
    # The hash dominates both; without it the existing address answered at once.
    assert seconds["ny@example.com"] >= SlowHasher.seconds
    assert seconds["findes@example.com"] >= SlowHasher.seconds
