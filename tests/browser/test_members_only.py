"""A visitor follows a link to a members-only thread, logs in and reads it."""

import pytest
from playwright.sync_api import expect

from forum.models import Access
from tests.factories import PASSWORD, CategoryFactory, ThreadFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_logs_in_to_read_a_members_thread(site, page, assert_accessible):
    UserFactory(email="medlem@example.com")
    thread = ThreadFactory(
        category=CategoryFactory(read_access=Access.MEMBERS), title="Intern strategi"
    )
    page.goto(site + thread.get_absolute_url())
    expect(page.get_by_role("heading", name="Log ind for at læse")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Intern strategi")
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="Log ind").click()
    page.get_by_label("E-mail").fill("medlem@example.com")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Intern strategi")).to_be_visible()
    assert page.url.startswith(site + thread.get_absolute_url())
