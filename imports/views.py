from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import require
from imports import services
from imports.forms import UploadForm
from imports.models import ImportRun
from imports.permissions import can_import
from netvaerk.ratelimit import limit_writes


@login_required
@limit_writes("forum_import")
@require_http_methods(["GET", "POST"])
def run_list(request):
    """The leaders' import page: upload a file, see earlier imports."""
    require(can_import(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = services.start_upload(
            upload=form.cleaned_data["file"],
            format=form.cleaned_data["format"],
            category=form.cleaned_data["category"],
            started_by=request.user,
        )
        messages.success(request, _("The import has started; this page shows how far it is."))
        return redirect(run.get_absolute_url())
    runs = ImportRun.objects.for_listing()[:50]
    return render(request, "imports/run_list.html", {"form": form, "runs": runs})


@login_required
def run_detail(request, pk):
    """Progress (reloading itself while it runs) and, at the end, the report."""
    require(can_import(request.user))
    run = get_object_or_404(ImportRun.objects.select_related("category", "started_by"), pk=pk)
    return render(request, "imports/run_detail.html", {"run": run})
