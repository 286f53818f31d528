"""Words, stems and stop words: the same on both backends, at index and query time."""

import re
import threading
import unicodedata

import Stemmer

MAX_QUERY_CHARS = 300
MAX_TERMS = 10
MAX_CANDIDATES = 500  # best text matches considered before permissions and filters
_TOKEN = re.compile(r'"[^"]*"?|\S+')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")

# Snowball's Danish stop words (PostgreSQL's `danish` configuration drops the same).
STOP_WORDS = frozenset(
    [
        "og",
        "i",
        "jeg",
        "det",
        "at",
        "en",
        "den",
        "til",
        "er",
        "som",
        "på",
        "de",
        "med",
        "han",
        "af",
        "for",
        "ikke",
        "der",
        "var",
        "mig",
        "sig",
        "men",
        "et",
        "har",
        "om",
        "vi",
        "min",
        "havde",
        "ham",
        "hun",
        "nu",
        "over",
        "da",
        "fra",
        "du",
        "ud",
        "sin",
        "dem",
        "os",
        "op",
        "man",
        "hans",
        "hvor",
        "eller",
        "hvad",
        "skal",
        "selv",
        "her",
        "alle",
        "vil",
        "blev",
        "kunne",
        "ind",
        "når",
        "være",
        "dog",
        "noget",
        "ville",
        "jo",
        "deres",
        "efter",
        "ned",
        "skulle",
        "denne",
        "end",
        "dette",
        "mit",
        "også",
        "under",
        "have",
        "dig",
        "anden",
        "hende",
        "mine",
        "alt",
        "meget",
        "sit",
        "sine",
        "vor",
        "mod",
        "disse",
        "hvis",
        "din",
        "nogle",
        "hos",
        "blive",
        "mange",
        "ad",
        "bliver",
        "hendes",
        "været",
        "thi",
        "jer",
        "sådan",
    ]
)

_local = threading.local()


def stem(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("danish")
    return stemmer.stemWord(word.lower())


def words_of(text: str) -> list[str]:
    """Lower-case words, composed (NFC): "æ" typed as a + combining mark
    matches the "æ" of the index."""
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]


def topic_stems(text: str) -> set[str]:
    """The stems of a short text's meaningful words (no stop words, no single
    letters): what digests and knowledge cards match titles, tags and skills by."""
    return {stem(w) for w in words_of(text) if w not in STOP_WORDS and len(w) > 1}


def stemmed_text(text: str) -> str:
    """What the SQLite index holds: stems of the words that are not stop words."""
    return stemmed_words(words_of(text))


def stemmed_words(words: list[str]) -> str:
    """`stemmed_text` of text already split by `words_of` (one call to the stemmer)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("danish")
    return " ".join(stemmer.stemWords([w for w in words if w not in STOP_WORDS]))
