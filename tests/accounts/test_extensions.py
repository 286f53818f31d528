"""accounts' sockets: a registered item shows, and unregister removes it cleanly."""

import pytest
from django.urls import reverse

from accounts.extensions import member_panels
from netvaerk.extensions import Panel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_templates(settings):
    """A throwaway template, test/panel.html, beside the project's own."""
    engine = dict(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            (
                "django.template.loaders.locmem.Loader",
                {"test/panel.html": "<p>Testpanel for {{ who }}</p>"},
            ),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    }
    settings.TEMPLATES = [engine]


def test_a_member_panel_shows_on_the_profile_until_unregistered(test_templates, member_client):
    other = UserFactory(display_name="Karen Blixen")
    seen = []

    def context(*, request, member, **objects):
        seen.append((request.user, member.pk))
        return {"who": member.display_name}

    member_panels.register(Panel("test.panel", "test/panel.html", context))
    try:
        page = member_client.get(other.get_absolute_url()).text
        assert "<p>Testpanel for Karen Blixen</p>" in page
        assert seen and seen[0][1] == other.pk
    finally:
        member_panels.unregister("test.panel")
    assert "test.panel" not in member_panels
    assert "Testpanel" not in member_client.get(other.get_absolute_url()).text


def test_a_panel_that_returns_none_shows_nothing(test_templates, member_client):
    member_panels.register(Panel("test.panel", "test/panel.html", lambda **kw: None))
    try:
        assert "Testpanel" not in member_client.get(UserFactory().get_absolute_url()).text
    finally:
        member_panels.unregister("test.panel")


def test_the_notes_panel_costs_the_moderator_one_query(moderator, moderator_client, member_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from moderation import services as moderation

    other = UserFactory()
    for n in range(5):
        moderation.add_note(member=other, actor=moderator, text=f"note {n}")
    with CaptureQueriesContext(connection) as member_queries:
        member_client.get(other.get_absolute_url())
    with CaptureQueriesContext(connection) as moderator_queries:
        page = moderator_client.get(other.get_absolute_url()).text
    assert "note 4" in page and "note 1" not in page  # the latest three
    assert len(moderator_queries) <= len(member_queries) + 1


def test_a_banner_shows_on_every_page_until_unregistered(test_templates, member_client):
    from accounts.extensions import banners

    banners.register(Panel("test.banner", "test/panel.html", lambda *, request: {"who": "alle"}))
    try:
        for url in ("/", "/en/"):
            assert "<p>Testpanel for alle</p>" in member_client.get(url).text
    finally:
        banners.unregister("test.banner")
    assert "test.banner" not in banners
    assert "Testpanel" not in member_client.get("/").text


def test_the_two_factor_and_silence_banners(client_for, moderator):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import SanctionKind
    from moderation import services as moderation

    locked = UserFactory(roles=["moderator"])  # no two-factor yet
    page = client_for(locked).get("/").text
    assert "Din rolles rettigheder er låst" in page and "Slå den til nu" in page
    assert "Din rolles rettigheder er låst" not in client_for(moderator).get("/").text
    silenced = UserFactory()
    moderation.sanction_member(
        member=silenced,
        actor=moderator,
        kind=SanctionKind.SILENCE,
        reason="Ro på",
        ends_at=timezone.now() + timedelta(days=1),
    )
    page = client_for(silenced).get("/").text
    assert "skrivepause" in page and f'href="{reverse("moderation:my_status")}"' in page
    assert "skrivepause" not in client_for(UserFactory()).get("/").text
