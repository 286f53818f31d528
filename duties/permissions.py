"""Duty rota rules. Predicates never query: pass slots with their duty loaded."""

from accounts.permissions import is_member, is_moderator, is_network_leader, is_silenced
from duties.models import Eligibility


def can_view_rota(user) -> bool:
    return is_member(user)


def can_manage_duties(user) -> bool:
    """Create, edit and archive duties; add, move and delete slots."""
    return is_network_leader(user)


def can_hold_duty(user, duty) -> bool:
    """May be on duty: any member, or for the review queue moderators (and leaders)."""
    if not is_member(user) or is_silenced(user) or duty.is_archived:
        return False
    return duty.eligibility != Eligibility.MODERATORS or (
        is_moderator(user) or is_network_leader(user)
    )


def can_take_slot(user, slot) -> bool:
    """Sign up for an open slot of a duty the member may hold."""
    return slot.member_id is None and can_hold_duty(user, slot.duty)


def can_change_slot(user, slot) -> bool:
    """Withdraw from or hand over a slot: its holder or a network leader."""
    if not is_member(user) or slot.member_id is None:
        return False
    return slot.member_id == user.pk or is_network_leader(user)


def visible_duties(user, qs=None):
    """Members see active duties; network leaders also archived ones."""
    from duties.models import Duty

    qs = Duty.objects.all() if qs is None else qs
    if can_manage_duties(user):
        return qs
    if can_view_rota(user):
        return qs.active()
    return qs.none()


def visible_slots(user, qs=None):
    """Slots of the duties the user can see."""
    from duties.models import DutySlot

    qs = DutySlot.objects.all() if qs is None else qs
    if can_manage_duties(user):
        return qs
    if can_view_rota(user):
        return qs.filter(duty__archived_at=None)
    return qs.none()
