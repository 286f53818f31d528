"""Who can help with what: members' skills matched against words, with the
search's Danish stemming, compound splitting and synonyms (forum.search).

"moms" on a profile matches a question tagged "momsregistrering" (the compound
is split against the search vocabulary) or saying "VAT" (a synonym group), and
the member directory finds helpers the same way. A skill matches when one of
its words (or a part of a compound word in it) has a stem among the stems of
the words asked about. A fixed number of queries, however many skills."""

from functools import reduce
from operator import or_

from django.db.models import Q

from accounts.models import Skill
from forum.models.search import synonym_groups
from forum.search import STOP_WORDS, split_words, stem, vocabulary_for, words_of

MAX_WORDS = 30  # of a question or a directory search
MAX_SKILL_CANDIDATES = 2000


def _key(word: str) -> str:
    """The stem, stemmed once more: Snowball gives "moms" → "mom" but
    "momsen" → "moms", and both should meet."""
    return stem(stem(word))


def _words(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in words_of(text or ""):
        if word not in STOP_WORDS and 2 <= len(word) <= 60:
            seen.setdefault(word, None)
    return list(seen)[:MAX_WORDS]


def stems_for(text: str) -> set[str]:
    """The stems of the text's words, of the parts of its compound words and
    of their synonyms (two queries at most)."""
    words = set(_words(text))
    if not words:
        return set()
    for parts in split_words(words).values():
        words.update(parts)
    stems = {_key(w) for w in words}
    for terms in synonym_groups():
        single = [words_of(t) for t in terms]
        if any(len(ws) == 1 and _key(ws[0]) in stems for ws in single):
            stems.update(_key(w) for ws in single for w in ws if w not in STOP_WORDS)
    return {s for s in stems if len(s) >= 2}


def _skill_stems(name: str, vocabulary: set[str]) -> set[str]:
    words = set(_words(name))
    for parts in split_words(words, vocabulary).values():
        words.update(parts)
    return {_key(w) for w in words}


def matching_skill_ids(stems: set[str]) -> set[int]:
    """The skills with a word whose stem is among `stems` (two queries)."""
    if not stems:
        return set()
    # A Danish stem is a prefix of its word: a cheap filter in SQL first.
    found = reduce(or_, (Q(name__icontains=s) for s in sorted(stems)))
    candidates = list(Skill.objects.filter(found).values_list("pk", "name")[:MAX_SKILL_CANDIDATES])
    long_words = {w for _, name in candidates for w in _words(name) if len(w) >= 8}
    vocabulary = vocabulary_for(long_words) if long_words else set()
    return {pk for pk, name in candidates if _skill_stems(name, vocabulary) & stems}


def skills_matching_text(text: str) -> set[int]:
    """The skill ids a free-text search means (the member directory)."""
    return matching_skill_ids(stems_for(text))
