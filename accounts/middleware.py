from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts.models import SanctionKind
from accounts.permissions import is_suspended

SUSPENDED_KEY = "netvaerk_suspended"


def suspension_notice(request, user):
    """Log the member out and keep why (and until when) to show them."""
    sanction = user.sanction(SanctionKind.SUSPEND)
    if request.user.is_authenticated:
        logout(request)
    request.session[SUSPENDED_KEY] = {
        "reason": sanction.reason if sanction else "",
        "until": (
            timezone.localtime(sanction.ends_at).strftime("%d.%m.%Y %H:%M")
            if sanction and sanction.ends_at
            else ""
        ),
    }
    return redirect("moderation:my_status")


class SuspendedMemberMiddleware:
    """A suspended member's open sessions end at their next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # No session cookie: nobody is logged in (and the session stays untouched).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and is_suspended(user)
            and request.path != reverse("moderation:my_status")
        ):
            return suspension_notice(request, user)
        return self.get_response(request)
