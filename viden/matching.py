"""The words a card is found by beside search results and similar threads:
the Danish stems of its title and tags, as search stems them."""

from forum.search import topic_stems as stems


def match_words(title: str, tag_names) -> str:
    """What `Card.match_words` holds: the stems, sorted, separated by spaces."""
    return " ".join(sorted(stems(title + " " + " ".join(tag_names))))
