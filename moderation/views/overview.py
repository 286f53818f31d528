"""The moderation overview, the audit log and the category moderators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import AuditEntry, Sanction, SanctionKind
from accounts.permissions import require
from forum.models import Category, CategoryModerator
from moderation import services
from moderation.forms import (
    AuditFilterForm,
    CategoryModeratorForm,
)
from moderation.models import Flag
from moderation.permissions import (
    can_manage_category_moderators,
    can_manage_members,
    can_review,
    can_view_audit_log,
    review_category_ids,
)
from moderation.views.queue import (
    _queue_for,
)
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes


@login_required
def index(request):
    require(can_review(request.user))
    category_ids = review_category_ids(request.user)
    flagged = Flag.objects.queue(category_ids).count()
    return render(
        request,
        "moderation/index.html",
        {
            "flagged": flagged,
            "queued": _queue_for(request.user).count(),
            "can_view_log": can_view_audit_log(request.user),
            "can_manage_members": can_manage_members(request.user),
            "can_manage_category_moderators": can_manage_category_moderators(request.user),
            "silenced": Sanction.objects.active().filter(kind=SanctionKind.SILENCE).count(),
            "suspended": Sanction.objects.active().filter(kind=SanctionKind.SUSPEND).count(),
        },
    )


@login_required
def audit_log(request):
    require(can_view_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(AuditEntry.objects.for_listing())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/audit_log.html",
        {
            "form": form,
            "page_obj": page_of(request, entries),
            "query": query.urlencode(),
        },
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def category_moderators(request):
    require(can_manage_category_moderators(request.user))
    categories = Category.objects.ordered().prefetch_related(
        Prefetch("moderators", queryset=CategoryModerator.objects.select_related("user"))
    )
    if request.method == "POST":
        category_id = request.POST.get("category", "")
        if not category_id.isdecimal() or len(category_id) > 12:
            raise Http404
        category = get_object_or_404(Category, pk=int(category_id))
        if "remove" in request.POST:
            removed = services.remove_category_moderator(
                category=category, user_id=request.POST.get("remove"), actor=request.user
            )
            if removed:
                messages.success(request, _("The category moderator was removed."))
            return redirect("moderation:category_moderators")
        form = CategoryModeratorForm(request.POST)
        if form.is_valid():
            try:
                services.add_category_moderator(
                    category=category, user=form.cleaned_data["handle"], actor=request.user
                )
            except services.ModerationError as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The category moderator was added."))
            return redirect("moderation:category_moderators")
        messages.error(request, form.errors["handle"][0])
        return redirect("moderation:category_moderators")
    return render(
        request,
        "moderation/category_moderators.html",
        {"categories": categories, "form": CategoryModeratorForm()},
    )
