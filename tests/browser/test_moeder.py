"""Meetup journeys in Chromium, with axe on the pages visited."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moeder import services
from moeder.models import Meetup, Rsvp
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


def test_julefrokost_invitation_answer_and_calendar(site, browser, mailoutbox, assert_accessible):
    UserFactory(email="tovholder@example.com", display_name="Tove Tovholder", roles=["organiser"])
    UserFactory(email="gaest@example.com", display_name="Gitte Gæst", language="da")
    page = browser.new_page()
    log_in(page, site, "tovholder@example.com")
    page.goto(site + "/moeder/nyt/")
    assert_accessible(page)
    day = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%d")
    page.get_by_label("Titel").fill("Julefrokost 2026")
    page.get_by_label("Slags").select_option("social")
    page.get_by_label("Starter").fill(f"{day}T18:00")
    page.get_by_label("Slutter").fill(f"{day}T23:00")
    page.get_by_label("Sted").fill("Restaurant Fjorden")
    page.get_by_label("Adresse").fill("Vesterbro 12, 9000 Aalborg")
    page.get_by_role("button", name="Gem kladden").click()
    expect(page.get_by_role("heading", name=re.compile("Julefrokost 2026"))).to_be_visible()

    # A dietary question, then publish.
    page.get_by_role("link", name="Spørgsmål").click()
    page.locator("#id_text").fill("Kostbehov")
    page.locator("#id_kind").select_option("single")
    page.get_by_label("Valgmuligheder").fill("Ingen\nVegetar\nVegansk")
    page.get_by_role("button", name="Tilføj").click()
    expect(page.locator("main")).to_contain_text("Kostbehov")
    assert_accessible(page)
    page.get_by_role("link", name="Tilbage til mødet").click()
    page.get_by_role("link", name="Udgiv og inviter").click()
    page.get_by_role("button", name=re.compile("Udgiv")).click()
    expect(page.locator(".messages")).to_contain_text("Udgivet")

    # The member opens the invitation's Ja link (no login), answers and confirms.
    invitation = next(m for m in mailoutbox if "gaest@example.com" in m.to)
    link = re.search(r"https?://[^/\s]+(/moeder/svar/\S+\?svar=yes)", invitation.body).group(1)
    guest = browser.new_page()
    guest.goto(site + link)
    assert_accessible(guest)
    guest.get_by_label("Kostbehov").select_option("Vegetar")
    guest.get_by_role("button", name="Gem mit svar").click()
    expect(guest.locator(".messages")).to_contain_text("Vi ses")
    rsvp = Rsvp.objects.get(member__email="gaest@example.com")
    assert rsvp.answer == "yes" and rsvp.question_answers.get().text == "Vegetar"

    # The calendar file downloads and is an iCalendar event.
    meetup = Meetup.objects.get()
    with guest.expect_download() as download:
        guest.goto(site + meetup.get_absolute_url())
        guest.get_by_role("link", name=re.compile(r"\.ics|kalenderfil", re.I)).first.click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in content and "Julefrokost 2026" in content


def test_a_full_meetup_waitlists_and_promotes(site, browser, assert_accessible):
    organiser = UserFactory(roles=["organiser"])
    first = UserFactory(email="foerst@example.com", display_name="Freja Først")
    UserFactory(email="naest@example.com", display_name="Niels Næst")
    starts = timezone.now() + timedelta(days=5)
    meetup = services.create_meetup(
        creator=organiser,
        title="Fagligt møde om moms",
        kind="professional",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue_name="Kaffebaren",
        capacity=1,
    )
    Meetup.objects.filter(pk=meetup.pk).update(status="published")
    services.answer(meetup=Meetup.objects.get(pk=meetup.pk), member=first, answer="yes")

    page = browser.new_page()
    log_in(page, site, "naest@example.com")
    page.goto(site + meetup.get_absolute_url())
    assert_accessible(page)
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Gem mit svar").click()
    expect(page.locator(".messages")).to_contain_text("venteliste")
    expect(page.locator("main")).to_contain_text("nummer 1 på ventelisten")

    other = browser.new_page()
    log_in(other, site, "foerst@example.com")
    other.goto(site + meetup.get_absolute_url())
    other.get_by_role("button", name="Træk mit svar tilbage").click()
    expect(other.locator(".messages")).to_contain_text("trukket tilbage")

    page.reload()
    expect(page.locator("main")).not_to_contain_text("ventelisten")
    assert not Rsvp.objects.get(member__email="naest@example.com").waitlisted
    assert_accessible(page)
