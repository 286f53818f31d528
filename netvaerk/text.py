"""The one rule for user text: what is stripped when it arrives, and what counts as empty.

Text arrives by copy-paste from other programs with characters nobody meant to
type: control characters, zero-width spaces, bidirectional overrides that make
"Faktura‮fdp.exe" read as something else. Every form field that accepts text
(netvaerk.forms) and every other place that stores typed text goes through here:

- control characters (C0 except tab and newline, DEL, C1) are removed
  everywhere; CR, CRLF and U+2028/U+2029 become newlines;
- one-line text (titles, names, handles, tags) also loses the bidirectional
  embedding, override and isolate characters and has its spaces collapsed;
- text is empty, or too short, by its visible characters only: whitespace,
  format characters (zero-width space, word joiner, soft hyphen …) and other
  default-ignorable code points do not count;
- Markdown is empty when its sanitised rendering shows nothing (see
  `html_is_blank`): "&nbsp;", "[]()", "****", "---" and "> " are empty.

Templates show user-written names and titles isolated (`<bdi>`), so that
Arabic or Hebrew names keep their direction without turning the line around.
"""

import re
import unicodedata
from html.parser import HTMLParser

# C0 controls except tab (\x09) and newline (\x0a), DEL, C1 controls, and lone
# surrogates (they cannot be stored). CR is turned into a newline first.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")

# Bidirectional embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates
# (LRI, RLI, FSI, PDI). The marks LRM, RLM and ALM stay: they are invisible
# and only nudge neutral characters, which correct Arabic or Hebrew text needs.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_CONTROLS = re.compile(f"[{BIDI_CONTROLS}]")

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): code
# points that render as nothing, whether assigned or not.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, (non-)joiner, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates …
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # zero-width no-break space (BOM)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF0, 0xFFF8),  # unassigned specials
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical formatting
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement
)
# Blank though not ignorable: the Braille pattern without dots.
_BLANK_SYMBOLS = {"\u2800"}
# Invisible characters that may be trimmed from the ends of one-line text. Not
# variation selectors or tag characters: they end emoji ("❤️", flags).
_TRIMMABLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"


def _is_default_ignorable(code: int) -> bool:
    return any(low <= code <= high for low, high in _DEFAULT_IGNORABLE)


def is_invisible(char: str) -> bool:
    """True for a character that shows nothing on its own."""
    if char.isspace() or char in _BLANK_SYMBOLS:
        return True
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Zs"):
        return True
    return _is_default_ignorable(ord(char))


def visible_length(text: str) -> int:
    """The number of visible characters: what emptiness and minimum lengths count.

    Combining marks do not count on their own (they sit on the character before
    them), so "é" written as e + U+0301 is one character.
    """
    return sum(
        1
        for char in text
        if not is_invisible(char) and not unicodedata.category(char).startswith("M")
    )


def is_blank(text: str) -> bool:
    """True when nothing of the text can be seen (stops at the first visible character)."""
    return not any(
        not is_invisible(char) and not unicodedata.category(char).startswith("M") for char in text
    )


def strip_control_chars(text: str, *, multiline: bool = True) -> str:
    """Remove control characters; line breaks become "\\n" (or spaces in one-line text).
    Text is stored composed (NFC), so that search and comparisons see one "é"
    whether it was typed as one character or as "e" and a combining accent."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL_CHARS.sub("", text)
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return text


def clean_multiline(text: str) -> str:
    """Multi-line plain text or Markdown source: no control characters, "\\n" line breaks,
    no trailing spaces at the end; tabs and inner spacing stay as typed."""
    return strip_control_chars(text).strip("\n").rstrip()


def clean_one_line(text: str) -> str:
    """One-line text (titles, names, handles, tags): no control or bidi override
    characters, one space between words, no invisible characters at the ends.
    Text with nothing visible in it becomes ""."""
    text = _BIDI_CONTROLS.sub("", strip_control_chars(text, multiline=False))
    text = " ".join(text.split())
    text = text.strip(_TRIMMABLE + " ")
    return "" if is_blank(text) else text


def has_bidi_controls(text: str) -> bool:
    return bool(_BIDI_CONTROLS.search(text))


def has_control_chars(text: str) -> bool:
    """Control characters other than tab, newline and carriage return."""
    return bool(_CONTROL_CHARS.search(text.replace("\r", "")))


# Elements that show something without any text in them. None is allowed by
# netvaerk.markup today; listed so that a body with only an image counts as
# written once images are allowed.
EMBEDDED_CONTENT_TAGS = frozenset(
    {"img", "picture", "video", "audio", "iframe", "embed", "object", "svg", "canvas"}
)


class _TextOfHtml(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.has_embedded_content = False

    def handle_starttag(self, tag, attrs):
        if tag in EMBEDDED_CONTENT_TAGS:
            self.has_embedded_content = True

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.parts.append(data)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded."""
    parser = _TextOfHtml()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


def html_is_blank(fragment: str) -> bool:
    """True when sanitised HTML shows nothing: no visible text and no image or media."""
    parser = _TextOfHtml()
    parser.feed(fragment)
    parser.close()
    return not parser.has_embedded_content and is_blank("".join(parser.parts))
