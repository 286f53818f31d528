"""Where higher apps plug into accounts (the kinds are in netvaerk.extensions).

Every socket of accounts is named here; higher apps register from their
``AppConfig.ready()``, and registering the same name again replaces the item.
"""

from dataclasses import dataclass

from django.utils.functional import Promise

from netvaerk.extensions import Hook, PanelSocket, Registry

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
