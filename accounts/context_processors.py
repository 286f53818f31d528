from django.contrib.auth.models import AnonymousUser

from accounts.extensions import banners
from accounts.permissions import needs_mfa_for_powers
from netvaerk.menus import main_menu, member_menu


def navigation(request):
    """The page chrome for base.html: the header's menus and the banners, each
    entry registered by the app that owns it (netvaerk.menus,
    accounts.extensions.banners). Templates never test roles themselves."""
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "nav": {
            "main": main_menu.for_user(user),
            "member": member_menu.for_user(user) if user.is_authenticated else [],
            # Rendered only when base.html shows them: a banner's own template
            # runs the context processors again.
            "banners": lambda: banners.render(request) if user.is_authenticated else [],
        }
    }


def mfa_banner(*, request, **objects) -> dict | None:
    """accounts.extensions.banners: a role's powers wait for two-factor."""
    return {} if needs_mfa_for_powers(request.user) else None
