"""Warnings, silence and suspension, notes, category moderators."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Sanction, SanctionKind, User
from forum.models import (
    Category,
    Post,
)
from moderation.models import (
    AuditAction,
    ModeratorNote,
)
from moderation.notifications import MODERATION
from moderation.services.common import (
    ModerationError,
    notify,
)


@transaction.atomic
def warn_member(*, member: User, actor: User, message: str, post: Post | None = None) -> None:
    notify(
        recipient=member,
        kind=MODERATION,
        actor=actor,
        subject=post,
        link="" if post else reverse("accounts:member_detail", kwargs={"pk": member.pk}),
        message=lambda: _("A moderator sends you a warning: %(message)s") % {"message": message},
    )
    audit.record(actor=actor, action=AuditAction.WARN, target=member, reason=message)


@transaction.atomic
def sanction_member(*, member: User, actor: User, kind: str, reason: str, ends_at=None) -> Sanction:
    """Silence (may read, not post) or suspend (may not log in) until `ends_at`
    (None: until lifted). It lifts itself when the time runs out."""
    User.objects.select_for_update().filter(pk=member.pk).first()
    if ends_at is not None and ends_at <= timezone.now():
        raise ModerationError(_("The end must be in the future."))
    sanction = Sanction.objects.create(
        user=member, kind=kind, reason=reason, ends_at=ends_at, created_by=actor
    )
    until = timezone.localtime(ends_at).strftime("%d.%m.%Y %H:%M") if ends_at else None

    def message():
        if kind == SanctionKind.SUSPEND:
            text = _("Your account is suspended")
        else:
            text = _("You are silenced: you may read but not post")
        if until:
            text += " " + _("until %(until)s") % {"until": until}
        return f"{text}. " + _("Reason: %(reason)s") % {"reason": reason}

    notify(
        recipient=member,
        kind=MODERATION,
        actor=actor,
        message=message,
        link=reverse("moderation:my_status"),
    )
    audit.record(
        actor=actor,
        action=AuditAction.SUSPEND if kind == SanctionKind.SUSPEND else AuditAction.SILENCE,
        target=member,
        reason=reason,
        details={"until": ends_at.isoformat() if ends_at else None},
    )
    return sanction


@transaction.atomic
def lift_sanction(*, sanction: Sanction, actor: User, reason: str = "") -> None:
    updated = Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=actor
    )
    if not updated:
        raise ModerationError(_("The sanction was already lifted."))
    audit.record(
        actor=actor,
        action=AuditAction.LIFT,
        target=sanction.user,
        reason=reason,
        details={"kind": sanction.kind},
    )


@transaction.atomic
def add_note(*, member: User, actor: User, text: str) -> ModeratorNote:
    note = ModeratorNote.objects.create(member=member, author=actor, text=text)
    audit.record(actor=actor, action=AuditAction.NOTE, target=member)
    return note


@transaction.atomic
def add_category_moderator(*, category: Category, user: User, actor: User):
    from forum.models import CategoryModerator

    try:
        with transaction.atomic():
            CategoryModerator.objects.create(category=category, user=user, appointed_by=actor)
    except IntegrityError:
        raise ModerationError(
            _("%(name)s already moderates that category.") % {"name": user}
        ) from None
    audit.record(
        actor=actor,
        action=AuditAction.CATEGORY_MODERATOR,
        target=category,
        details={"added": user.pk, "name": str(user)},
    )


@transaction.atomic
def remove_category_moderator(*, category: Category, user_id, actor: User) -> bool:
    from forum.models import CategoryModerator

    if not str(user_id).isdecimal() or len(str(user_id)) > 12:
        return False
    deleted, _ = CategoryModerator.objects.filter(category=category, user_id=int(user_id)).delete()
    if deleted:
        audit.record(
            actor=actor,
            action=AuditAction.CATEGORY_MODERATOR,
            target=category,
            details={"removed": int(user_id)},
        )
    return bool(deleted)
