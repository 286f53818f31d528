"""Turning other systems' text into our Markdown: HTML, mail quotes and
signatures, Slack's mrkdwn."""

import re
from html import unescape
from html.parser import HTMLParser

_BLANKS = re.compile(r"\n{3,}")


class _ToMarkdown(HTMLParser):
    """A small HTML → Markdown converter: paragraphs, line breaks, emphasis,
    links, code, quotes and lists; everything else becomes its text."""

    BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "ul", "ol"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: list[str | None] = []
        self.skip = 0
        self.pre = 0
        self.quote = 0
        self.lists: list[str] = []

    def _newline(self, n=2):
        self.out.append("\n" * n + "> " * self.quote)

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self._newline()
            if tag in {"ul", "ol"}:
                self.lists.append(tag)
            elif tag.startswith("h") and len(tag) == 2:
                self.out.append("### ")
        elif tag == "br":
            self._newline(1)
        elif tag == "li":
            self._newline(1)
            self.out.append("1. " if self.lists and self.lists[-1] == "ol" else "- ")
        elif tag in {"strong", "b"}:
            self.out.append("**")
        elif tag in {"em", "i"}:
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre += 1
            self._newline()
            self.out.append("```\n")
        elif tag == "blockquote":
            self.quote += 1
            self._newline()
        elif tag == "a":
            href = dict(attrs).get("href")
            self.href.append(href if href and href.startswith(("http", "mailto")) else None)
            if self.href[-1]:
                self.out.append("[")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            if tag in {"ul", "ol"} and self.lists:
                self.lists.pop()
            self._newline()
        elif tag in {"strong", "b"}:
            self.out.append("**")
        elif tag in {"em", "i"}:
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```")
            self._newline()
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self._newline()
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href:
                self.out.append(f"]({href})")

    def handle_data(self, data):
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        self.out.append(data)


def html_to_markdown(html: str) -> str:
    parser = _ToMarkdown()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # malformed beyond repair: its text
        return unescape(re.sub(r"<[^>]+>", " ", html)).strip()
    text = "".join(parser.out)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(p|div|br|a|pre|code|blockquote|ul|ol|li|strong|em)\b", text, re.I))


# --- Mail ---------------------------------------------------------------------------

_ATTRIBUTION = re.compile(
    r"^\s*(On\b.{0,200}\bwrote:|Den\b.{0,200}\bskrev\s*.{0,80}:|.{0,100}\bskrev:)\s*$",
    re.IGNORECASE,
)
_OUTLOOK = re.compile(
    r"^\s*(-{2,}\s*(Original Message|Oprindelig meddelelse)\s*-{2,}|_{10,})", re.I
)


def clean_mail_text(text: str) -> str:
    """A mail's own words: the signature after "-- " dropped, a quoted original
    at the end (an "On … wrote:" / "Den … skrev:" line and the "> " lines
    after it, or a forwarded original) dropped; quotes in the middle kept as
    Markdown quotes (nested ones flattened to one level)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        if line in ("-- ", "--"):
            break
        if _OUTLOOK.match(line):
            break
        if _ATTRIBUTION.match(line) and all(
            not rest.strip() or rest.lstrip().startswith(">") for rest in lines[i + 1 :]
        ):
            break
        kept.append(line)
    # quoted lines at the very end (no attribution): the original, dropped
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        if kept[-1].lstrip().startswith(">") and not any(
            k.strip() and not k.lstrip().startswith(">") for k in kept
        ):
            break  # a mail that is only a quote keeps it
        kept.pop()
    out = []
    for line in kept:
        stripped = line.lstrip()
        if stripped.startswith(">"):
            out.append("> " + re.sub(r"^(>\s?)+", "", stripped))
        else:
            out.append(line.rstrip())
    return _BLANKS.sub("\n\n", "\n".join(out)).strip()


# --- Slack --------------------------------------------------------------------------

_SLACK_USER = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]+))?>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]+)>")
_SLACK_SPECIAL = re.compile(r"<!(here|channel|everyone)[^>]*>")


def slack_to_markdown(text: str, handles: dict[str, str]) -> str:
    """Slack mrkdwn: *bold*, _italic_, ~strike~, <@U123>, <url|label>."""
    text = _SLACK_USER.sub(lambda m: "@" + handles.get(m.group(1), m.group(1)), text)
    text = _SLACK_LINK.sub(
        lambda m: f"[{m.group(2)}]({m.group(1)})" if m.group(2) else m.group(1), text
    )
    text = _SLACK_CHANNEL.sub(lambda m: "#" + m.group(1), text)
    text = _SLACK_SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = re.sub(r"(?<![\w*])\*(\S[^*\n]*?\S|\S)\*(?![\w*])", r"**\1**", text)
    text = re.sub(r"(?<![\w_])_(\S[^_\n]*?\S|\S)_(?![\w_])", r"*\1*", text)
    text = re.sub(r"(?<![\w~])~(\S[^~\n]*?\S|\S)~(?![\w~])", r"~~\1~~", text)
    return unescape(text)
