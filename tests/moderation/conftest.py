import pytest

from forum.models import CategoryModerator
from tests.factories import CategoryFactory, UserFactory

ROLES7 = [
    "anonymous",
    "member",
    "new_member",
    "organiser",
    "moderator",
    "category_moderator",
    "network_leader",
]


def make_actor(role: str, category=None):
    """One column of a moderation permission table (None for anonymous)."""
    if role == "anonymous":
        return None
    if role in ("member", "new_member"):
        return UserFactory()  # both new here: trust only matters for posting and flags
    if role == "category_moderator":
        user = UserFactory(totp=True)
        CategoryModerator.objects.create(category=category or CategoryFactory(), user=user)
        return user
    return UserFactory(roles=[role], totp=True)


@pytest.fixture
def trust(settings):
    """The production trust rules (tests run with them off by default)."""
    settings.NETVAERK_TRUST = {
        "approve_first_posts": 2,
        "new_member_posts": 3,
        "new_member_days": 0,
        "max_links_new_member": 2,
        "flags_to_hide": 2,
    }
    return settings.NETVAERK_TRUST
