"""My data: export, account deletion, a leader acting for a member, and the
privacy policy. View → permission → form → service (accounts.privacy)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import privacy
from accounts.language_texts import edit_language_text
from accounts.models import DataExport, PrivacyPolicy, User
from accounts.permissions import (
    can_act_for_member,
    can_edit_privacy_policy,
    can_manage_own_data,
    require,
)
from accounts.privacy_forms import (
    DeleteAccountForm,
    LeaderDeleteForm,
    LeaderExportForm,
    PrivacyPolicyForm,
    VisibilityForm,
)
from netvaerk.ratelimit import limit_writes

RECENT_EXPORTS = 5


def _recent_exports(user):
    return list(DataExport.objects.filter(recipient=user).select_related("user")[:RECENT_EXPORTS])


@login_required
@limit_writes("privacy_edit")
@require_http_methods(["GET", "POST"])
def my_data(request):
    require(can_manage_own_data(request.user))
    form = VisibilityForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choices were saved."))
        return redirect("accounts:my_data")
    return render(
        request,
        "accounts/my_data.html",
        {
            "form": form,
            "exports": _recent_exports(request.user),
            "days": privacy.export_days(),
        },
    )


@login_required
@require_POST
@limit_writes("privacy_export")
def export_request(request):
    require(can_manage_own_data(request.user))
    privacy.request_export(user=request.user, recipient=request.user)
    messages.success(
        request,
        _("We are preparing your data. You get an e-mail with a download link when it is ready."),
    )
    return redirect("accounts:my_data")


@never_cache
@login_required
def export_download(request, token):
    content = privacy.take_download(token=token, user=request.user)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="netvaerk-data.zip"'
    return response


@login_required
@limit_writes("privacy_delete")
@require_http_methods(["GET", "POST"])
def account_delete(request):
    require(can_manage_own_data(request.user))
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    last_leader = privacy.is_last_leader(user)
    if request.method == "POST" and not last_leader and form.is_valid():
        try:
            privacy.erase_member(user=user, keep_posts=form.keep_posts)
        except privacy.ErasureError as error:
            messages.error(request, str(error))
            return redirect("accounts:my_data")
        logout(request)
        messages.success(request, _("Your account has been deleted. Thank you for your time here."))
        return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "last_leader": last_leader},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@limit_writes("privacy_edit")
@require_http_methods(["GET", "POST"])
def member_data(request, pk):
    """A network leader exports or deletes a member's data at their request."""
    require(can_act_for_member(request.user))
    member = get_object_or_404(User.objects.members(), pk=pk)
    export_form = LeaderExportForm(
        request.POST if request.POST.get("action") == "export" else None, prefix="export"
    )
    delete_form = LeaderDeleteForm(
        request.POST if request.POST.get("action") == "delete" else None, prefix="delete"
    )
    if request.method == "POST":
        if export_form.is_bound and export_form.is_valid():
            privacy.request_export(
                user=member, recipient=request.user, reason=export_form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("The export is being prepared. You get an e-mail with the link to send on."),
            )
            return redirect("accounts:member_data", pk=member.pk)
        if delete_form.is_bound and delete_form.is_valid():
            if member.pk == request.user.pk:
                messages.error(request, _("Delete your own account from My data."))
                return redirect("accounts:my_data")
            try:
                privacy.erase_member(
                    user=member,
                    keep_posts=delete_form.keep_posts,
                    actor=request.user,
                    reason=delete_form.cleaned_data["reason"],
                )
            except privacy.ErasureError as error:
                messages.error(request, str(error))
                return redirect("accounts:member_data", pk=member.pk)
            messages.success(request, _("The account has been deleted."))
            return redirect("accounts:member_list")
    return render(
        request,
        "accounts/member_data.html",
        {
            "member": member,
            "export_form": export_form,
            "delete_form": delete_form,
        },
        status=400 if request.method == "POST" else 200,
    )


def privacy_policy(request):
    return render(
        request,
        "accounts/privacy_policy.html",
        {
            "policy": PrivacyPolicy.objects.for_language(get_language()),
            "can_edit": can_edit_privacy_policy(request.user),
        },
    )


@login_required
@limit_writes("privacy_edit")
@require_http_methods(["GET", "POST"])
def privacy_policy_edit(request):
    require(can_edit_privacy_policy(request.user))
    return edit_language_text(
        request,
        model=PrivacyPolicy,
        form_class=PrivacyPolicyForm,
        save=privacy.save_privacy_policy,
        title=_("Edit the privacy policy"),
        save_label=_("Save the privacy policy"),
        saved_message=_("The privacy policy was saved."),
        done_url=reverse("accounts:privacy_policy"),
        revisions=lambda policy: policy.revisions.select_related("editor")[:20],
    )
