"""Finding threads. The Search issue replaces the matching with full-text search;
callers keep using these functions."""

import re

from django.db.models import Q

from forum.permissions import visible_threads

_WORD = re.compile(r"\w{4,}", re.UNICODE)
STOP_WORDS = {"hvordan", "hvad", "hvilken", "hvilke", "noget", "nogen", "eller", "have", "with"}


def similar_threads(user, title: str, *, limit: int = 5):
    """Threads whose titles share words with `title`, solved ones first."""
    words = [w for w in _WORD.findall(title.lower()) if w not in STOP_WORDS][:8]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(title__icontains=word)
    threads = (
        visible_threads(user)
        .filter(match)
        .select_related("category")
        .only("pk", "slug", "title", "reply_count", "accepted_post_id", "category__name")
        .order_by("-accepted_post_id", "-last_posted_at")
    )
    return list(threads[:limit])
