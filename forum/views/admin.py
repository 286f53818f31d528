"""Network leaders' pages: categories, synonyms and searches that found nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require
from forum.forms import (
    CategoryForm,
    SynonymForm,
)
from forum.models import (
    Category,
    FailedSearch,
    SearchSynonym,
)
from forum.permissions import (
    can_manage_categories,
    can_manage_search,
)
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes


@login_required
def category_list(request):
    require(can_manage_categories(request.user))
    return render(request, "forum/category_list.html", {"categories": Category.objects.ordered()})


@login_required
@limit_writes("category_edit")
@require_http_methods(["GET", "POST"])
def category_edit(request, pk=None):
    require(can_manage_categories(request.user))
    category = get_object_or_404(Category, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        form.save()  # one row, nothing else changes
        messages.success(request, _("The category was saved."))
        return redirect("forum:category_list")
    return render(request, "forum/category_form.html", {"form": form, "category": category})


@login_required
def failed_search_list(request):
    require(can_manage_search(request.user))
    failed = FailedSearch.objects.order_by("-count", "-last_searched_at")
    return render(request, "forum/failed_search_list.html", {"page_obj": page_of(request, failed)})


@login_required
@require_POST
def failed_search_dismiss(request, pk):
    require(can_manage_search(request.user))
    get_object_or_404(FailedSearch, pk=pk).delete()  # one row, nothing else
    messages.success(request, _("The search was removed from the list."))
    return redirect("forum:failed_search_list")


@login_required
@limit_writes("category_edit")
@require_http_methods(["GET", "POST"])
def synonym_list(request):
    require(can_manage_search(request.user))
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The synonyms were saved."))
        return redirect("forum:synonym_list")
    return render(
        request,
        "forum/synonym_list.html",
        {"form": form, "synonyms": SearchSynonym.objects.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def synonym_delete(request, pk):
    require(can_manage_search(request.user))
    synonym = get_object_or_404(SearchSynonym, pk=pk)
    if request.method == "POST":
        synonym.delete()
        messages.success(request, _("The synonyms were removed."))
        return redirect("forum:synonym_list")
    return render(request, "forum/synonym_confirm_delete.html", {"synonym": synonym})
