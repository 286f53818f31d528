"""The sockets of the notifications app (layer 2; every app above may plug in).

- ``kinds``: what a notification can be about. Each app registers the kinds it
  sends (``Kind("reply", _("New reply"), "forum/notifications/_line.txt")``).
  ``line_template`` renders the one line shown in the list, the mail subject
  and the digest; it gets ``notification`` (with ``title`` and ``actor`` set)
  and must not query. Without a template the stored ``message`` is shown.
- ``subjects``: for each model a notification can point at (its
  ``label_lower``, e.g. ``"forum.post"``), a resolver
  ``resolve(notifications, user)`` that loads those subjects in one query and
  sets on each notification ``title`` (str), ``subject_url`` (str) and
  ``readable`` (bool: may ``user`` open it; ``user`` None: judge for each
  notification's ``recipient``, as mail and digests do). An unreadable
  notification shows no title: the resolver sets a placeholder.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from netvaerk.extensions import Registry


@dataclass(frozen=True)
class Kind:
    name: str  # stored in Notification.kind (at most 40 characters)
    label: str | Promise
    line_template: str = ""
    order: int = 100
    # The stored message is for the recipient even when they may no longer open
    # the subject (a moderator's word to an author about a deleted post). Else an
    # unreadable notification shows only its kind: the message may quote a title.
    shown_when_unreadable: bool = False


@dataclass(frozen=True)
class Subject:
    name: str  # the model's label_lower, e.g. "forum.post"
    resolve: Callable[..., None]
    order: int = 100


kinds = Registry("notifications.kinds", "What a notification can be about.")
subjects = Registry("notifications.subjects", "Resolvers for what notifications point at.")
