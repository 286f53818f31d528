"""A member sends a private message from a profile; the other replies."""

import pytest
from playwright.sync_api import expect

from notifications.models import Message
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, site, email):
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".account-menu summary")).to_be_visible()


def test_a_member_writes_from_a_profile_and_the_other_replies(site, browser, assert_accessible):
    UserFactory(email="anna@example.com", display_name="Anna Andersen")
    bo = UserFactory(email="bo@example.com", display_name="Bo Bertelsen")

    page = browser.new_page()
    log_in(page, site, "anna@example.com")
    page.goto(site + bo.get_absolute_url())
    page.get_by_role("link", name="Send en besked").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bo Bertelsen")
    assert_accessible(page)
    page.get_by_label("Emne").fill("Bogføring")
    page.get_by_label("Din besked").fill("Kan jeg **ringe** til dig om det?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".messages")).to_contain_text("Din besked er sendt.")
    expect(page.locator(".message-body strong")).to_have_text("ringe")
    assert_accessible(page)
    page.close()

    other = browser.new_page()
    log_in(other, site, "bo@example.com")
    expect(other.locator(".unread-badge").first).to_be_visible()
    other.goto(site + "/beskeder/")
    expect(other.get_by_text("1 ulæst", exact=True)).to_be_visible()
    assert_accessible(other)
    other.get_by_role("link", name="Bogføring").click()
    expect(other.locator(".message-body")).to_contain_text("Kan jeg ringe til dig om det?")
    other.get_by_label("Din besked").fill("Ja, ring bare efter kl. 16.")
    other.get_by_role("button", name="Send").click()
    expect(other.locator(".message-body").last).to_contain_text("ring bare efter kl. 16")
    assert_accessible(other)
    assert Message.objects.count() == 2
