"""Writes for members, roles and guidelines; each in one transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts import audit
from accounts.audit import RoleAuditAction
from accounts.extensions import role_granted
from accounts.models import (
    Guidelines,
    Role,
    RoleAssignment,
    RoleChange,
    Skill,
    User,
    handle_base,
    is_reserved_handle,
)
from netvaerk.markup import render_markdown
from netvaerk.text import clean_one_line

MAX_SKILLS = 12


class RoleError(Exception):
    """A role change that the rules of the network do not allow."""


class LastLeaderError(RoleError):
    pass


def parse_skills(text: str) -> list[str]:
    """Comma-separated free tags, cleaned, without duplicates, order kept."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        name = clean_one_line(raw)[:50]
        slug = slugify(name, allow_unicode=True)
        if name and slug and slug not in seen:
            seen[slug] = name
    return list(seen.values())


@transaction.atomic
def update_profile(*, member: User, skills: list[str], **fields) -> User:
    for name, value in fields.items():
        setattr(member, name, value)
    member.save(update_fields=list(fields))
    skill_objects = []
    for name in skills[:MAX_SKILLS]:
        skill, _ = Skill.objects.get_or_create(
            slug=slugify(name, allow_unicode=True), defaults={"name": name}
        )
        skill_objects.append(skill)
    member.skills.set(skill_objects)
    return member


def unique_handle(name: str) -> str:
    base = handle_base(name)
    if is_reserved_handle(base):  # "admin-2" would be reserved too
        base = f"medlem-{base}"[:30]
    taken = set(User.objects.filter(handle__startswith=base).values_list("handle", flat=True))
    handle, n = base, 1
    while handle in taken:
        n += 1
        handle = f"{base}-{n}"
    return handle


@transaction.atomic
def register_member(*, user: User, display_name: str) -> User:
    """Finish a sign-up: name, @handle and acceptance of the guidelines."""
    user.display_name = display_name
    user.guidelines_accepted_at = timezone.now()
    fields = ["display_name", "guidelines_accepted_at"]
    if not user.handle:
        user.handle = unique_handle(display_name)
        fields.append("handle")
    user.save(update_fields=fields)
    return user


@transaction.atomic
def grant_role(*, user: User, role: str, granted_by: User | None) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": granted_by}
    )
    if not created:
        raise RoleError("already holds the role")
    RoleChange.objects.create(
        user=user, role=role, action=RoleChange.Action.GRANTED, changed_by=granted_by
    )
    _after_role_change(user=user, role=role, actor=granted_by, granted=True)
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, revoked_by: User | None) -> None:
    if assignment.role == Role.NETWORK_LEADER:
        # Lock the leader rows so two leaders cannot revoke each other at once.
        leaders = list(
            RoleAssignment.objects.select_for_update()
            .filter(role=Role.NETWORK_LEADER, user__is_active=True)
            .values_list("pk", flat=True)
        )
        if leaders == [assignment.pk]:
            raise LastLeaderError("the network needs at least one leader")
    deleted, _ = RoleAssignment.objects.filter(pk=assignment.pk).delete()
    if deleted:
        RoleChange.objects.create(
            user_id=assignment.user_id,
            role=assignment.role,
            action=RoleChange.Action.REVOKED,
            changed_by=revoked_by,
        )
        _after_role_change(
            user=assignment.user, role=assignment.role, actor=revoked_by, granted=False
        )


def _after_role_change(*, user: User, role: str, actor: User | None, granted: bool) -> None:
    """Into the audit log; a new role is announced through role_granted (the
    handbook points a new organiser, moderator or leader to its course)."""
    audit.record(
        actor=actor,
        action=RoleAuditAction.GRANT_ROLE if granted else RoleAuditAction.REVOKE_ROLE,
        target=user,
        details={"role": role},
    )
    if granted:
        role_granted.call(user=user, role=role, actor=actor)


@transaction.atomic
def save_language_text(model, *, language: str, body: str, updated_by: User | None):
    """Write the one text of `model` (Guidelines, PrivacyPolicy) in `language`,
    rendered once here."""
    text, _created = model.objects.update_or_create(
        language=language,
        defaults={
            "body": body,
            "body_html": render_markdown(body),
            "updated_by": updated_by,
            "updated_at": timezone.now(),
        },
    )
    return text


def save_guidelines(*, language: str, body: str, updated_by: User | None) -> Guidelines:
    return save_language_text(Guidelines, language=language, body=body, updated_by=updated_by)


def _avatar_names(key: str) -> list[str]:
    from netvaerk.uploads import AVATAR_SIZES

    return [f"avatars/{key}-{size}.jpg" for size in AVATAR_SIZES]


def _delete_avatar_files_on_commit(key: str) -> None:
    from django.core.files.storage import default_storage

    if key:
        names = _avatar_names(key)
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


@transaction.atomic
def set_avatar(*, member: User, sizes: dict[int, bytes]) -> None:
    """Store the member's picture (from netvaerk.uploads.make_avatar) under a
    new random key; the old files go when the transaction commits."""
    import secrets

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    old, key = member.avatar_key, secrets.token_urlsafe(12)
    for name, data in zip(_avatar_names(key), sizes.values(), strict=True):
        default_storage.save(name, ContentFile(data))
    User.objects.filter(pk=member.pk).update(avatar_key=key)
    member.avatar_key = key
    _delete_avatar_files_on_commit(old)


@transaction.atomic
def remove_avatar(*, member: User) -> None:
    _delete_avatar_files_on_commit(member.avatar_key)
    User.objects.filter(pk=member.pk).update(avatar_key="")
    member.avatar_key = ""
