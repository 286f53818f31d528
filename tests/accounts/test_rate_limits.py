"""allauth's rate limits (ACCOUNT_RATE_LIMITS) answer with the project's 429
page, never a server error, and hold per address as configured."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "display_name": "Signe Iværksætter",
    "password1": "en-lang-og-god-adgangskode",
    "password2": "en-lang-og-god-adgangskode",
    "accept_guidelines": "on",
}
NEW_PASSWORD = {"password1": "et-helt-nyt-kodeord", "password2": "et-helt-nyt-kodeord"}


def assert_rate_limit_page(response):
    assert response.status_code == 429
    assert "Sæt tempoet lidt ned" in response.text
    assert "Vent lidt, og prøv igen." in response.text


def test_the_31st_login_in_a_minute_gets_the_429_page(client):
    """The reported case, with the real settings: allauth's `login` limit is 30/m/ip."""
    member = UserFactory()
    form = {"login": member.email, "password": PASSWORD}
    codes = [client.post(reverse("account_login"), form).status_code for _ in range(30)]
    assert 429 not in codes
    assert_rate_limit_page(client.post(reverse("account_login"), form))


# Each allauth limit that answers 429: the request that uses it up (twice: the
# second is over a limit of one).
ALLAUTH_LIMITS = {
    "login": lambda client, member: (
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
    ),
    "signup": lambda client, member: (
        reverse("account_signup"),
        {**SIGNUP, "email": "ny@example.com"},
    ),
    "reset_password": lambda client, member: (
        reverse("account_reset_password"),
        {"email": member.email},
    ),
    "reset_password_from_key": lambda client, member: (
        reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "ugyldig"}),
        NEW_PASSWORD,
    ),
    "change_password": lambda client, member: (
        reverse("account_change_password"),
        {"oldpassword": "forkert", **NEW_PASSWORD},
    ),
    "manage_email": lambda client, member: (
        reverse("account_email"),
        {"action_add": "", "email": "ikke-en-adresse"},
    ),
    "reauthenticate": lambda client, member: (
        reverse("account_reauthenticate"),
        {"password": "forkert"},
    ),
}
PER_USER = {"change_password", "manage_email", "reauthenticate"}


@pytest.mark.parametrize("action", sorted(ALLAUTH_LIMITS))
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_allauth_limit_answers_with_the_429_page(settings, action, language):
    settings.ACCOUNT_RATE_LIMITS = {action: "1/m/user" if action in PER_USER else "1/m/ip"}
    member = UserFactory()
    client = Client(headers={"accept-language": language})
    if action in PER_USER:
        client.force_login(member)
    url, data = ALLAUTH_LIMITS[action](client, member)
    if language == "en":
        url = "/en" + url
    first = client.post(url, data)
    assert first.status_code != 429
    response = client.post(url, data)
    assert response.status_code == 429
    if language == "da":
        assert_rate_limit_page(response)
    else:
        assert "Slow down a little" in response.text
        assert "Please wait a little and try again." in response.text


def test_too_many_failed_logins_is_a_form_error_not_a_page(client):
    """`login_failed` refuses inside the form (allauth does not answer 429)."""
    member = UserFactory()
    for _ in range(6):
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": "forkert"}
        )
    assert response.status_code == 200
    assert "for mange mislykkede" in response.text.lower()


def test_the_eleventh_sign_up_in_an_hour_from_one_address_is_refused(client):
    """ACCOUNT_RATE_LIMITS["signup"] is 10/h/ip; fresh clients (no cookies) count too."""
    codes = []
    for number in range(14):
        visitor = Client(REMOTE_ADDR="203.0.113.7")
        response = visitor.post(
            reverse("account_signup"), {**SIGNUP, "email": f"ny{number}@example.com"}
        )
        codes.append(response.status_code)
    assert codes == [302] * 10 + [429] * 4
    assert User.objects.filter(email__startswith="ny").count() == 10
    # Another address may still sign up.
    other = Client(REMOTE_ADDR="203.0.113.8")
    response = other.post(reverse("account_signup"), {**SIGNUP, "email": "andet@example.com"})
    assert response.status_code == 302
