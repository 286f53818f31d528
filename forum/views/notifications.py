"""Following, notifications, unsubscribing and drafts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import is_member, require
from forum import notifications, services
from forum.models import (
    Draft,
    Notification,
    Tag,
)
from forum.permissions import (
    can_read_category,
    visible_categories,
)
from forum.views.common import _thread_or_404
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes

# --- Following and notifications ------------------------------------------------


@login_required
@limit_writes("forum_reaction")
@require_POST
def follow_thread(request, pk):
    thread = _thread_or_404(request.user, pk)
    require(is_member(request.user))
    level = request.POST.get("level", "")
    if level not in ("follow", "mute", "none"):
        messages.error(request, _("Choose follow, mute or neither."))
    else:
        services.follow_thread(user=request.user, thread=thread, level=level)
        messages.success(
            request,
            {
                "follow": _("You follow this thread and hear about new replies."),
                "mute": _("The thread is muted: you will not hear about it."),
                "none": _("You no longer follow this thread."),
            }[level],
        )
    return redirect(thread)


@login_required
@limit_writes("forum_reaction")
@require_POST
def follow_category(request, slug):
    category = get_object_or_404(visible_categories(request.user), slug=slug)
    require(is_member(request.user))
    if services.toggle_category_follow(user=request.user, category=category):
        messages.success(request, _("You will hear about new threads in this category."))
    else:
        messages.success(request, _("You no longer follow this category."))
    return redirect(category)


@login_required
@limit_writes("forum_reaction")
@require_POST
def follow_tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    require(is_member(request.user))
    if services.toggle_tag_follow(user=request.user, tag=tag):
        messages.success(request, _("You will hear about new threads with this tag."))
    else:
        messages.success(request, _("You no longer follow this tag."))
    return redirect(tag)


@login_required
def notification_list(request):
    items = Notification.objects.filter(recipient=request.user).for_listing()
    return render(request, "forum/notification_list.html", {"page_obj": page_of(request, items)})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(
        Notification.objects.select_related("thread__category", "post"),
        pk=pk,
        recipient=request.user,
    )
    notifications.mark_read(notification=notification)
    if notification.thread is not None and not can_read_category(
        request.user, notification.thread.category
    ):
        raise Http404
    return redirect(notification.target_url)


@login_required
@require_POST
def notification_mark_all_read(request):
    notifications.mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("forum:notification_list")


# Email clients send the one-click unsubscribe as a POST without our CSRF
# token (RFC 8058); the signed token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user = notifications.user_from_unsubscribe_token(token)
    if user is None:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        notifications.unsubscribe(user=user)
        return render(request, "forum/unsubscribe.html", {"done": True})
    return render(request, "forum/unsubscribe.html", {"email": user.email})


# --- Drafts ---------------------------------------------------------------------


@login_required
def draft_list(request):
    drafts = Draft.objects.filter(user=request.user).for_listing()
    return render(request, "forum/draft_list.html", {"page_obj": page_of(request, drafts)})


@login_required
@require_http_methods(["GET", "POST"])
def draft_delete(request, pk):
    draft = get_object_or_404(Draft.objects.select_related("thread"), pk=pk, user=request.user)
    if request.method == "POST":
        services.delete_draft(draft=draft)
        messages.success(request, _("The draft was deleted."))
        return redirect("forum:draft_list")
    return render(request, "forum/draft_confirm_delete.html", {"draft": draft})
