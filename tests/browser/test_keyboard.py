"""The main journeys with the keyboard alone: Tab, Shift+Tab, Enter, Space and
the arrow keys, never a click. Pages are opened by address only where a
member would type or bookmark one (the login page). At every stop the focus
ring must reach 3:1 against what is around it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum import services as forum_services
from forum.models import Thread
from moderation.models import Flag
from moeder import services as meetups
from moeder.models import Meetup, Rsvp
from tests.browser.conftest import assert_focus_visible
from tests.factories import PASSWORD, CategoryFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_TABS = 150


def has_focus(target) -> bool:
    return target.evaluate("el => el === document.activeElement")


def tab_to(page, target, *, backwards=False):
    """Press Tab (Shift+Tab backwards) until `target` has the focus."""
    target.wait_for()
    for _ in range(MAX_TABS):
        if has_focus(target):
            assert_focus_visible(page)
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{page.url}: {MAX_TABS} presses of Tab never reached {target}")


def skip_to_content(page):
    """The first Tab on a page reaches the skip link; Enter jumps past the header."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til indholdet")
    assert has_focus(skip), "the first Tab should reach the skip link"
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def follow(page, link):
    """Tab to a link and open it with Enter."""
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press(page, button, key="Enter"):
    """Tab to a button and press it with Enter or Space."""
    tab_to(page, button)
    page.keyboard.press(key)


def type_into(page, field, text):
    tab_to(page, field)
    page.keyboard.type(text)


def choose(page, select, label):
    """Arrow keys through a closed <select> until `label` is chosen."""
    tab_to(page, select)
    for key in ("ArrowDown", "ArrowUp"):
        for _ in range(30):
            if select.evaluate("el => el.selectedOptions[0]?.label") == label:
                return
            page.keyboard.press(key)
    raise AssertionError(f"no option {label!r} in {select}")


def check_radio(page, radio):
    """Tab into the radio group, then arrow keys (and Space) until `radio` is checked."""
    name = radio.get_attribute("name")
    for _ in range(MAX_TABS):
        if page.evaluate(f"document.activeElement.name === {name!r}"):
            break
        page.keyboard.press("Tab")
    for _ in range(10):
        if has_focus(radio):
            page.keyboard.press("Space")
            expect(radio).to_be_checked()
            assert_focus_visible(page)
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {radio}")


def log_in(page, site, email):
    page.goto(site + "/konto/login/")
    skip_to_content(page)
    type_into(page, page.get_by_label("E-mail"), email)
    type_into(page, page.get_by_label("Adgangskode"), PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".account-menu summary")).to_be_visible()


def header_link(page, name):
    return page.get_by_role("navigation", name="Hovednavigation").get_by_role(
        "link", name=name, exact=True
    )


