"""An editor composes and sends the network letter, a member reads it in the
archive, and a card's owner renews a knowledge card: in Chromium with axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum import services as forum_services
from letters.models import Letter, LetterStatus
from tests.factories import PASSWORD, PostFactory, ThreadFactory, UserFactory
from viden import services as viden_services
from viden.models import Card

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


def _solved(title, author=None):
    thread = ThreadFactory(title=title, author=author or UserFactory())
    forum_services.accept_answer(thread=thread, post=PostFactory(thread=thread))
    return thread


def test_an_editor_sends_a_letter_and_a_member_reads_it(site, browser, assert_accessible):
    UserFactory(email="redaktoer@example.com", display_name="Rie Redaktør", roles=["editor"])
    UserFactory(email="medlem@example.com", display_name="Mads Medlem")
    _solved("Moms ved EU-salg")

    page = browser.new_page()
    log_in(page, site, "redaktoer@example.com")
    page.goto(site + "/brev/ny/")
    assert_accessible(page)
    page.get_by_label("Titel").fill("Netværksbrevet januar")
    page.get_by_label("Indledning").fill("Godt nytår til **alle**.")
    page.get_by_label("Moms ved EU-salg").check()
    page.get_by_role("button", name="Gem kladde").click()
    expect(page.get_by_role("heading", name="Netværksbrevet januar")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send en test til mig").click()
    expect(page.locator(".messages")).to_contain_text("redaktoer@example.com")
    page.get_by_label(re.compile("Ja, send det til alle medlemmer")).check()
    with page.expect_navigation():  # the send is a POST and a redirect: reload after it
        page.get_by_role("button", name="Send til alle medlemmer").click()
    letter = Letter.objects.get()
    assert letter.status == LetterStatus.SENT and letter.sent_count == letter.recipient_count
    page.reload()
    expect(
        page.get_by_text(f"Sendt til {letter.sent_count} af {letter.recipient_count}")
    ).to_be_visible()

    reader = browser.new_page()
    log_in(reader, site, "medlem@example.com")
    reader.goto(site + "/brev/")
    assert_accessible(reader)
    reader.get_by_role("link", name="Netværksbrevet januar").click()
    expect(reader.get_by_role("link", name="Moms ved EU-salg")).to_be_visible()
    expect(reader.locator("strong", has_text="alle")).to_be_visible()
    assert_accessible(reader)


def test_an_owner_renews_a_card(site, browser, assert_accessible):
    owner = UserFactory(email="ejer@example.com", display_name="Eva Ejer")
    thread = _solved("Moms ved EU-salg", author=owner)
    card = viden_services.create_card(thread=thread, author=owner, title="Moms ved EU-salg",
                                      body="Brug omvendt betalingspligt.")  # fmt: skip
    Card.objects.filter(pk=card.pk).update(review_by=timezone.localdate() - timedelta(days=3))

    page = browser.new_page()
    log_in(page, site, "ejer@example.com")
    page.goto(site + card.get_absolute_url())
    expect(page.get_by_text(re.compile("Muligvis forældet"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Stadig rigtigt")).click()
    expect(page.locator(".messages")).to_contain_text("Tak")
    expect(page.get_by_text(re.compile("Muligvis forældet"))).to_have_count(0)
    card.refresh_from_db()
    assert not card.is_overdue
