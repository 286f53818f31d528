"""A member sends a message with a screenshot; the other sees it and answers."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from netvaerk.models import Upload
from notifications.models import Message
from tests.browser.test_conversations import log_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def screenshot(tmp_path):
    path = tmp_path / "skærmbillede.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (30, 90, 160)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_member_sends_a_screenshot_and_the_other_answers(
    site, browser, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(email="anna@example.com", display_name="Anna Andersen")
    bo = UserFactory(email="bo@example.com", display_name="Bo Bertelsen")

    page = browser.new_page()
    log_in(page, site, "anna@example.com")
    page.goto(site + bo.get_absolute_url())
    page.get_by_role("link", name="Send en besked").click()
    page.get_by_label("Emne").fill("Fejl i bogføringen")
    page.get_by_label("Din besked").fill("Se fejlen her:")
    page.get_by_label("Billeder og PDF-filer").set_input_files(str(screenshot(tmp_path)))
    page.get_by_label("Beskriv billederne").fill("Fejlbesked fra bogføringsprogrammet")
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".messages")).to_contain_text("Din besked er sendt.")
    picture = page.locator(".message-body img")
    expect(picture).to_have_attribute("alt", "Fejlbesked fra bogføringsprogrammet")
    page.close()

    other = browser.new_page()
    log_in(other, site, "bo@example.com")
    other.goto(site + "/beskeder/")
    other.get_by_role("link", name="Fejl i bogføringen").click()
    picture = other.locator(".message-body img")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 320
    assert_accessible(other)
    other.get_by_label("Din besked").fill("Det er momskoden, ret den under Indstillinger.")
    other.get_by_role("button", name="Send").click()
    expect(other.locator(".message-body").last).to_contain_text("momskoden")
    assert Message.objects.count() == 2
    assert Upload.objects.get().name == "skærmbillede.png"

    # Somebody else cannot open the picture, even with its address.
    stranger = browser.new_page()
    UserFactory(email="carl@example.com")
    log_in(stranger, site, "carl@example.com")
    response = stranger.goto(site + Upload.objects.get().get_absolute_url())
    assert response.status == 404
