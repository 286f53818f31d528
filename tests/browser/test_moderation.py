"""Moderation journeys in Chromium, with axe on every page visited."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from forum import services
from forum.models import Access, Post
from moderation.models import QueuedPost
from tests.factories import PASSWORD, CategoryFactory, UserFactory

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


def with_two_factor(user):
    """Turn on TOTP after logging in (so the browser needs no code)."""
    TOTP.activate(user, generate_totp_secret())


def test_flag_review_hide_and_the_author_sees_why(site, browser, assert_accessible):
    category = CategoryFactory(name="Spørg netværket", slug="spoerg", read_access=Access.MEMBERS)
    UserFactory(email="flagger@example.com", display_name="Frida Flag")
    author = UserFactory(email="author@example.com", display_name="Anders Annonce")
    moderator = UserFactory(
        email="mod@example.com", display_name="Mona Moderator", roles=["moderator"]
    )
    thread = services.start_thread(
        category=category,
        author=UserFactory(),
        title="Gode bankrådgivere?",
        kind="question",
        body="Hvem bruger I?",
    )
    services.post_reply(thread=thread, author=author, body="Køb mit kursus på kursus.example!")

    # A member flags the advert.
    flagger = browser.new_page()
    log_in(flagger, site, "flagger@example.com")
    flagger.goto(site + thread.get_absolute_url())
    flagger.get_by_role("link", name=re.compile("Anmeld – Anders Annonce")).click()
    expect(flagger.get_by_role("heading", name="Anmeld et indlæg")).to_be_visible()
    assert_accessible(flagger)
    flagger.get_by_label("Spam eller reklame").check()
    flagger.get_by_role("button", name="Send til moderatorerne").click()
    expect(flagger.locator(".messages")).to_contain_text("Tak")

    # The moderator reviews the queue and hides the post with a reason.
    mod = browser.new_page()
    log_in(mod, site, "mod@example.com")
    with_two_factor(moderator)
    mod.goto(site + "/moderering/flag/")
    assert_accessible(mod)
    card = mod.locator("article", has_text="Gode bankrådgivere?")
    expect(card).to_contain_text("Spam eller reklame")
    card.get_by_role("link", name="Skjul").click()
    expect(mod.get_by_role("heading", name="Skjul det anmeldte indlæg")).to_be_visible()
    assert_accessible(mod)
    mod.get_by_label("Begrundelse").fill("Reklame for eget kursus hører ikke hjemme her")
    mod.get_by_role("button", name="Skjul").click()
    expect(mod.locator("main")).to_contain_text("Ingen anmeldte indlæg")

    # The author sees the reason in the thread and in a notification.
    page = browser.new_page()
    log_in(page, site, "author@example.com")
    page.goto(site + thread.get_absolute_url())
    expect(page.locator(".post-state-notice")).to_contain_text("Reklame for eget kursus")
    assert_accessible(page)
    page.goto(site + "/forum/varsler/")
    expect(page.locator("main")).to_contain_text("Reklame for eget kursus")
    assert_accessible(page)
    # Everyone else sees only a notice.
    flagger.goto(site + thread.get_absolute_url())
    expect(flagger.locator("main")).not_to_contain_text("kursus.example")


def test_a_new_members_first_post_is_approved(site, browser, settings, assert_accessible):
    settings.NETVAERK_TRUST = {**settings.NETVAERK_TRUST, "approve_first_posts": 2}
    category = CategoryFactory(name="Spørg netværket", slug="spoerg", read_access=Access.MEMBERS)
    UserFactory(email="ny@example.com", display_name="Nina Ny")
    moderator = UserFactory(
        email="mod@example.com", display_name="Mona Moderator", roles=["moderator"]
    )
    thread = services.start_thread(
        category=category,
        author=UserFactory(roles=["organiser"]),
        title="Velkommen til nye medlemmer",
        kind="discussion",
        body="Sig hej!",
    )

    page = browser.new_page()
    log_in(page, site, "ny@example.com")
    page.goto(site + thread.get_absolute_url())
    page.get_by_label("Dit svar").fill("Hej alle, jeg driver en lille bager i Vejle.")
    page.get_by_role("button", name="Send svar").click()
    expect(page.locator("main")).to_contain_text("venter på godkendelse")
    assert_accessible(page)
    assert not Post.objects.filter(body__contains="bager i Vejle").exists()

    mod = browser.new_page()
    log_in(mod, site, "mod@example.com")
    with_two_factor(moderator)
    mod.goto(site + "/moderering/godkendelse/")
    assert_accessible(mod)
    mod.get_by_role("button", name=re.compile("Godkend – Nina Ny")).click()
    expect(mod.locator("main")).to_contain_text("Intet venter på godkendelse")
    assert QueuedPost.objects.get().post is not None

    page.goto(site + thread.get_absolute_url())
    expect(page.locator(".post-body", has_text="bager i Vejle")).to_be_visible()


def test_a_leader_appoints_a_moderator_who_completes_a_lesson(site, browser, assert_accessible):
    from handbook.models import Page

    Page.objects.get_or_create(
        slug="tonen-i-forummet",
        defaults={
            "title": "Tonen i forummet",
            "body": "Vær venlig.",
            "body_html": "<p>Vær venlig.</p>",
            "lesson_number": 1,
            "revision_number": 1,
        },
    )
    leader = UserFactory(
        email="leder@example.com", display_name="Lene Leder", roles=["network_leader"]
    )
    UserFactory(email="ny.moderator@example.com", display_name="Nikolaj Ny")
    page = browser.new_page()
    log_in(page, site, "leder@example.com")
    with_two_factor(leader)
    page.goto(site + "/medlemmer/roller/")
    page.locator("#id_email").fill("ny.moderator@example.com")
    page.get_by_label("Rolle").select_option("moderator")
    page.get_by_role("button", name="Udnævn").click()
    expect(page.get_by_role("cell", name="Nikolaj Ny", exact=True)).to_be_visible()

    # The new moderator is pointed to the course and marks a lesson as read.
    mod = browser.new_page()
    log_in(mod, site, "ny.moderator@example.com")
    mod.goto(site + "/forum/varsler/")
    mod.get_by_role("link", name=re.compile("kursus")).first.click()
    expect(mod).to_have_url(re.compile(r"/haandbog/kursus/$"))
    assert_accessible(mod)
    mod.get_by_role("button", name=re.compile("Læst og forstået")).first.click()
    expect(mod.locator("main")).to_contain_text("1 af")
    assert_accessible(mod)
