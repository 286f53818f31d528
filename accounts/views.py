from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.extensions import member_panels
from accounts.forms import (
    MEMBER_CHOICES_SHOWN,
    GrantRoleForm,
    GuidelinesForm,
    MemberFilterForm,
    ProfileForm,
)
from accounts.language_texts import edit_language_text
from accounts.models import Guidelines, RoleAssignment, RoleChange, User
from accounts.permissions import (
    can_act_for_member,
    can_edit_guidelines,
    can_edit_profile,
    can_edit_public_profile,
    can_manage_roles,
    can_see_email,
    can_view_members,
    can_view_role_log,
    is_member,
    is_silenced,
    require,
    shown_fields,
)
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes, refuse_if_over


@require_http_methods(["GET"])
def member_suggest(request):
    """Suggestions for a member field (htmx fills its <datalist>): the input's
    value comes under its own name, whichever field it is. Visitors get none."""
    text = next((v for v in request.GET.values() if v.strip()), "")[:254]
    members = []
    if can_view_members(request.user) and len(text.strip().lstrip("@")) >= 2:
        if refused := refuse_if_over(request, "search"):
            return refused
        members = list(
            User.objects.members()
            .matching(text, exact=False)
            .only("handle", "display_name")
            .order_by("display_name", "pk")[:MEMBER_CHOICES_SHOWN]
        )
    return render(request, "accounts/_member_suggestions.html", {"members": members})


@login_required
def member_list(request):
    require(can_view_members(request.user))
    form = MemberFilterForm(request.GET or None)
    members = User.objects.for_directory().listed()
    if form.is_valid():
        members = members.search(form.cleaned_data["q"])
        if form.cleaned_data["region"]:
            members = members.filter(region=form.cleaned_data["region"], show_region=True)
        if form.cleaned_data["skill"]:
            members = members.filter(skills__slug=form.cleaned_data["skill"], show_skills=True)
    page = page_of(request, members)
    # "Send a message" (notifications' conversations; a block is checked there).
    may_write = is_member(request.user) and not is_silenced(request.user)
    for member in page:
        member.can_write_to = may_write and member.pk != request.user.pk
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/member_list.html",
        {"form": form, "page_obj": page, "query": query.urlencode()},
    )


@login_required
def member_detail(request, pk):
    require(can_view_members(request.user))
    member = get_object_or_404(User.objects.for_directory(), pk=pk)
    return render(
        request,
        "accounts/member_detail.html",
        {
            "member": member,
            "panels": member_panels.render(request, member=member),
            "roles": [a for a in member.role_assignments.all()],
            "shown": shown_fields(request.user, member),
            "can_edit": can_edit_profile(request.user, member),
            "can_see_email": can_see_email(request.user, member),
            "can_manage_roles": can_manage_roles(request.user),
            "can_act_for_member": can_act_for_member(request.user) and member.pk != request.user.pk,
        },
    )


@login_required
@limit_writes("profile_edit")
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    member = get_object_or_404(User.objects.for_directory(), pk=request.user.pk)
    require(can_edit_profile(request.user, member))
    public = can_edit_public_profile(request.user, member)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member, public=public)
    if not public:
        messages.info(
            request,
            _(
                "While you are silenced you can change your settings, but not what others "
                "read on your profile."
            ),
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skills = data.pop("skills_text")
        avatar, remove = data.pop("avatar", None), data.pop("remove_avatar", False)
        with transaction.atomic():
            services.update_profile(member=member, skills=skills, **data)
            if avatar:
                services.set_avatar(member=member, sizes=avatar)
            elif remove and member.avatar_key:
                services.remove_avatar(member=member)
        messages.success(request, _("Your profile was saved."))
        return redirect(member.get_absolute_url())
    return render(request, "accounts/profile_form.html", {"form": form, "member": member})


@login_required
@limit_writes("role_change")
@require_http_methods(["GET", "POST"])
def role_list(request):
    require(can_manage_roles(request.user))
    form = GrantRoleForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            assignment = services.grant_role(
                user=member, role=form.cleaned_data["role"], granted_by=request.user
            )
        except services.RoleError:
            messages.info(request, _("Nothing changed: the member already holds that role."))
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": member, "role": assignment.get_role_display().lower()},
            )
        return redirect("accounts:role_list")
    assignments = RoleAssignment.objects.for_listing()
    return render(request, "accounts/role_list.html", {"form": form, "assignments": assignments})


@login_required
@limit_writes("role_change")
@require_http_methods(["GET", "POST"])
def role_revoke(request, pk):
    require(can_manage_roles(request.user))
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user"), pk=pk)
    if request.method == "POST":
        try:
            services.revoke_role(assignment=assignment, revoked_by=request.user)
        except services.LastLeaderError:
            messages.error(
                request,
                _("The network needs at least one network leader. Appoint another one first."),
            )
        else:
            messages.success(
                request,
                _("%(name)s is no longer %(role)s.")
                % {"name": assignment.user, "role": assignment.get_role_display().lower()},
            )
        return redirect("accounts:role_list")
    return render(request, "accounts/role_confirm_revoke.html", {"assignment": assignment})


@login_required
def role_log(request):
    require(can_view_role_log(request.user))
    page = page_of(request, RoleChange.objects.for_listing())
    return render(request, "accounts/role_log.html", {"page_obj": page})


def guidelines(request):
    return render(
        request,
        "accounts/guidelines_detail.html",
        {
            "guidelines": Guidelines.objects.for_language(get_language()),
            "can_edit": can_edit_guidelines(request.user),
        },
    )


@login_required
@limit_writes("guidelines_edit")
@require_http_methods(["GET", "POST"])
def guidelines_edit(request):
    require(can_edit_guidelines(request.user))
    return edit_language_text(
        request,
        model=Guidelines,
        form_class=GuidelinesForm,
        save=services.save_guidelines,
        title=_("Edit the guidelines"),
        save_label=_("Save the guidelines"),
        saved_message=_("The community guidelines were saved."),
        done_url=reverse("accounts:guidelines"),
    )


def avatar(request, key, size):
    """A member's picture, for members (visitors see initials): 404 otherwise."""
    from django.core.files.storage import default_storage

    from netvaerk.uploads import AVATAR_SIZES

    if size not in AVATAR_SIZES or not is_member(request.user):
        raise Http404
    if not User.objects.filter(avatar_key=key, is_active=True).exists():
        raise Http404
    try:
        handle = default_storage.open(f"avatars/{key}-{size}.jpg", "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=86400"  # a new picture has a new key
    return response
