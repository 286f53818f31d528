"""The network health page in a real browser: axe finds nothing, the page fits
a phone, and a leader reaches it from the member menu."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect

from forum.models import Thread
from tests.factories import PASSWORD, ThreadFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_leader_reads_the_network_health(site, browser, assert_accessible):
    leader = UserFactory(email="leder@example.com", roles=["network_leader"])
    now = timezone.now()
    for days in (5, 40, 70):
        thread = ThreadFactory(kind="question")
        Thread.objects.filter(pk=thread.pk).update(
            created_at=now - timedelta(days=days),
            first_reply_at=now - timedelta(days=days) + timedelta(hours=days // 5),
            reply_count=1,
        )
    page = browser.new_page()
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill("leder@example.com")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".account-menu summary")).to_be_visible()
    TOTP.activate(leader, generate_totp_secret())

    page.goto(site + "/")
    page.click(".account-menu summary")
    page.get_by_role("link", name="Netværkets sundhed").click()
    expect(page.get_by_role("heading", name="Netværkets sundhed", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Tid til første svar")).to_be_visible()
    assert_accessible(page)
