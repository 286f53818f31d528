"""The help relay in a real browser: a newcomer asks, nobody answers, the relay
asks a member who can help, who answers from the notification."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum.models import Thread
from relay import services
from relay.models import RelayRequest
from relay.waking import waking_due
from tests.browser.test_moeder import log_in
from tests.factories import CategoryFactory, UserFactory
from tests.relay.conftest import helper

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_newcomers_question_reaches_a_member_who_answers(site, page, browser, assert_accessible):
    from forum.models import SearchSynonym, SearchWord

    SearchWord.objects.bulk_create([SearchWord(word="moms"), SearchWord(word="registrering")])
    SearchSynonym.objects.create(terms="moms, VAT")
    CategoryFactory(name="Spørg netværket", slug="spoerg-netvaerket")
    UserFactory(email="ny@example.com", display_name="Nina Ny")
    helper("moms", email="bente@example.com", display_name="Bente Bogholder")

    # Nina, new, asks her first question.
    log_in(page, site, "ny@example.com")
    page.goto(site + "/forum/ny/")
    page.get_by_label("Kategori").select_option(label="Spørg netværket")
    page.get_by_label("Titel").fill("Skal jeg have momsregistrering?")
    page.get_by_label("Tekst").fill("Jeg starter en lille webshop.")
    page.get_by_role("button", name="Udgiv").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("momsregistrering")
    thread = Thread.objects.get()

    # An hour of waking time later the relay asks Bente (the job of the worker).
    services.run_relay(now=waking_due(thread.created_at, 1) + timedelta(minutes=1))
    assert RelayRequest.objects.get().member.display_name == "Bente Bogholder"
    # (The clock of the browser's world is real: the request was a moment ago.)
    RelayRequest.objects.update(asked_at=timezone.now() - timedelta(minutes=1))

    # Nina sees that the network is on it, without names.
    page.reload()
    expect(page.locator("main")).to_contain_text("Vi har bedt 1 medlem med erfaring i moms")
    expect(page.locator("main")).not_to_contain_text("Bente")
    assert_accessible(page)

    # Bente opens the notification and answers.
    other = browser.new_context(locale="da-DK")
    bente = other.new_page()
    bente.set_default_timeout(10_000)
    log_in(bente, site, "bente@example.com")
    bente.get_by_role("link", name=re.compile("Notifikationer")).click()
    assert_accessible(bente)
    bente.get_by_role("link", name=re.compile("Kan du hjælpe Nina Ny")).click()
    expect(bente.get_by_role("heading", level=1)).to_contain_text("momsregistrering")
    bente.get_by_label("Dit svar").fill("Ja, når du sælger for over 50.000 kr. om året.")
    bente.get_by_role("button", name="Send svar").click()
    expect(bente.locator(".post").nth(1)).to_contain_text("50.000 kr.")
    other.close()

    # The relay stops, and the request counts as answered.
    services.run_relay(now=waking_due(thread.created_at, 10))
    assert RelayRequest.objects.get().answered_at is not None
    page.reload()
    expect(page.locator("main")).not_to_contain_text("Vi har bedt")


def test_ask_a_member_from_the_profile(site, page, assert_accessible):
    CategoryFactory(name="Spørg netværket", slug="spoerg-netvaerket")
    UserFactory(email="ny@example.com", display_name="Nina Ny")
    bente = helper("moms", email="bente@example.com", display_name="Bente Bogholder")
    log_in(page, site, "ny@example.com")
    page.goto(site + bente.get_absolute_url())
    page.get_by_role("link", name="Stil Bente Bogholder et spørgsmål").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Hvordan bogfører jeg moms?")
    page.get_by_label("Tekst").fill("Tak på forhånd.")
    page.get_by_role("button", name="Offentliggør og spørg").click()
    expect(page.locator(".messages")).to_contain_text("Bente Bogholder er blevet bedt om at svare")
    assert RelayRequest.objects.get().member == bente


def test_the_asker_notice_and_not_right_now_work_without_javascript(site, browser, mailoutbox):
    from forum.models import SearchWord
    from tests.factories import PASSWORD, ThreadFactory

    SearchWord.objects.bulk_create([SearchWord(word="moms"), SearchWord(word="registrering")])
    nina = UserFactory(email="ny@example.com", display_name="Nina Ny")
    helper("moms", email="bente@example.com", display_name="Bente Bogholder", language="da")
    thread = ThreadFactory(
        author=nina,
        kind="question",
        title="Skal jeg have momsregistrering?",
        category=CategoryFactory(name="Spørg netværket", slug="spoerg-netvaerket"),
    )
    services.run_relay(now=waking_due(thread.created_at, 1) + timedelta(minutes=1))
    request = RelayRequest.objects.get()
    RelayRequest.objects.update(asked_at=timezone.now() - timedelta(minutes=1))
    [mail] = [m for m in mailoutbox if m.to == ["bente@example.com"]]
    [decline_url] = re.findall(r"Ikke lige nu: \S+(/hjaelp/ikke-nu/\S+)", mail.body)

    # Nina, with scripts off, sees on her question that the network is on it.
    asker = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = asker.new_page()
    page.set_default_timeout(10_000)
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill("ny@example.com")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(site + thread.get_absolute_url())
    notice = page.get_by_role("region", name="Hjælpen er på vej")
    expect(notice).to_contain_text("Vi har bedt 1 medlem med erfaring i moms om at kigge.")
    expect(page.locator("main")).not_to_contain_text("Bente")
    asker.close()

    # Bente, not signed in and with scripts off, follows "Ikke lige nu" from the mail.
    helper_context = browser.new_context(java_script_enabled=False, locale="da-DK")
    bente = helper_context.new_page()
    bente.set_default_timeout(10_000)
    bente.goto(site + decline_url)
    expect(bente.get_by_role("heading", level=1)).to_have_text("Ikke lige nu")
    request.refresh_from_db()
    assert request.declined_at is None  # opening the link declines nothing
    bente.get_by_role("button", name="Ikke lige nu").click()
    expect(bente.locator("main")).to_contain_text("Tak fordi du sagde til.")
    request.refresh_from_db()
    assert request.declined_at is not None
    helper_context.close()
