import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "display_name": "Signe Iværksætter",
    "email": "signe@example.com",
    "password1": "en-lang-og-god-adgangskode",
    "password2": "en-lang-og-god-adgangskode",
    "accept_guidelines": "on",
}


def confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_verify_and_log_in(client, mailoutbox):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="signe@example.com")
    assert user.display_name == "Signe Iværksætter"
    assert user.guidelines_accepted_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["signe@example.com"]
    assert "Bekræft" in message.subject or "bekræft" in message.body.lower()

    # Not verified yet: logging in sends to the "verify your address" page.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "signe@example.com", "password": SIGNUP["password1"]}
    )
    assert "_auth_user_id" not in client.session

    link = confirmation_link(mailoutbox[-1])
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="signe@example.com").verified

    response = client.post(
        reverse("account_login"), {"login": "signe@example.com", "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_up_mail_is_sent_by_a_background_task(client, settings, mailoutbox):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post(reverse("account_signup"), SIGNUP)
    assert mailoutbox == []  # nothing sent inside the request
    task = DBTaskResult.objects.get()
    assert task.task_path == "netvaerk.mail.send_email"
    assert task.args_kwargs["kwargs"]["to"] == ["signe@example.com"]


def test_sign_up_does_not_reveal_an_existing_address(client, mailoutbox):
    UserFactory(email="findes@example.com")
    new = client.post(reverse("account_signup"), {**SIGNUP, "email": "ny@example.com"})
    taken = client.post(reverse("account_signup"), {**SIGNUP, "email": "findes@example.com"})
    # Both go to the same "check your mail" page ...
    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"]
    # ... and the owner of the existing address is told by mail, not the visitor.
    assert [m.to for m in mailoutbox] == [["ny@example.com"], ["findes@example.com"]]
    assert User.objects.filter(email="findes@example.com").count() == 1


def test_password_reset_does_not_reveal_whether_an_address_exists(client, mailoutbox):
    UserFactory(email="kendt@example.com")
    url = reverse("account_reset_password")
    known = client.post(url, {"email": "kendt@example.com"})
    unknown = client.post(url, {"email": "ukendt@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The owner of a known address gets a reset link; an unknown address is
    # told by mail that it has no account. The visitor learns nothing.
    assert [m.to for m in mailoutbox] == [["kendt@example.com"], ["ukendt@example.com"]]
    assert "/konto/password/reset/key/" in mailoutbox[0].body
    assert "/konto/password/reset/key/" not in mailoutbox[1].body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "ikke-en-adresse"}, "email"),
        ({"password1": "kort", "password2": "kort"}, "password1"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1"),
        ({"password2": "noget-helt-andet-123"}, "password2"),
        ({"accept_guidelines": ""}, "accept_guidelines"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 500}, "display_name"),
        ({"email": "a" * 300 + "@example.com"}, "email"),
    ],
)
def test_bad_sign_up_input_gives_an_error_and_keeps_the_rest(client, changes, field):
    data = {**SIGNUP, **changes}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert not User.objects.exists()
    if field != "display_name":
        assert "Signe Iværksætter" in response.text
    if field != "email":
        assert "signe@example.com" in response.text


def test_sign_up_errors_are_translated(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "accept_guidelines": ""})
    assert "Du skal acceptere retningslinjerne" in response.text


def test_expired_or_unknown_verification_link_gives_a_clear_page(client):
    response = client.get("/konto/confirm-email/ugyldig-nøgle/")
    assert response.status_code == 200
    assert "udløbet eller ugyldigt" in response.text
    response = client.post("/konto/confirm-email/ugyldig-nøgle/")
    assert response.status_code in (200, 302, 404)


def test_reused_verification_link_is_harmless(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    link = confirmation_link(mailoutbox[-1])
    assert client.post(link).status_code == 302
    again = client.get(link)
    assert again.status_code == 200
    assert "udløbet eller ugyldigt" in again.text
    assert EmailAddress.objects.filter(email="signe@example.com", verified=True).count() == 1


def test_bad_password_reset_link_gives_a_clear_page(client):
    response = client.get("/konto/password/reset/key/1-ugyldig/", follow=True)
    assert response.status_code == 200
    assert "ugyldigt" in response.text.lower()


def test_login_with_wrong_password_is_a_translated_error(client):
    UserFactory(email="m@example.com")
    response = client.post(
        reverse("account_login"), {"login": "m@example.com", "password": "forkert"}
    )
    assert response.status_code == 200
    assert "adgangskode er ikke korrekt" in response.text


def test_login_is_rate_limited(client, settings):
    UserFactory(email="m@example.com")
    for _ in range(6):
        response = client.post(
            reverse("account_login"), {"login": "m@example.com", "password": "forkert"}
        )
    assert "for mange mislykkede" in response.text.lower()


def test_email_change_requires_verification(member, member_client, mailoutbox):
    old_email = member.email
    # Issue 24: a session without a recent sign-in must give the password again.
    response = member_client.post(
        reverse("account_email"), {"action_add": "", "email": "nyadresse@example.com"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="nyadresse@example.com").exists()
    member_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = member_client.post(
        reverse("account_email"), {"action_add": "", "email": "nyadresse@example.com"}
    )
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="nyadresse@example.com")
    assert not address.verified
    member.refresh_from_db()
    assert member.email != "nyadresse@example.com"
    assert "nyadresse@example.com" in mailoutbox[-1].to
    key = EmailConfirmationHMAC(address).key
    member_client.post(reverse("account_confirm_email", args=[key]))
    member.refresh_from_db()
    assert member.email == "nyadresse@example.com"
    # The old address hears of the change.
    assert old_email in mailoutbox[-1].to


def test_password_change(member, member_client):
    response = member_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "et-nyt-og-langt-kodeord",
            "password2": "et-nyt-og-langt-kodeord",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("et-nyt-og-langt-kodeord")


def test_a_newcomer_is_welcomed_and_a_returning_member_welcomed_back(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    client.post(client.get(confirmation_link(mailoutbox[-1])).wsgi_request.path)
    login = {"login": "signe@example.com", "password": SIGNUP["password1"]}
    client.post(reverse("account_login"), login)
    first = client.get(reverse("home")).text
    name = '<bdi lang="da">Signe Iværksætter</bdi>'  # isolated, with its language
    assert f"Velkommen til netværket, {name}." in first
    assert "Velkommen tilbage" not in first

    client.logout()
    client.post(reverse("account_login"), login)
    again = client.get(reverse("home")).text
    assert f"Velkommen tilbage, {name}." in again
    assert "Velkommen til netværket" not in again
