from datetime import UTC, datetime

import pytest

from accounts.models import Skill
from forum.models import SearchSynonym, SearchWord
from tests.factories import CategoryFactory, TagFactory, ThreadFactory, UserFactory

# A Tuesday in winter, 14:00 in Copenhagen: well inside waking hours.
NOW = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)


@pytest.fixture
def vocabulary(db):
    """What the search index has seen: compounds split against these words."""
    SearchWord.objects.bulk_create(
        SearchWord(word=w) for w in ["moms", "registrering", "salg", "regnskab", "program"]
    )
    SearchSynonym.objects.create(terms="moms, VAT, merværdiafgift")


def helper(*skills, **fields):
    """An opted-in member who can help with `skills`."""
    fields.setdefault("help_requests", True)
    fields.setdefault("language", "da")
    member = UserFactory(**fields)
    for name in skills:
        skill, _ = Skill.objects.get_or_create(slug=name.lower(), defaults={"name": name})
        member.skills.add(skill)
    return member


@pytest.fixture
def louise(db):
    return UserFactory(display_name="Louise Holm", language="da")


@pytest.fixture
def question(db, louise, vocabulary):
    """Louise's question about VAT, asked at 9:00 Copenhagen time on NOW's day;
    not her first (so the normal delay of 3 waking hours applies)."""
    ThreadFactory(author=louise, created_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    thread = ThreadFactory(
        author=louise,
        title="Moms ved salg til EU",
        category=CategoryFactory(),
        created_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
    )
    thread.tags.add(TagFactory(name="momsregistrering", slug="momsregistrering"))
    return thread


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(**kwargs)

    return run