def test_ask_answer_and_accept_with_the_keyboard_alone(site, page, browser):
    category = CategoryFactory(name="Spørg netværket", slug="spoerg-netvaerket")
    UserFactory(email="asker@example.com", display_name="Asta Asker")
    UserFactory(email="helper@example.com", display_name="Henning Hjælper")

    # Asta asks: header → Forum → Ny tråd → the form → Udgiv.
    log_in(page, site, "asker@example.com")
    follow(page, header_link(page, "Forum"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Forum")
    skip_to_content(page)
    follow(page, page.locator("#main").get_by_role("link", name="Ny tråd"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    skip_to_content(page)
    choose(page, page.get_by_label("Kategori"), category.name)
    type_into(page, page.get_by_label("Titel"), "Hvordan kommer jeg i gang med OSS-moms?")
    type_into(page, page.get_by_label("Tekst"), "Jeg sælger til Tyskland. Hvad gør jeg?")
    type_into(page, page.get_by_label("Emner"), "moms")
    press(page, page.get_by_role("button", name="Udgiv"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("OSS-moms")

    # Henning finds it under Ubesvarede and answers.
    context = browser.new_context(locale="da-DK")
    helper = context.new_page()
    helper.set_default_timeout(10_000)
    log_in(helper, site, "helper@example.com")
    follow(helper, header_link(helper, "Forum"))
    skip_to_content(helper)
    follow(helper, helper.get_by_role("link", name="Ubesvarede"))
    expect(helper.get_by_role("heading", level=1)).to_have_text("Ubesvarede")
    skip_to_content(helper)
    follow(helper, helper.get_by_role("link", name="Hvordan kommer jeg i gang med OSS-moms?"))
    skip_to_content(helper)
    type_into(helper, helper.get_by_label("Dit svar"), "Tilmeld dig OSS hos Skattestyrelsen.")
    press(helper, helper.get_by_role("button", name="Send svar"))
    expect(helper.locator(".post").nth(1)).to_contain_text("Tilmeld dig OSS")
    context.close()

    # Asta opens the notification and accepts the answer, with Space.
    follow(page, header_link(page, re.compile("Notifikationer")))
    skip_to_content(page)
    follow(page, page.get_by_role("link", name=re.compile("Henning Hjælper svarede")))
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    press(page, page.get_by_role("button", name="Markér som accepteret svar"), "Space")
    # What the asker ended up doing, typed and saved with the keyboard too.
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvad endte du med at gøre?")
    type_into(page, page.get_by_label("Hvad endte du med at gøre?"), "Jeg valgte Henning.")
    press(page, page.get_by_role("button", name="Gem"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Løst")
    expect(page.locator(".accepted-outcome")).to_contain_text("Jeg valgte Henning.")
    assert Thread.objects.get().accepted_post.author.email == "helper@example.com"


def test_answer_a_meetup_and_flag_a_post_with_the_keyboard_alone(site, page):
    organiser = UserFactory(roles=["organiser"])
    UserFactory(email="gaest@example.com", display_name="Gitte Gæst")
    starts = timezone.now() + timedelta(days=9)
    meetup = meetups.create_meetup(
        creator=organiser,
        title="Netværksmøde i Aarhus",
        kind="network",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue_name="Kulturhuset",
    )
    Meetup.objects.filter(pk=meetup.pk).update(status="published")
    category = CategoryFactory(name="Spørg netværket", slug="spoerg")
    thread = forum_services.start_thread(
        category=category, author=UserFactory(), title="Gode bankrådgivere?", kind="question",
        body="Hvem bruger I?",
    )  # fmt: skip
    advert = forum_services.post_reply(
        thread=thread,
        author=UserFactory(display_name="Anders Annonce"),
        body="Køb mit kursus på kursus.example!",
    )

    # Gitte answers yes to the meetup: header → Møder → the meetup → Ja → Gem.
    log_in(page, site, "gaest@example.com")
    follow(page, header_link(page, "Møder"))
    skip_to_content(page)
    follow(page, page.get_by_role("link", name="Netværksmøde i Aarhus"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Netværksmøde i Aarhus")
    skip_to_content(page)
    check_radio(page, page.get_by_label("Ja", exact=True))
    press(page, page.get_by_role("button", name="Gem mit svar"))
    expect(page.locator(".messages")).to_contain_text("Vi ses")
    assert Rsvp.objects.get(member__email="gaest@example.com").answer == "yes"

    # She flags the advert in the forum: header → Forum → Seneste → the thread → Anmeld.
    follow(page, header_link(page, "Forum"))
    skip_to_content(page)
    follow(page, page.get_by_role("link", name="Seneste"))
    skip_to_content(page)
    follow(page, page.get_by_role("link", name="Gode bankrådgivere?"))
    skip_to_content(page)
    follow(page, page.get_by_role("link", name=re.compile("Anmeld – Anders Annonce")))
    expect(page.get_by_role("heading", name="Anmeld et indlæg")).to_be_visible()
    skip_to_content(page)
    check_radio(page, page.get_by_label("Spam eller reklame"))
    press(page, page.get_by_role("button", name="Send til moderatorerne"))
    expect(page.locator(".messages")).to_contain_text("Tak")
    flag = Flag.objects.get()
    assert (flag.post_id, flag.reason) == (advert.pk, "spam")
