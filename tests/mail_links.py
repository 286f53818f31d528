"""Every link in every mail must be absolute: a mail is read away from the site.

``relative_links(message)`` lists the links in a sent message that are not:
``href``/``src`` values in its HTML part without a scheme, and paths of the
site (anything Django's URL resolver accepts) standing alone in its text. An
autouse fixture in ``tests/conftest.py`` runs it on every mail a test sends.
"""

import re
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
# A path of at least one character after the slash ("ja / yes" is no link).
TEXT_PATH = re.compile(r"""(?:^|(?<=[\s(\[<"'=:]))(/[^\s)\]>"']+)""")
URL = re.compile(r"""\bhttps?://[^\s)\]>"']+""")


def _is_site_path(candidate: str) -> bool:
    if candidate.startswith("//"):
        return False
    try:
        resolve(urlsplit(candidate).path)
    except Resolver404:
        return False
    return True


def relative_links(message) -> list[str]:
    found = []
    parts = [str(message.body)]
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            html = str(content)
            found += [
                link
                for link in HTML_LINK.findall(html)
                if not urlsplit(link).scheme and not link.startswith("#")
            ]
            parts.append(re.sub(r"<[^>]*>", " ", html))
    for text in parts:
        text = URL.sub(" ", text)  # absolute addresses are fine; their paths are not loose
        found += [path for path in TEXT_PATH.findall(text) if _is_site_path(path)]
    return found


def links(message) -> list[str]:
    """The absolute addresses in a message's text."""
    return URL.findall(str(message.body))
