"""Where higher apps plug into accounts (the kinds are in netvaerk.extensions).

Every socket of accounts is named here; higher apps register from their
``AppConfig.ready()``, and registering the same name again replaces the item.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from netvaerk.extensions import Gate, Hook, PanelSocket, Registry

# --- Pages -------------------------------------------------------------------

banners = PanelSocket(
    "banners",
    """Notices across the top of every page, under the header (base.html, through
    the navigation context processor), for signed-in members. Each banner's
    context function gets ``request`` and returns ``{}`` (or its context) to
    show, None to stay hidden; it must not query (read what the request
    already loaded). accounts shows the two-factor banner (10), moderation the
    "you are silenced" banner (20).""",
)

member_panels = PanelSocket(
    "member_panels",
    """Boxes under a member's public profile (accounts:member_detail). Each
    panel's context function gets ``request`` and ``member`` (loaded with
    ``User.objects.for_directory()``) and returns its context, or None when the
    viewer may not see it; at most one query. moderation shows its private
    notes on the member to moderators and network leaders.""",
)


# --- The member directory --------------------------------------------------------

skill_matcher = Gate(
    "skill_matcher",
    """How the member directory's search finds members by what they help with.
    Check: ``check(*, text) -> set[int] | None``: the ids of the skills that
    ``text`` means (with stemming, compounds and synonyms), or None for no
    opinion. Without a check only skill names containing the text match. The
    relay app registers the search's matching (relay.matching); at most a few
    queries, whatever the number of skills.""",
)


# --- Roles -------------------------------------------------------------------

role_granted = Hook(
    "role_granted",
    """A member was given a role (organiser, moderator, network leader), inside
    the transaction of accounts.services.grant_role, after the role change and
    its audit entry were written. Listeners get ``user``, ``role`` (a
    ``Role`` value) and ``actor`` (who granted it, or None). The handbook
    points the new role holder to its course.""",
)


# --- The audit log -----------------------------------------------------------


@dataclass(frozen=True)
class AuditActionLabel:
    name: str  # the value stored in AuditEntry.action, e.g. "pin"
    label: str | Promise  # "pinned the thread"
    order: int = 100


class AuditActions(Registry):
    """What each action in the audit log is called."""

    def register_choices(self, choices, order: int = 100) -> None:
        """Register ``(value, label)`` pairs, e.g. a ``TextChoices`` class's ``choices``."""
        for value, label in choices:
            self.register(AuditActionLabel(value, label, order))

    def choices(self) -> list[tuple[str, str | Promise]]:
        return [(action.name, action.label) for action in self]


audit_actions = AuditActions(
    "audit_actions",
    """The actions the audit log (accounts.AuditEntry) knows, with their labels,
    in the order the log's filter lists them. accounts registers its role
    changes (100); an app that writes other actions through accounts.audit.record
    registers them (moderation: its actions at 50, category moderators at 150).""",
)


def audit_action_choices() -> list[tuple[str, str | Promise]]:
    """The choices of AuditEntry.action (a callable, so higher apps can add to them)."""
    return audit_actions.choices()


# --- Members' data (GDPR) ------------------------------------------------------


@dataclass(frozen=True)
class PersonalData:
    """One app's part of a member's data: what goes into their export, how it
    is erased when they leave, and which models it answers for.

    ``export(user)`` returns ``{"file-name": rows}`` (rows: a list of dicts that
    json can write, loaded in a fixed number of queries); the files land in the
    export under ``<name>/``. ``erase(user=..., keep_posts=...)`` runs inside the
    transaction of accounts.privacy.erase_member, before the account itself is
    anonymised: it removes (or detaches from the member) everything of theirs,
    keeping what they wrote only when ``keep_posts`` (it then shows as
    "Former member"), and keeps counters and search in step. ``covers`` lists
    the models (``"app_label.ModelName"``) with a relation to the member that
    the export and the eraser handle; ``left_out`` maps the others to the reason
    they hold nothing of the member's to give or take."""

    name: str
    export: Callable[..., dict[str, list[dict]]]
    erase: Callable[..., None]
    covers: tuple[str, ...] = ()
    left_out: dict[str, str] = field(default_factory=dict)
    order: int = 100
    label: str | Promise = ""  # the heading in the export's overview


personal_data = Registry(
    "personal_data",
    """Every app that stores something about a member registers a
    ``PersonalData`` here (from its ``AppConfig.ready()``): its part of "Export
    my data" and its step of "Delete my account". tests/accounts/test_privacy
    walks every model with a relation to the member and fails when one is in no
    app's ``covers`` or ``left_out``.""",
)


@dataclass(frozen=True)
class Retention:
    """One kind of data with a retention period: ``purge(now=...)`` removes
    (or reduces to figures) what is older than its setting in
    ``NETVAERK_RETENTION`` and returns how many rows it touched."""

    name: str
    purge: Callable[..., int]
    order: int = 100


retention = Registry(
    "retention",
    """What `manage.py purge_expired` (the daily task accounts.tasks.purge_expired)
    removes. accounts purges data exports, sessions, rate-limit counts (they hold
    IP addresses) and finished task rows; notifications old notifications; the
    forum old failed searches; moeder answers to meetup questions and, later,
    check-in lists (kept as counts).""",
)
