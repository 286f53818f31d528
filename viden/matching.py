"""The words a card is found by beside search results and similar threads:
the Danish stems of its title and tags, as search stems them."""

from forum.search import STOP_WORDS, stem, words_of


def stems(text: str) -> set[str]:
    return {stem(w) for w in words_of(text) if w not in STOP_WORDS and len(w) > 1}


def match_words(title: str, tag_names) -> str:
    """What `Card.match_words` holds: the stems, sorted, separated by spaces."""
    return " ".join(sorted(stems(title + " " + " ".join(tag_names))))
