"""CSRF in tests: every POST form a page renders must carry a token.

Django's test client skips CSRF checks by default, so a form that renders
without ``{% csrf_token %}`` (a component included with ``only`` that was not
given ``csrf_token``) passes every view test and fails for every real member.
Two nets catch that class of fault:

- ``check_post_forms(response)`` runs on every HTML page any test fetches
  through the test client (an autouse fixture in ``tests/conftest.py``) and
  fails the test when a ``<form method="post">`` has no non-empty
  ``csrfmiddlewaretoken``;
- ``csrf_client(user)`` is a client with CSRF checks on, and
  ``submit(client, page_url, action, data)`` opens the page, takes the token
  from the form that posts to ``action`` and submits it, as a browser would.
"""

import re
from html import unescape
from urllib.parse import urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
METHOD_POST = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
ACTION = re.compile(r"""\baction\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
TOKEN = re.compile(
    r"""<input\b[^>]*\bname\s*=\s*["']csrfmiddlewaretoken["'][^>]*>""", re.IGNORECASE
)
VALUE = re.compile(r"""\bvalue\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
HIDDEN = re.compile(r"""<input\b[^>]*\btype\s*=\s*["']hidden["'][^>]*>""", re.IGNORECASE)
NAME = re.compile(r"""\bname\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


class MissingCsrfToken(AssertionError):
    pass


def post_forms(html: str) -> list[tuple[str, str | None]]:
    """(action, token) of each POST form on the page; token None when absent or empty."""
    found = []
    for attrs, body in FORM.findall(html):
        if not METHOD_POST.search(attrs):
            continue
        action = ACTION.search(attrs)
        token = TOKEN.search(body)
        value = VALUE.search(token.group(0)) if token else None
        found.append(
            (
                unescape(action.group(1)) if action else "",
                value.group(1) if value and value.group(1) else None,
            )
        )
    return found


def _csrf_exempt(target: str) -> bool:
    """A view that takes POSTs without a token on purpose (one-click unsubscribe,
    RFC 8058) needs none in its form; off-site targets are not ours to check."""
    bits = urlsplit(target)
    if bits.netloc:
        return True
    try:
        return getattr(resolve(bits.path).func, "csrf_exempt", False)
    except Resolver404:
        return False


def check_post_forms(response) -> None:
    """Fail when an HTML response has a POST form without a CSRF token."""
    if "text/html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
        return
    html = response.content.decode(response.charset or "utf-8", errors="replace")
    if "<form" not in html.lower():
        return
    path = response.wsgi_request.path
    missing = [
        action or "(this page)"
        for action, token in post_forms(html)
        if token is None and not _csrf_exempt(action or path)
    ]
    if missing:
        raise MissingCsrfToken(
            f"{response.wsgi_request.get_full_path()} renders POST forms without a CSRF token, "
            f"posting to: {', '.join(missing)}"
        )


def csrf_client(user=None, **defaults) -> Client:
    """A client that checks CSRF like the real site (logged in as ``user``, if any)."""
    client = Client(enforce_csrf_checks=True, **defaults)
    if user is not None:
        client.force_login(user)
    return client


def hidden_fields(html: str, action: str, page_url: str) -> dict[str, str] | None:
    """The hidden inputs (token included) of the first POST form posting to ``action``
    (a form without an action posts to its own page)."""
    for attrs, body in FORM.findall(html):
        found = ACTION.search(attrs)
        target = unescape(found.group(1)) if found and found.group(1) else page_url
        if METHOD_POST.search(attrs) and target == action:
            fields = {}
            for tag in HIDDEN.findall(body):
                name, value = NAME.search(tag), VALUE.search(tag)
                if name:
                    fields[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
            return fields
    return None


def submit(client: Client, page_url: str, action: str, data: dict | None = None, **extra):
    """Open ``page_url`` and submit its form posting to ``action`` as a browser would:
    its hidden fields (the CSRF token among them) plus ``data``."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    fields = hidden_fields(page.content.decode(), action, page_url)
    assert fields is not None, f"{page_url} has no form posting to {action}"
    assert fields.get("csrfmiddlewaretoken"), f"the form posting to {action} has no CSRF token"
    return client.post(action, {**fields, **(data or {})}, **extra)
