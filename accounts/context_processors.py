from accounts import permissions
from handbook.permissions import can_read_handbook
from moderation.permissions import can_review


def navigation(request):
    """Booleans the page chrome needs; templates never test roles themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"is_member": False}}
    return {
        "nav": {
            "is_member": permissions.is_member(user),
            "can_manage_roles": permissions.can_manage_roles(user),
            "can_view_role_log": permissions.can_view_role_log(user),
            "needs_mfa": permissions.needs_mfa_for_powers(user),
            "is_silenced": permissions.is_silenced(user),
            "can_moderate": can_review(user),
            "can_read_handbook": can_read_handbook(user),
        }
    }
