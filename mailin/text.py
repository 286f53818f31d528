"""The text of a reply by mail: the member's own words, without the quoted
original and the signature; HTML-only mail made into Markdown.

Cut at the first of: an attribution line ("On … wrote:", "Den … skrev:", also
wrapped over two lines), an Outlook header block ("-----Original Message-----",
"From:/Fra:" followed by "Sent:/Sendt:/To:/Til:/Date:/Dato:/Subject:/Emne:"), a
forwarded-message line, the signature separator ("-- "), "Sent from my …". A
block of "> " lines at the end is the quoted original too and goes; "> " lines
with the member's answers after them stay, as Markdown quotes.
"""

import re
from html.parser import HTMLParser

_ATTRIBUTION = re.compile(
    r"^\s*(on|den|d\.|le|am|el|op)\b.*\b(wrote|skrev|a écrit|schrieb|escribió|schreef)\b.*:\s*$",
    re.IGNORECASE,
)
_ATTRIBUTION_END = re.compile(
    r"\b(wrote|skrev|a écrit|schrieb|escribió|schreef)\b.*:\s*$", re.IGNORECASE
)
_ATTRIBUTION_START = re.compile(r"^\s*(on|den|d\.|le|am|el|op)\b", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(original message|oprindelig (meddelelse|besked|mail)|"
    r"forwarded message|videresendt (meddelelse|besked))\s*-{2,}\s*$",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_HEADER_FROM = re.compile(r"^\s*\*?(from|fra|von|de)\s*:\*?\s", re.IGNORECASE)
_HEADER_OTHER = re.compile(
    r"^\s*\*?(sent|sendt|to|til|date|dato|subject|emne|cc|gesendet|an|betreff)\s*:",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^-- ?$")
_SENT_FROM = re.compile(
    r"^\s*(sent from my|sendt fra min|sendt fra my|get outlook for)\b", re.IGNORECASE
)


def _cut_index(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        if _ATTRIBUTION.match(line) or _SEPARATOR.match(line) or _SIGNATURE.match(line):
            return i
        if _SENT_FROM.match(line) or _UNDERSCORES.match(line):
            return i
        if (
            _ATTRIBUTION_END.search(line)
            and i > 0
            and _ATTRIBUTION_START.match(lines[i - 1])
            and lines[i - 1].strip()
        ):
            return i - 1
        if _HEADER_FROM.match(line) and any(
            _HEADER_OTHER.match(following) for following in lines[i + 1 : i + 5]
        ):
            return i
    return len(lines)


def reply_text(text: str) -> str:
    """The member's own words in a reply's plain text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = lines[: _cut_index(lines)]
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return "\n".join(line.rstrip() for line in lines).strip()


class _Markdown(HTMLParser):
    """A small HTML to Markdown converter for mail bodies: paragraphs, line
    breaks, links, emphasis, lists, code. Quoted originals (blockquote, Gmail's
    and Thunderbird's quote blocks), scripts and styles are left out."""

    SKIP = {"script", "style", "head", "title", "blockquote"}
    BLOCK = {"p", "div", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
    QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "divrplyfwdmsg")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, started skipping here)
        self.href: list[str | None] = []
        self.in_pre = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").lower()
        void = tag in {"br", "hr", "img", "meta", "link", "input"}
        skipping = tag in self.SKIP or any(name in classes for name in self.QUOTE_CLASSES)
        if attrs.get("id", "") in ("divRplyFwdMsg", "appendonsend"):
            skipping = True
        if not void:
            self.stack.append((tag, skipping))
            if skipping:
                self.skip_depth += 1
        if self.skip_depth:
            return
        if tag == "br":
            self.out.append("\n")
        elif tag == "hr":
            self.out.append("\n\n---\n\n")
        elif tag in self.BLOCK:
            self.out.append("\n\n")
            if tag.startswith("h") and len(tag) == 2:
                self.out.append("#" * int(tag[1]) + " ")
            if tag == "pre":
                self.out.append("```\n")
                self.in_pre = True
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("_")
        elif tag == "code" and not self.in_pre:
            self.out.append("`")
        elif tag == "a":
            href = attrs.get("href") or ""
            self.href.append(href if href.startswith(("http://", "https://", "mailto:")) else None)
            if self.href[-1]:
                self.out.append("[")

    def handle_endtag(self, tag):
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return
        while self.stack:
            open_tag, skipping = self.stack.pop()
            if skipping:
                self.skip_depth -= 1
            if not self.skip_depth:
                self._close(open_tag)
            if open_tag == tag:
                break

    def _close(self, tag):
        if tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("_")
        elif tag == "code" and not self.in_pre:
            self.out.append("`")
        elif tag == "pre":
            self.out.append("\n```\n")
            self.in_pre = False
        elif tag in self.BLOCK:
            self.out.append("\n\n")
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href:
                self.out.append(f"]({href})")

    def handle_data(self, data):
        if self.skip_depth:
            return
        if not self.in_pre:
            data = re.sub(r"\s+", " ", data)
        self.out.append(data)


def html_to_markdown(html: str) -> str:
    parser = _Markdown()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: S110 - broken HTML gives what was read so far
        pass
    text = "".join(parser.out)
    text = "\n".join(
        line.strip() if not line.startswith("    ") else line for line in text.split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip()
