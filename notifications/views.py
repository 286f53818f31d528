"""The member's notifications, and unsubscribing from their mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from netvaerk.paging import page_of
from notifications import digest, services
from notifications.forms import DigestSettingForm
from notifications.models import DigestFrequency, Notification


@login_required
def notification_list(request):
    page = page_of(request, Notification.objects.filter(recipient=request.user).for_listing())
    services.resolve(list(page.object_list), request.user)
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(notification=notification)
    services.resolve([notification], request.user)
    if not notification.readable or not notification.target_url:
        raise Http404
    return redirect(notification.target_url)


@login_required
@require_POST
def notification_mark_all_read(request):
    services.mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:notification_list")


# Email clients send the one-click unsubscribe as a POST without our CSRF
# token (RFC 8058); the signed token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user = services.user_from_unsubscribe_token(token)
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.unsubscribe(user=user)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"email": user.email})


@login_required
def digest_settings(request):
    """The member's own digest frequency (no member id in the address: only one's own)."""
    form = DigestSettingForm(
        request.POST or None, initial={"frequency": digest.frequency_of(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        digest.set_frequency(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your digest setting is saved."))
        return redirect("notifications:digest_settings")
    return render(request, "notifications/digest_settings.html", {"form": form})


# One-click unsubscribe (RFC 8058): the signed token authorises it, not a session.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    user = digest.user_from_unsubscribe_token(token)
    if user is None:
        return render(
            request, "notifications/digest_unsubscribe.html", {"invalid": True}, status=404
        )
    if request.method == "POST":
        digest.set_frequency(user=user, frequency=DigestFrequency.NEVER)
        return render(request, "notifications/digest_unsubscribe.html", {"done": True})
    return render(request, "notifications/digest_unsubscribe.html", {"email": user.email})
