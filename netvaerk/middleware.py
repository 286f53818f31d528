"""Response headers every page gets."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PrivacyHeadersMiddleware:
    """A page shown to a signed-in member is theirs alone: `Cache-Control:
    private` (no shared cache or proxy keeps it; with no-store when the page did
    not set its own caching). And a `Permissions-Policy` that turns off browser
    features the site never uses (NETVAERK_PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No session cookie: nobody is signed in (and the session stays untouched).
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        user = getattr(request, "user", None) if has_session else None
        if user is not None and user.is_authenticated:
            if "Cache-Control" in response:
                patch_cache_control(response, private=True)
            else:
                add_never_cache_headers(response)
                patch_cache_control(response, private=True)
        if settings.NETVAERK_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.NETVAERK_PERMISSIONS_POLICY)
        return response
