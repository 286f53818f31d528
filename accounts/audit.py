"""The audit log: every moderation and role action, written once, never changed.

Any app may write to it with ``record``; the target describes itself (its model
name, ``str()`` or an ``audit_label``, ``get_absolute_url()``), so the log needs
to know no other app. Each app registers the labels of its actions in
``accounts.extensions.audit_actions``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry, User


class RoleAuditAction(models.TextChoices):
    """Accounts' own actions in the log (registered in AccountsConfig.ready)."""

    GRANT_ROLE = "grant_role", _("appointed a role")
    REVOKE_ROLE = "revoke_role", _("revoked a role")


def _describe(target) -> tuple[str, int | None, str, str]:
    """Type, id, label and link of what an action was done to."""
    if isinstance(target, User):
        target_type = "member"
    elif hasattr(target, "_meta"):
        target_type = target._meta.model_name  # "thread", "post", "category", …
    else:
        target_type = type(target).__name__.lower()
    label = getattr(target, "audit_label", None) or str(target)
    url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    return target_type, getattr(target, "pk", None), str(label), url


def record(*, actor, action: str, target, reason: str = "", details: dict | None = None):
    """Append one entry; call inside the transaction of the action it records."""
    target_type, target_id, label, url = _describe(target)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=label[:200],
        target_url=url[:300],
        reason=reason[:500],
        details=details or {},
    )
