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
