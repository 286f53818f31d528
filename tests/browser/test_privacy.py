"""A member takes their data and leaves, keeping their posts anonymised."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from accounts.models import User
from forum.models import Post
from tests.factories import PASSWORD, ThreadFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_member_exports_downloads_and_deletes_keeping_posts(
    site, page, mailoutbox, assert_accessible
):
    member = UserFactory(email="ida@example.com", display_name="Ida Iversen")
    thread = ThreadFactory(author=member, title="Hvordan finder jeg en revisor?")
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill("ida@example.com")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    page.goto(site + "/mine-data/")
    assert_accessible(page)
    page.get_by_label("Vis mig i medlemslisten").uncheck()
    page.get_by_role("button", name="Gem mine valg").click()
    expect(page.get_by_text("Dine valg er gemt.")).to_be_visible()
    assert not User.objects.get(pk=member.pk).show_in_directory
    page.get_by_role("button", name="Eksportér mine data").click()
    expect(page.get_by_text("Vi samler dine data.")).to_be_visible()
    expect(page.get_by_role("cell", name="Klar til download")).to_be_visible()
    match = re.search(r"https?://[^/\s]+(/mine-data/eksport/\S+/)", mailoutbox[-1].body)
    assert match, mailoutbox[-1].body
    download = page.context.request.get(site + match.group(1))
    assert download.status == 200
    archive = zipfile.ZipFile(io.BytesIO(download.body()))
    assert "Ida Iversen" in archive.read("index.html").decode()
    assert page.context.request.get(site + match.group(1)).status == 404  # once only

    page.get_by_role("link", name="Slet min konto …").click()
    assert_accessible(page)
    expect(page.get_by_label("Behold mine indlæg", exact=False)).to_be_checked()
    page.get_by_label("Din adgangskode").fill(PASSWORD)
    page.get_by_label("Jeg forstår, at min konto slettes for altid").check()
    page.get_by_role("button", name="Slet min konto for altid").click()
    expect(page.get_by_text("Din konto er slettet.")).to_be_visible()

    gone = User.objects.get(pk=member.pk)
    assert gone.erased_at is not None and gone.display_name == "Tidligere medlem"
    post = Post.objects.get(thread=thread, number=1)
    assert post.author_id == gone.pk and post.state == "published"


def test_privacy_policy_is_reachable_from_the_footer(site, page, assert_accessible):
    page.goto(site + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Privatlivspolitik").click()
    expect(page).to_have_url(re.compile(r"/privatliv/$"))
    expect(page.get_by_role("heading", name="Privatlivspolitik", level=1)).to_be_visible()
    assert_accessible(page)
