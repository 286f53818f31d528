"""The audit log: every moderation and role action, written once, never changed."""

from moderation.models import AuditEntry


def _describe(target) -> tuple[str, int | None, str, str]:
    from accounts.models import User
    from forum.models import Category, Post, Thread

    if isinstance(target, Thread):
        return "thread", target.pk, target.title, target.get_absolute_url()
    if isinstance(target, Post):
        label = f"{target.thread.title} #{target.number}"
        return "post", target.pk, label, target.get_absolute_url()
    if isinstance(target, User):
        return "member", target.pk, str(target), target.get_absolute_url()
    if isinstance(target, Category):
        return "category", target.pk, target.name, target.get_absolute_url()
    return type(target).__name__.lower(), getattr(target, "pk", None), str(target)[:200], ""


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
