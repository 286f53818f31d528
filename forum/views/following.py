"""Following threads, categories and tags; drafts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import is_member, require
from forum import mailinglist, replymail, services
from forum.forms import MailingListForm
from forum.models import Draft, Tag
from forum.permissions import reachable_threads, visible_categories
from forum.views.common import _thread_or_404
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes

# --- Following ------------------------------------------------


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


# --- Drafts ---------------------------------------------------------------------


@login_required
def draft_list(request):
    # A reply draft names its thread: only while the thread's page opens for them.
    drafts = Draft.objects.filter(
        Q(thread__isnull=True) | Q(thread__in=reachable_threads(request.user)),
        user=request.user,
    ).for_listing()
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


@login_required
@limit_writes("profile_edit")
@require_http_methods(["GET", "POST"])
def mailing_list_settings(request):
    """The member's own mailing-list categories (only those they may read)."""
    require(is_member(request.user))
    categories = list(mailinglist.choosable_categories(request.user))
    form = MailingListForm(
        request.POST if request.method == "POST" else None,
        categories=categories,
        initial={"categories": [str(pk) for pk in mailinglist.chosen_category_ids(request.user)]},
    )
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["categories"]}
        mailinglist.set_categories(
            user=request.user, categories=[c for c in categories if c.pk in chosen]
        )
        messages.success(request, _("Your mailing-list setting is saved."))
        return redirect("forum:mailing_list_settings")
    return render(
        request,
        "forum/mailing_list_settings.html",
        {"form": form, "reply_by_mail": replymail.enabled()},
    )


# One-click unsubscribe (RFC 8058): the signed token authorises it, not a session.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def mailing_list_unsubscribe(request, token):
    mailing = mailinglist.mailing_from_token(token)
    template = "forum/mailing_list_unsubscribe.html"
    if mailing is None:
        return render(request, template, {"invalid": True}, status=404)
    if request.method == "POST":
        category = mailing.category
        mailinglist.stop(mailing=mailing)
        return render(request, template, {"done": True, "category": category})
    return render(request, template, {"category": mailing.category})
