"""Calendars: a meetup as an .ics file, the personal and public feeds, and the
page where a member finds (and renews) their personal feed's address."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from moeder import calendar
from moeder.models import CalendarFeed, Meetup
from moeder.permissions import can_view_meetup
from netvaerk.ratelimit import limit_writes
from netvaerk.site import absolute_url

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
# Calendar apps poll the feeds; a shared cache may keep the public one a while.
FEED_MAX_AGE = 15 * 60


def _ics_response(body: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def meetup_ics(request, pk):
    """The meetup as a file to open in a calendar app (never with the online link)."""
    meetup = get_object_or_404(
        Meetup.objects.select_related("created_by").prefetch_related("hosts"),
        pk=pk,
    )
    if not can_view_meetup(request.user, meetup):
        raise Http404
    return _ics_response(calendar.event_ics(meetup), filename=f"{meetup.slug}.ics", attachment=True)


@require_safe
def personal_feed(request, token):
    """A member's meetups, for their calendar app: the secret token is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    member = feed.user
    if not calendar.can_use_calendar_feed(member):
        raise Http404
    meetups = list(calendar.personal_meetups(member))
    with translation.override(member.language):
        body = calendar.feed_ics(
            meetups,
            name=_("Netværk – my meetups"),
            online_link_for=calendar.online_links_for(member, meetups),
        )
    response = _ics_response(body, filename="netvaerk.ics", attachment=False)
    patch_cache_control(response, private=True, max_age=0)
    return response


@require_safe
def public_feed(request):
    """Upcoming meetups for all members, without online links."""
    body = calendar.feed_ics(calendar.public_meetups(), name=_("Netværk – meetups"))
    response = _ics_response(body, filename="netvaerk-moeder.ics", attachment=False)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def _absolute(path: str) -> str:
    return absolute_url(path)


def _webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1]


@login_required
@limit_writes("moeder_feed")
@require_http_methods(["GET", "POST"])
def calendar_feed_settings(request):
    """Show the personal feed's address; make it (the first time) or renew it."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            CalendarFeed.objects.get_or_create(user=request.user)
            messages.success(request, _("Your calendar address is ready."))
        elif action == "renew":
            new_token = CalendarFeed._meta.get_field("token").get_default()
            CalendarFeed.objects.update_or_create(user=request.user, defaults={"token": new_token})
            messages.success(
                request, _("Your calendar has a new address. The old one no longer works.")
            )
        else:
            return HttpResponseBadRequest()
        return redirect("moeder:calendar_feed_settings")

    feed = CalendarFeed.objects.filter(user=request.user).first()
    # Addresses without a language prefix: a feed is read in the member's language.
    with translation.override(settings.LANGUAGE_CODE):
        feed_url = (
            _absolute(reverse("moeder:personal_feed", kwargs={"token": feed.token})) if feed else ""
        )
        public_url = _absolute(reverse("moeder:public_feed"))
    return render(
        request,
        "moeder/calendar_feed.html",
        {
            "feed_url": feed_url,
            "feed_webcal_url": _webcal(feed_url) if feed_url else "",
            "public_url": public_url,
            "public_webcal_url": _webcal(public_url),
        },
    )
