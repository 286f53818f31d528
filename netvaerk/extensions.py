"""Sockets where a higher app plugs into a lower one.

Apps depend downwards only (README, "How the code is organised"). When a lower
app must show or ask something a higher app owns, the lower app declares a
socket in its own ``extensions.py`` and the higher app registers into it from
its ``AppConfig.ready()``. Four kinds, all plain Python:

- ``PanelSocket``: boxes on a page. A panel is a template plus a function that
  returns its context (or ``None`` to show nothing). The function gets the
  objects the page already loaded and may run at most one query.
- ``Gate``: a question a service asks before it acts ("may this post be
  published now?"). Each registered check answers ``None`` (no objection) or a
  result; the first result wins.
- ``Menu``: entries in the page header, each with a visibility predicate that
  must not query (role predicates read what the request already loaded).
- ``Hook``: a named moment in a lower app's service ("a meetup was cancelled")
  that higher apps react to. Called explicitly, inside the caller's
  transaction; not Django signals.

Every item has a ``name``; registering the same name again replaces it, so a
re-run ``ready()`` (tests, autoreload) never doubles a panel, and
``unregister(name)`` removes it cleanly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe


class Registry:
    """Named items kept in (order, registration) order."""

    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc
        self._items: dict[str, Any] = {}
        # Goes up with each change, so what was built from the items (a
        # prepared query's shape) can tell it is out of date.
        self.version = 0

    def register(self, item):
        self._items[item.name] = item
        self.version += 1
        return item

    def unregister(self, name: str) -> None:
        self._items.pop(name, None)
        self.version += 1

    def names(self) -> list[str]:
        return [item.name for item in self]

    def __iter__(self) -> Iterator:
        return iter(sorted(self._items.values(), key=lambda item: getattr(item, "order", 100)))

    def __contains__(self, name: str) -> bool:
        return name in self._items

    def __repr__(self):
        return f"<{type(self).__name__} {self.name}: {', '.join(self._items)}>"


# --- Panels ------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    html: SafeString

    def __str__(self):
        return self.html

    def __html__(self):
        return self.html


class PanelSocket(Registry):
    """Panels on one page (or one place on a page)."""

    def render(self, request, **objects) -> list[RenderedPanel]:
        """Each registered panel that has something to show, rendered to HTML.

        ``objects`` are what the page already loaded (``thread=…``,
        ``meetup=…``); each panel's context function takes them as keywords
        together with ``request`` and returns a dict or ``None``."""
        rendered = []
        for panel in self:
            context = panel.context(request=request, **objects)
            if context is None:
                continue
            html = render_to_string(panel.template, context, request=request)
            rendered.append(RenderedPanel(panel.name, mark_safe(html)))  # noqa: S308
        return rendered


# --- Gates -------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    name: str
    check: Callable[..., Any]
    order: int = 100


class Gate(Registry):
    """Checks a service consults before it acts; the first non-None answer wins."""

    def ask(self, **kwargs):
        for item in self:
            answer = item.check(**kwargs)
            if answer is not None:
                return answer
        return None


# --- Menus -------------------------------------------------------------------


@dataclass(frozen=True)
class MenuEntry:
    name: str
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool] = field(default=lambda user: True)
    order: int = 100


class Menu(Registry):
    """Links in the page header. ``visible(user)`` must not query."""

    def for_user(self, user) -> list[MenuEntry]:
        return [entry for entry in self if entry.visible(user)]


# --- Hooks -------------------------------------------------------------------


@dataclass(frozen=True)
class Listener:
    name: str
    receiver: Callable[..., Any]
    order: int = 100


class Hook(Registry):
    """A named moment in a lower app's service. ``call(**kwargs)`` runs every
    listener in order, in the caller's transaction, and returns their results."""

    def connect(self, name: str, receiver: Callable[..., Any], order: int = 100) -> None:
        self.register(Listener(name, receiver, order))

    def call(self, **kwargs) -> list:
        return [listener.receiver(**kwargs) for listener in self]
