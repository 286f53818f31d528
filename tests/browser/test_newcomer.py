"""A newcomer's first steps in a real browser: sign up, verify, log in, land on
the welcome page, fill in the profile (ticked off), start the prefilled
introduction, and sign up for coffee pairs."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from kaffe.models import CoffeeSignup
from tests.factories import UserFactory
from velkomst.models import Welcome

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _confirmation_path(mailoutbox) -> str:
    bodies = [m.body for m in mailoutbox if "confirm-email" in m.body]
    match = re.search(r"https?://[^/\s]+(/konto/confirm-email/\S+/)", bodies[-1])
    assert match
    return match.group(1)


def test_a_newcomer_is_welcomed_and_signs_up_for_coffee(site, page, mailoutbox, assert_accessible):
    from forum.models import Category

    # A migration installs it; an earlier journey's flush may have taken it.
    Category.objects.get_or_create(slug="praesentation", defaults={"name": "Præsentation"})
    UserFactory(display_name="Olga Organisator", roles=["organiser"], region="syddanmark")
    page.goto(site + "/konto/signup/")
    page.get_by_label("Dit navn").fill("Nanna Ny")
    page.get_by_label("E-mail").fill("nanna@example.com")
    page.get_by_label("Adgangskode", exact=False).first.fill("nannas-hemmelige-kode")
    page.get_by_label(re.compile("gentag|igen", re.IGNORECASE)).fill("nannas-hemmelige-kode")
    page.get_by_label(re.compile("accepterer")).check()
    page.get_by_role("button", name="Opret konto").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("e-?mail", re.IGNORECASE)
    )
    page.goto(site + _confirmation_path(mailoutbox))
    page.get_by_role("button", name=re.compile("Bekræft")).click()

    # The first login leads to the welcome page: three steps, none done yet.
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill("nanna@example.com")
    page.get_by_label("Adgangskode").fill("nannas-hemmelige-kode")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Nanna Ny!")
    expect(page.get_by_text("0 af 3 trin klaret")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Udfyld din profil"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Præsenter dig selv"))).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("Stil dit første spørgsmål"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile("Vælg din region"))).to_be_visible()
    assert_accessible(page)

    # Step 1: the profile. Back on the welcome page it is ticked off, and an
    # organiser in the chosen region is now the greeter.
    page.get_by_role("link", name="Rediger din profil").click()
    page.get_by_label("Branche").fill("Keramik")
    page.get_by_label("Jeg kan hjælpe med").fill("keramik, webshop")
    page.get_by_label("Region").select_option("syddanmark")
    page.get_by_role("button", name="Gem profil").click()
    page.goto(site + "/velkommen/")
    expect(page.get_by_text("1 af 3 trin klaret")).to_be_visible()
    expect(page.locator("#step-profile")).to_contain_text("Klaret")
    expect(page.get_by_text(re.compile("Olga Organisator byder dig velkommen"))).to_be_visible()
    newcomer = User.objects.get(email="nanna@example.com")
    assert Welcome.objects.get(member=newcomer).greeter.display_name == "Olga Organisator"
    assert_accessible(page)

    # Step 2: the introduction opens prefilled.
    page.get_by_role("link", name="Skriv din præsentation").click()
    expect(page.get_by_label("Titel")).to_have_value("Hej fra Nanna Ny")

    # Coffee pairs: one click to sign up, one to leave.
    page.goto(site + "/kaffe/")
    assert_accessible(page)
    page.get_by_label("Hvor vil du gerne mødes?").select_option("online")
    page.get_by_role("button", name="Tilmeld mig kaffemakker").click()
    expect(page.locator(".messages")).to_contain_text("Du er tilmeldt kaffemakker")
    assert CoffeeSignup.objects.get(member=newcomer).place == "online"
    assert_accessible(page)
    page.get_by_role("button", name="Stop med at parre mig").click()
    expect(page.locator(".messages")).to_contain_text("ikke længere tilmeldt")
    assert not CoffeeSignup.objects.exists()


def test_the_asker_accepts_an_answer_and_writes_what_they_did(site, page, assert_accessible):
    from forum import services as forum_services
    from forum.models import Category, Thread
    from tests.browser.test_moeder import log_in

    asker = UserFactory(email="spoerger@example.com", display_name="Sara Spørger")
    category = Category.objects.create(name="Økonomi", slug="oekonomi-test")
    thread = forum_services.start_thread(
        category=category, author=asker, title="Moms ved salg til EU", kind="question",
        body="Hvordan gør I?",
    )  # fmt: skip
    forum_services.post_reply(thread=thread, author=UserFactory(), body="Brug OSS-ordningen.")
    log_in(page, site, "spoerger@example.com")
    page.goto(site + thread.get_absolute_url())
    page.get_by_role("button", name="Markér som accepteret svar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvad endte du med at gøre?")
    assert_accessible(page)
    page.get_by_label("Hvad endte du med at gøre?").fill("Jeg tilmeldte mig OSS hos Skat.")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator(".accepted-outcome")).to_contain_text("Jeg tilmeldte mig OSS hos Skat.")
    expect(page.locator(".accepted-outcome")).to_contain_text("Hvad Sara Spørger endte med at gøre")
    assert_accessible(page)
    assert Thread.objects.get(pk=thread.pk).outcome == "Jeg tilmeldte mig OSS hos Skat."
