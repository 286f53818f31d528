"""The admin opens only for staff who signed in with two factors.

There is one way in: `/admin/login/` sends the visitor to the site's own sign-in
(allauth, with its rate limits, lockout and the two-factor step). Staff and
superusers without an authenticator are sent to set one up first; a session that
was opened before the authenticator existed must confirm a code once
(allauth's "reauthenticate with a code") before the admin opens.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def has_second_factor(user) -> bool:
    return (
        Authenticator.objects.filter(user_id=user.pk)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )


def used_second_factor(request) -> bool:
    """This session passed a two-factor step for this user."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


class NetvaerkAdminSite(admin.AdminSite):
    def has_permission(self, request):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and has_second_factor(user)
            and used_second_factor(request)
        )

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{resolve_url('account_login')}?{urlencode({'next': next_url})}")
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not has_second_factor(user):
            messages.info(
                request, _("Set up two-factor authentication before you open the administration.")
            )
            return redirect("mfa_activate_totp")
        if not used_second_factor(request):
            return redirect(f"{resolve_url('mfa_reauthenticate')}?{urlencode({'next': next_url})}")
        return redirect(next_url)
