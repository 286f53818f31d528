import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    # Transactional (the live server runs in another thread); serialized rollback
    # puts back the migrated rows (categories, guidelines) after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _confirmation_path(mailoutbox) -> str:
    match = re.search(r"https?://[^/\s]+(/konto/confirm-email/\S+/)", mailoutbox[-1].body)
    assert match, mailoutbox[-1].body
    return match.group(1)


def test_sign_up_verify_log_in_edit_profile_and_switch_language(
    site, page, mailoutbox, assert_accessible
):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Iværksættere")
    assert_accessible(page)

    page.get_by_role("link", name="Bliv medlem").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Dit navn").fill("Rikke Rasmussen")
    page.get_by_label("E-mail").fill("rikke@example.com")
    page.get_by_label("Adgangskode", exact=False).first.fill("rikkes-hemmelige-kode")
    page.get_by_label(re.compile("gentag|igen", re.IGNORECASE)).fill("rikkes-hemmelige-kode")
    page.get_by_label(re.compile("accepterer")).check()
    page.get_by_role("button", name="Opret konto").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("e-?mail", re.IGNORECASE)
    )
    assert_accessible(page)

    # Open the verification link from the mail and confirm.
    page.goto(site + _confirmation_path(mailoutbox))
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Bekræft")).click()

    # Log in.
    page.goto(site + "/konto/login/")
    assert_accessible(page)
    page.get_by_label("E-mail").fill("rikke@example.com")
    page.get_by_label("Adgangskode").fill("rikkes-hemmelige-kode")
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator("summary", has_text="Rikke Rasmussen")).to_be_visible()

    # Edit the profile, from the member's menu (a disclosure that needs no script).
    page.locator("summary", has_text="Rikke Rasmussen").click()
    page.get_by_role("link", name="Rediger profil").click()
    assert_accessible(page)
    page.get_by_label("Virksomhed").fill("Rasmussen Keramik")
    page.get_by_label("Jeg kan hjælpe med").fill("keramik, webshop")
    page.get_by_label("Region").select_option("syddanmark")
    page.get_by_role("button", name="Gem profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rikke Rasmussen")
    expect(page.get_by_text("Rasmussen Keramik")).to_be_visible()
    assert_accessible(page)
    user = User.objects.get(email="rikke@example.com")
    assert user.company == "Rasmussen Keramik"

    # Switch to English and back.
    page.get_by_label("Sprog").select_option("en")
    page.get_by_role("button", name="Skift").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "/en/" in page.url
    expect(page.get_by_role("link", name="Members")).to_be_visible()
    assert_accessible(page)


def test_members_directory_and_profile_are_accessible(site, page, assert_accessible):
    UserFactory.create_batch(3)
    member = UserFactory(email="kim@example.com", display_name="Kim Kristoffersen")
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill("kim@example.com")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(site + "/medlemmer/")
    assert_accessible(page)
    page.locator("#main").get_by_role("link", name="Kim Kristoffersen").click()
    expect(page).to_have_url(re.compile(rf"/medlemmer/{member.pk}/$"))
    assert_accessible(page)


def test_leader_appoints_a_moderator_without_javascript(site, browser, assert_accessible_nojs):
    UserFactory(
        email="leder@example.com", display_name="Lene Leder", roles=["network_leader"], totp=False
    )
    UserFactory(email="ny.moderator@example.com", display_name="Nikolaj Ny")
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill("leder@example.com")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    # Powers stay locked until two-factor is on; the page says how.
    page.goto(site + "/medlemmer/roller/")
    expect(page.get_by_role("link", name=re.compile("Slå tofaktorgodkendelse til"))).to_be_visible()
    assert_accessible_nojs(page)

    leader = User.objects.get(email="leder@example.com")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(leader, generate_totp_secret())
    page.goto(site + "/medlemmer/roller/")
    assert_accessible_nojs(page)
    page.locator("#id_email").fill("ny.moderator@example.com")
    page.get_by_label("Rolle").select_option("moderator")
    page.get_by_role("button", name="Udnævn").click()
    expect(page.get_by_role("cell", name="Nikolaj Ny", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Nikolaj Ny er nu moderator")
    assert_accessible_nojs(page)
    context.close()
