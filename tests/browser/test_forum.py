import re

import pytest
from playwright.sync_api import expect

from forum.models import Thread
from tests.factories import PASSWORD, CategoryFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    # Transactional (the live server runs in another thread); serialized rollback
    # puts back the migrated rows (categories, guidelines) after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, site, email):
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".account-menu summary")).to_be_visible()


def test_ask_answer_accept_and_the_question_leaves_unsolved(site, page, browser, assert_accessible):
    category = CategoryFactory(name="Spørg netværket", slug="spoerg-netvaerket")
    UserFactory(email="asker@example.com", display_name="Asta Asker")
    helper_user = UserFactory(email="helper@example.com", display_name="Henning Hjælper")
    from forum import services

    services.toggle_category_follow(user=helper_user, category=category)

    # Asta asks, previewing first (live with htmx).
    log_in(page, site, "asker@example.com")
    page.goto(site + "/forum/")
    assert_accessible(page)
    page.locator("#main").get_by_role("link", name="Ny tråd").click()
    assert_accessible(page)
    page.get_by_label("Kategori").select_option(label="Spørg netværket")
    page.get_by_label("Titel").fill("Hvordan kommer jeg i gang med OSS-moms?")
    page.get_by_label("Tekst").fill("Jeg sælger til **Tyskland**. Hvad gør jeg?")
    page.get_by_label("Emner").fill("moms, EU")
    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.locator("#thread-preview strong")).to_have_text("Tyskland")
    page.get_by_role("button", name="Udgiv").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("OSS-moms")
    assert_accessible(page)

    # Henning sees it under Ubesvarede and answers.
    other = browser.new_context(locale="da-DK")
    helper = other.new_page()
    helper.set_default_timeout(10_000)
    log_in(helper, site, "helper@example.com")
    # He follows the category, so he is notified of the new question.
    helper.get_by_role("link", name=re.compile("Notifikationer")).click()
    assert_accessible(helper)
    helper.get_by_role("link", name=re.compile("Ny tråd fra Asta Asker")).click()
    expect(helper.get_by_role("heading", level=1)).to_contain_text("OSS-moms")
    helper.goto(site + "/forum/ubesvarede/")
    assert_accessible(helper)
    helper.get_by_role("link", name="Hvordan kommer jeg i gang med OSS-moms?").click()
    helper.get_by_label("Dit svar").fill("Tilmeld dig **OSS** hos Skattestyrelsen.")
    helper.get_by_role("button", name="Send svar").click()
    expect(helper.locator(".post").nth(1)).to_contain_text("Tilmeld dig OSS")
    other.close()

    # Asta is notified of the answer and accepts it; the thread leaves Uløste.
    page.goto(site + "/forum/varsler/")
    page.get_by_role("link", name=re.compile("Henning Hjælper svarede")).click()
    page.get_by_role("button", name="Markér som accepteret svar").click()
    # The asker is asked what they ended up doing; it is optional.
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvad endte du med at gøre?")
    page.get_by_role("link", name="Spring over for nu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Løst")
    expect(page.locator(".accepted-answer")).to_contain_text("Henning Hjælper")
    assert_accessible(page)
    thread = Thread.objects.get()
    assert thread.accepted_post.author.email == "helper@example.com"
    page.goto(site + "/forum/uloeste/")
    expect(page.get_by_text("OSS-moms")).to_have_count(0)
    assert_accessible(page)


def test_reply_preview_without_javascript(site, browser, assert_accessible_nojs):
    UserFactory(email="nojs@example.com")
    category = CategoryFactory(name="Spørgsmål & svar")
    from forum import services

    author = UserFactory()
    thread = services.start_thread(
        category=category, author=author, title="Bogføring uden JavaScript", kind="question",
        body="Hej",
    )  # fmt: skip
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, site, "nojs@example.com")
    page.goto(site + thread.get_absolute_url())
    page.get_by_label("Dit svar").fill("Prøv _Dinero_.")
    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.locator(".preview em")).to_have_text("Dinero")
    expect(page.get_by_label("Dit svar")).to_have_value("Prøv _Dinero_.")
    page.get_by_role("button", name="Send svar").click()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    expect(page.locator(".post").nth(1)).to_contain_text("Prøv Dinero")
    assert_accessible_nojs(page)
    context.close()


