"""Two tabs, one text: nothing is silently overwritten (issue 24)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forum import services
from forum.models import Draft, Post
from tests.browser.test_forum import log_in
from tests.factories import CategoryFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_stale_edit_and_a_stale_autosave_show_both_texts(site, page, assert_accessible):
    member = UserFactory(email="to-faner@example.com")
    moderator = UserFactory(roles=["moderator"])
    thread = services.start_thread(
        category=CategoryFactory(), author=member, title="Moms på kurser", kind="question",
        body="Første udgave",
    )  # fmt: skip
    post = Post.objects.get(thread=thread, number=1)
    log_in(page, site, "to-faner@example.com")

    # An edit started before a moderator's edit is refused with both texts.
    page.goto(site + reverse("forum:post_edit", args=[post.pk]))
    services.edit_post_as_moderator(
        post=post, moderator=moderator, body="Moderatorens udgave", title=None, reason="Moms"
    )
    page.get_by_label("Tekst").fill("Min nye udgave")
    page.get_by_role("button", name="Gem ændringer").click()
    expect(page.locator(".conflict-text")).to_have_text("Moderatorens udgave")
    expect(page.get_by_label("Tekst")).to_have_value("Min nye udgave")
    assert_accessible(page)

    # Autosave from an older tab does not overwrite the newer draft.
    reply_url = site + reverse("forum:reply_create", args=[thread.pk])
    other = page.context.new_page()
    page.goto(reply_url)
    other.goto(reply_url)
    other.get_by_label("Dit svar").fill("Fra den nye fane")
    expect(other.locator("#draft-status")).to_contain_text("Kladde gemt", timeout=15_000)
    page.get_by_label("Dit svar").fill("Fra den gamle fane")
    expect(page.locator("#draft-status")).to_contain_text("Ikke gemt", timeout=15_000)
    assert Draft.objects.get(user=member, thread=thread).body == "Fra den nye fane"
    expect(page.get_by_label("Dit svar")).to_have_value("Fra den gamle fane")
    assert_accessible(page)
    other.close()
