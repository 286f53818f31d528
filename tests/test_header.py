"""The page header: each app's menu entries, shown to whom they were before."""

import pytest
from django.urls import reverse

from netvaerk.extensions import MenuEntry
from netvaerk.menus import main_menu, member_menu
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

EVERYONE = [
    "forum.index",
    "moeder.index",
    "accounts.members",
    "viden.cards",
    "needs.board",
    "letters.archive",
]
MEMBER_MENU = [
    "velkomst.welcome",
    "accounts.profile_edit",
    "notifications.digest_overview",
    "notifications.conversations",
    "forum.bookmarks",
    "forum.drafts",
    "duties.my_slots",
    "kaffe.index",
    "moeder.mine",
    "moeder.calendar_feed",
    "accounts.account",
    "accounts.my_data",
]
EXPECTED = {
    "anonymous": (EVERYONE, []),
    "member": ([*EVERYONE, "duties.rota"], MEMBER_MENU),
    "organiser": ([*EVERYONE, "duties.rota", "handbook.index"], MEMBER_MENU),
    "moderator": (
        [*EVERYONE, "duties.rota", "handbook.index", "moderation.index"],
        [*MEMBER_MENU, "notifications.message_reports"],
    ),
    "network_leader": (
        [*EVERYONE, "letters.compose", "duties.rota", "handbook.index", "moderation.index"],
        [*MEMBER_MENU, "accounts.roles", "imports.run_list", "indsigt.network_health"],
    ),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_who_sees_which_header_links(client_for, role):
    response = client_for(make_user(role)).get(reverse("home"))
    nav = response.context["nav"]
    main, member = EXPECTED[role]
    assert [entry.name for entry in nav["main"]] == main
    assert [entry.name for entry in nav["member"]] == member
    page = response.text
    for entry in [*nav["main"], *nav["member"]]:
        assert f'href="{reverse(entry.url_name)}"' in page


def test_header_labels_are_translated(member_client):
    page = member_client.get(reverse("home")).text
    for danish in ("Møder", "Medlemmer", "Vagtplan", "Bogmærker", "Kladder", "Konto"):
        assert danish in page


@pytest.mark.parametrize("menu", [main_menu, member_menu], ids=["main", "member"])
def test_a_registered_menu_entry_shows_until_unregistered(member_client, menu):
    menu.register(MenuEntry("test.entry", "Testlink", "accounts:guidelines", order=1))
    try:
        response = member_client.get(reverse("home"))
        entries = response.context["nav"]["main" if menu is main_menu else "member"]
        assert entries[0].name == "test.entry"  # order 1 comes first
        assert f'href="{reverse("accounts:guidelines")}">Testlink</a>' in response.text
    finally:
        menu.unregister("test.entry")
    assert "test.entry" not in menu
    assert "Testlink" not in member_client.get(reverse("home")).text


def test_a_hidden_menu_entry_is_not_shown(member_client):
    main_menu.register(
        MenuEntry("test.entry", "Testlink", "accounts:guidelines", lambda user: False)
    )
    try:
        assert "Testlink" not in member_client.get(reverse("home")).text
    finally:
        main_menu.unregister("test.entry")


def test_the_kept_header_shows_a_new_name_and_unread_count_at_once(member_client, member):
    from accounts.models import User

    page = member_client.get("/").content.decode()
    assert "unread-badge" not in page.split("</header>")[0]
    member.display_name = "Karen Blixen"
    member.save(update_fields=["display_name"])
    User.objects.filter(pk=member.pk).update(unread_notifications=1)  # as a notice does
    header = member_client.get("/").content.decode().split("</header>")[0]
    assert "Karen Blixen" in header and "unread-badge" in header


def test_kept_header_and_footer_forms_carry_the_pages_csrf_token(client):
    """Each reader's logout and language forms work, though the header and
    footer are rendered once and kept."""
    import re

    from django.test import Client

    for _ in range(2):
        reader = Client(enforce_csrf_checks=True)
        reader.force_login(make_user("member"))
        page = reader.get("/").content.decode()
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert tokens and not any("standin" in token for token in tokens)
        response = reader.post(
            reverse("set_language"),
            {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens[-1]},
        )
        assert response.status_code == 302
        assert (
            reader.post(reverse("account_logout"), {"csrfmiddlewaretoken": tokens[0]}).status_code
            == 302
        )


def test_each_page_carries_its_own_csp_nonce(client):
    """The kept header and footer hold no nonce: each response's htmx tag has
    the nonce of that response's Content-Security-Policy."""
    import re

    for _ in range(2):
        response = client.get("/")
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
