"""Every rule about roles. Nothing else reads how roles are stored.

Predicates never query: `user.roles` and `user.has_totp` are loaded with the
signed-in member (see `UserQuerySet.with_access`).
"""

from django.core.exceptions import PermissionDenied

from accounts.models import Role, SanctionKind

# Roles whose powers need two-factor authentication turned on first.
ROLES_NEEDING_TWO_FACTOR = frozenset({Role.MODERATOR, Role.NETWORK_LEADER})


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def unwrapped(user):
    """``request.user`` without its lazy wrapper, for loops that ask the rules
    many times (each attribute of the wrapper costs a call)."""
    if getattr(user, "_wrapped", None) is not None:
        user.pk  # noqa: B018 (loads it if not yet)
        return user._wrapped
    return user


def is_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_silenced(user) -> bool:
    """May read but not post: silenced, or suspended (then not even signed in)."""
    return is_member(user) and user.has_sanction(SanctionKind.SILENCE)


def is_suspended(user) -> bool:
    return is_member(user) and user.has_sanction(SanctionKind.SUSPEND)


def holds_role(user, role: str) -> bool:
    """The member holds the role (whether or not its powers are unlocked)."""
    return is_member(user) and role in user.roles


def has_two_factor(user) -> bool:
    return is_member(user) and user.has_totp


def _can_use(user, role: str) -> bool:
    if not holds_role(user, role):
        return False
    return role not in ROLES_NEEDING_TWO_FACTOR or has_two_factor(user)


def is_organiser(user) -> bool:
    return _can_use(user, Role.ORGANISER)


def is_moderator(user) -> bool:
    return _can_use(user, Role.MODERATOR)


def is_network_leader(user) -> bool:
    return _can_use(user, Role.NETWORK_LEADER)


def is_editor(user) -> bool:
    """Writes and sends the network letter ("redaktør"); leaders may too."""
    return _can_use(user, Role.EDITOR)


def needs_mfa_for_powers(user) -> bool:
    """Holds a role whose powers stay locked until two-factor is on."""
    return (
        is_member(user)
        and not user.has_totp
        and any(role in user.roles for role in ROLES_NEEDING_TWO_FACTOR)
    )


def can_view_members(user) -> bool:
    return is_member(user)


def can_edit_profile(user, member) -> bool:
    return is_member(user) and user.pk == member.pk


def can_edit_public_profile(user, member) -> bool:
    """What other members read (name, handle, bio …): not while silenced. A
    silenced member still changes their own settings (mail address, language)."""
    return can_edit_profile(user, member) and not is_silenced(user)


def can_see_email(user, member) -> bool:
    return is_member(user) and (user.pk == member.pk or is_network_leader(user))


def can_manage_roles(user) -> bool:
    """Appoint and revoke organisers, moderators and network leaders."""
    return is_network_leader(user)


def can_view_role_log(user) -> bool:
    return is_network_leader(user) or is_moderator(user)


def can_edit_guidelines(user) -> bool:
    return is_network_leader(user)


def can_manage_own_data(user) -> bool:
    """Export one's data, delete one's account."""
    return is_member(user)


def can_act_for_member(user) -> bool:
    """Export or delete a member's data when they ask by mail."""
    return is_network_leader(user)


def can_edit_privacy_policy(user) -> bool:
    return is_network_leader(user)


PROFILE_FIELDS = ("company", "industry", "region", "skills")


def shown_fields(user, member) -> dict[str, bool]:
    """Which of a member's profile fields the viewer sees: all of their own,
    of others those the member chose to show."""
    own = is_member(user) and user.pk == member.pk
    return {name: own or getattr(member, f"show_{name}") for name in PROFILE_FIELDS}
