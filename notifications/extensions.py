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
  notification shows no title: the resolver sets a placeholder. For mail
  (``user`` None) it may also set ``reply_to`` (str): an address where a reply
  by mail becomes an answer (the forum's personal reply address); a mail about
  that one notification carries it as its Reply-To.
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


@dataclass(frozen=True)
class DigestSection:
    """One section of the personal digest ("Din uge i netværket").

    ``collect(users, now)`` gets a batch of members (loaded with
    ``with_access()``, their ``skills`` prefetched, and ``digest_since`` set:
    the start of the period the digest covers) and returns
    ``{user_id: [item, ...]}`` for those who have something; it must run a
    fixed number of queries for the whole batch (never one per member) and
    return only what each member may see. ``template`` renders the section's
    items in the mail's plain-text part and ``html_template`` in its HTML part
    (``items`` and ``base_url`` in the context, the member's language active;
    nothing about the member: a batch renders the same items once per language
    for every member who gets them); items give absolute links, as callables
    when the address depends on the language (templates call them).
    """

    name: str
    title: str | Promise
    template: str
    collect: Callable[..., dict[int, list]]
    order: int = 100
    limit: int = 5  # at most this many items per member
    html_template: str = ""  # empty: the plain text, preformatted


digest_sections = Registry(
    "notifications.digest_sections",
    """The sections of the personal digest; the forum registers questions that
    match a member's skills and newly solved threads, moeder meetups to answer,
    needs the status changes of supported needs. See ``DigestSection``.""",
)


def absolute_link(obj) -> Callable[[], str]:
    """An item's absolute address for a digest template, as a callable (the
    address depends on the language the mail is rendered in), worked out once
    per language however many members' digests show the item."""
    from django.utils import translation

    from netvaerk.site import absolute_url

    cache: dict[str | None, str] = {}

    def link() -> str:
        language = translation.get_language()
        if language not in cache:
            cache[language] = absolute_url(obj.get_absolute_url())
        return cache[language]

    return link
