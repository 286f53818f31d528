"""The member's notifications, and unsubscribing from their mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from netvaerk.paging import page_of
from notifications import services
from notifications.models import Notification


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
