"""Taking and handing over a duty slot in a real browser, with CSRF checks on
(the suite's test client skips them; the browser does not)."""

import re

import pytest
from playwright.sync_api import expect

from duties.models import DutySlot
from tests.browser.test_moeder import log_in
from tests.duties.factories import DutyFactory, DutySlotFactory
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_member_takes_a_slot_and_hands_it_over(site, browser, assert_accessible):
    member = UserFactory(email="vagt@example.com", display_name="Vera Vagt")
    UserFactory(handle="tove", display_name="Tove Hansen")
    slot = DutySlotFactory(duty=DutyFactory(name="Velkomstvært"))
    page = browser.new_page()
    log_in(page, site, "vagt@example.com")
    page.goto(site + "/vagter/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Tag den")).first.click()
    expect(page.locator(".messages")).to_contain_text("Velkomstvært")
    assert DutySlot.objects.get(pk=slot.pk).member == member

    page.get_by_role("link", name="Overdrag").first.click()
    assert_accessible(page)
    page.get_by_label("Overdrag til").press_sequentially("Tove H")
    expect(page.locator("#id_member-suggestions option")).to_have_count(1)
    assert page.locator("#id_member-suggestions option").get_attribute("value") == "@tove"
    page.get_by_label("Overdrag til").fill("Tove Hansen")  # a name is enough
    page.get_by_label("Besked til den nye vagthavende").fill("Husk Ida.")
    page.get_by_role("button", name="Overdrag").click()
    expect(page.locator(".messages")).to_contain_text("Tove Hansen har nu vagten")
    assert DutySlot.objects.get(pk=slot.pk).member.handle == "tove"


def test_a_slot_is_taken_from_the_duty_page_without_javascript(site, browser):
    UserFactory(email="vagt@example.com")
    slot = DutySlotFactory(duty=DutyFactory(name="Velkomstvært"))
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    log_in(page, site, "vagt@example.com")
    page.goto(site + slot.duty.get_absolute_url())
    page.get_by_role("button", name=re.compile("Tag den")).first.click()
    expect(page.locator(".messages")).to_contain_text("Velkomstvært")
    assert DutySlot.objects.get(pk=slot.pk).member is not None
    context.close()
