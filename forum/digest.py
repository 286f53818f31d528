"""The forum's sections of the personal digest (notifications.extensions.digest_sections):
questions waiting for an answer that match what a member can help with, and
newly solved threads in the categories and tags they follow. A fixed number of
queries per batch of members; only threads each member may see."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Prefetch
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from forum.corpus import plain_text
from forum.models import CategoryFollow, Tag, TagFollow
from forum.models.search import synonym_groups
from forum.permissions import read_levels, visible_threads
from forum.search import topic_stems
from notifications.extensions import DigestSection, absolute_link

# Questions asked this long ago at most still count as waiting.
WAITING_FOR = timedelta(days=30)
CANDIDATES = 300  # newest waiting questions considered per batch


def _by_levels(users):
    groups = defaultdict(list)
    for user in users:
        groups[tuple(read_levels(user))].append(user)
    return groups


def _synonym_stems() -> dict[str, set[str]]:
    """Stem → the stems of its synonyms, from the search's synonym list (one query)."""
    expanded: dict[str, set[str]] = defaultdict(set)
    for terms in synonym_groups():
        group = set()
        for term in terms:
            group |= topic_stems(term)
        for s in group:
            expanded[s] |= group
    return expanded


def _url(thread):
    return absolute_link(thread)


def matching_questions(users, now) -> dict[int, list]:
    """Unanswered questions whose title or tags match a member's skills (Danish
    stems and the search's synonyms), not their own, newest first."""
    wanting = [u for u in users if list(u.skills.all())]
    if not wanting:
        return {}
    synonyms = _synonym_stems()
    found: dict[int, list] = {}
    for _levels, group in _by_levels(wanting).items():
        since = now - WAITING_FOR
        threads = list(
            visible_threads(group[0])
            .unanswered()
            .filter(accepted_post=None, created_at__gte=since, created_at__lte=now)
            .select_related("category")
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
            .order_by("-created_at", "-pk")[:CANDIDATES]
        )
        for thread in threads:
            thread.digest_stems = topic_stems(
                thread.title + " " + " ".join(t.name for t in thread.tags.all())
            )
            thread.digest_url = _url(thread)
        matching: dict[frozenset, list] = {}  # members with the same skills share the work
        for user in group:
            skills = frozenset(skill.name for skill in user.skills.all())
            if skills not in matching:
                wanted = set()
                for name in skills:
                    for s in topic_stems(name):
                        wanted |= {s} | synonyms.get(s, set())
                matching[skills] = [t for t in threads if t.digest_stems & wanted]
            user_id = user.pk
            items = [t for t in matching[skills] if t.author_id != user_id]
            if items:
                found[user_id] = items
    return found


def follows_of(users) -> tuple[dict, dict, list]:
    """The categories and tags each member follows (two queries), and the
    members who follow anything."""
    ids = [u.pk for u in users]
    categories, tags = defaultdict(set), defaultdict(set)
    for user_id, category_id in CategoryFollow.objects.filter(user_id__in=ids).values_list(
        "user_id", "category_id"
    ):
        categories[user_id].add(category_id)
    for user_id, tag_id in TagFollow.objects.filter(user_id__in=ids).values_list(
        "user_id", "tag_id"
    ):
        tags[user_id].add(tag_id)
    return categories, tags, [u for u in users if categories[u.pk] or tags[u.pk]]


def matches_by_follows(group, items, *, categories, tags, when) -> dict[int, list]:
    """For each member of `group`: the items (with `category_id` and
    `digest_tag_ids`) in a category or with a tag they follow, dated (`when`)
    within their period. Members who follow the same share the work."""
    found: dict[int, list] = {}
    matching: dict[tuple, list] = {}
    for user in group:
        key = (user.digest_since, frozenset(categories[user.pk]), frozenset(tags[user.pk]))
        if key not in matching:
            since, followed, followed_tags = key
            matching[key] = [
                item
                for item in items
                if when(item) >= since
                and (item.category_id in followed or item.digest_tag_ids & followed_tags)
            ]
        if matching[key]:
            found[user.pk] = matching[key]
    return found


def newly_solved(users, now) -> dict[int, list]:
    """Threads solved in the member's period in categories or tags they follow,
    with the accepted answer's first lines."""
    categories, tags, following = follows_of(users)
    if not following:
        return {}
    since = min(u.digest_since for u in following)
    found: dict[int, list] = {}
    for _levels, group in _by_levels(following).items():
        threads = list(
            visible_threads(group[0])
            .filter(solved_at__gte=since, solved_at__lte=now, accepted_post__isnull=False)
            .select_related("category", "accepted_post", "accepted_post__author")
            .prefetch_related("tags")
            .order_by("-solved_at", "-pk")[:CANDIDATES]
        )
        for thread in threads:
            thread.digest_url = _url(thread)
            body = (
                plain_text(thread.accepted_post.body) if thread.accepted_post.is_published else ""
            )
            lines = [line.strip() for line in body.splitlines() if line.strip()][:3]
            thread.digest_answer = Truncator(" ".join(lines)).chars(280)
            thread.digest_tag_ids = {t.pk for t in thread.tags.all()}
        found.update(
            matches_by_follows(
                group, threads, categories=categories, tags=tags, when=lambda t: t.solved_at
            )
        )
    return found


SECTIONS = [
    DigestSection(
        "forum.questions",
        _("Questions you can help with"),
        "forum/email/_digest_questions.txt",
        matching_questions,
        html_template="forum/email/_digest_questions.html",
        order=10,
    ),
    DigestSection(
        "forum.solved",
        _("Newly solved in what you follow"),
        "forum/email/_digest_solved.txt",
        newly_solved,
        html_template="forum/email/_digest_solved.html",
        order=20,
    ),
]


def register() -> None:
    from notifications.extensions import digest_sections

    for section in SECTIONS:
        digest_sections.register(section)