def test_a_reply_survives_a_session_expiry(site, page, assert_accessible):
    from forum import services

    UserFactory(email="glemsom@example.com", display_name="Gerda Glemsom")
    thread = services.start_thread(
        category=CategoryFactory(), author=UserFactory(), title="Hvem kan anbefale en revisor?",
        kind="question", body="Gerne i Aarhus.",
    )  # fmt: skip
    log_in(page, site, "glemsom@example.com")
    page.goto(site + thread.get_absolute_url())
    page.get_by_label("Dit svar").fill("Jeg har været glad for Poulsen Revision.")
    # The session ends while the member is typing.
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    assert_accessible(page)
    page.get_by_label("E-mail").fill("glemsom@example.com")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_label("Dit svar")).to_have_value("Jeg har været glad for Poulsen Revision.")
    assert_accessible(page)
    page.get_by_role("button", name="Send svar").click()
    expect(page.locator(".post").nth(1)).to_contain_text("Poulsen Revision")


def test_unread_markers_and_quote_reply(site, page, assert_accessible):
    from forum import services

    UserFactory(email="laeser@example.com")
    author = UserFactory(display_name="Otto Ophav")
    thread = services.start_thread(
        category=CategoryFactory(), author=author, title="Erfaringer med leasing?",
        kind="question", body="Leasing eller køb af varebil?",
    )  # fmt: skip
    log_in(page, site, "laeser@example.com")
    page.goto(site + "/forum/seneste/")
    row = page.locator(".thread-row", has_text="Erfaringer med leasing?")
    expect(row.locator(".unread-badge")).to_be_visible()
    row.get_by_role("link", name="Erfaringer med leasing?").click()
    page.get_by_role("link", name=re.compile("Citér")).first.click()
    expect(page.get_by_label("Dit svar")).to_have_value(re.compile(r"^> \*\*Otto Ophav\*\*"))
    assert_accessible(page)
    page.get_by_label("Dit svar").press("Control+End")
    page.get_by_label("Dit svar").type("Vi leaser.")
    # With JavaScript the text is saved as a draft while typing.
    expect(page.locator("#draft-status")).to_contain_text("Kladde gemt", timeout=10_000)
    from forum.models import Draft

    assert Draft.objects.get(thread=thread).body.rstrip().endswith("Vi leaser.")
    page.get_by_role("button", name="Send svar").click()
    expect(page.locator(".post").nth(1).locator("blockquote")).to_contain_text("Leasing eller køb")
    page.goto(site + "/forum/seneste/")
    expect(row.locator(".unread-badge")).to_have_count(0)


def test_search_from_the_header_refine_and_land_on_the_post(site, page, assert_accessible):
    from forum import services

    UserFactory(email="soeger@example.com")
    author = UserFactory(display_name="Vera Viden")
    category = CategoryFactory(name="Søgbare spørgsmål", slug="soegbare-spoergsmaal")
    other = CategoryFactory(name="Søgbar viden", slug="soegbar-viden")
    thread = services.start_thread(
        category=category, author=author, title="Hvordan sender man fakturaer til udlandet?",
        kind="question", body="Jeg skal fakturere en kunde i Sverige.",
    )  # fmt: skip
    services.start_thread(
        category=other, author=author, title="Mine erfaringer med fakturering",
        kind="discussion", body="Fakturaer på engelsk virker fint.",
    )  # fmt: skip
    answer = services.post_reply(
        thread=thread, author=UserFactory(), body="Skriv fakturaen på engelsk, uden dansk moms."
    )
    log_in(page, site, "soeger@example.com")
    page.get_by_role("search").first.get_by_label("Søg i forummet").fill("faktura")
    page.get_by_role("search").first.get_by_role("button", name="Søg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Søg i forummet")
    expect(page.get_by_role("status")).to_contain_text("3 resultater")
    assert_accessible(page)
    page.locator("#main").get_by_label("Kategori").select_option("soegbare-spoergsmaal")
    page.locator("#main").get_by_role("button", name="Søg").click()
    expect(page.get_by_role("status")).to_contain_text("2 resultater")
    expect(page.locator(".search-snippet mark").first).to_be_visible()
    page.locator(".search-results li", has_text="uden dansk moms").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"#post-{answer.pk}$"))
    expect(page.locator(f"#post-{answer.pk}")).to_contain_text("uden dansk moms")
    assert_accessible(page)
