"""Site-wide views: front page, health check and friendly error pages."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from accounts.adapters import FIRST_VISIT
from accounts.permissions import needs_mfa_for_powers


def home(request):
    first_visit = request.user.is_authenticated and request.session.get(FIRST_VISIT, False)
    return render(request, "home.html", {"first_visit": first_visit})


@never_cache
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the
    icon (a 301, which browsers keep)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def healthz(request):
    """200 when the database answers, 503 otherwise. Never touches the session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@requires_csrf_token
def permission_denied(request, exception=None):
    context = {"needs_mfa": needs_mfa_for_powers(request.user)}
    return render(request, "403.html", context, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", {"request_path": request.path}, status=404)


@requires_csrf_token
def server_error(request):
    # No context processors: the database may be the reason we are here.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {}, status=403)


def rate_limited(request):
    """Over one of allauth's limits (ACCOUNT_RATE_LIMITS): allauth calls the URLconf's
    `handler429` with the request alone, so the page asks for a little patience."""
    return render(request, "429.html", {"retry_after": None}, status=429)
