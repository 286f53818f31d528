"""A member seen by the moderators: sanctions, notes, warnings; one's own status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AuditEntry, Sanction, User
from accounts.permissions import is_member, require
from forum.models import Post, State
from moderation import services
from moderation.forms import (
    NoteForm,
    ReasonForm,
    SanctionForm,
    WarnForm,
)
from moderation.models import Flag
from moderation.permissions import (
    can_manage_members,
    can_sanction,
)
from moderation.views.common import (
    _confirm,
)
from netvaerk.paging import form_data
from netvaerk.ratelimit import limit_writes


def _member(request, pk) -> User:
    require(can_manage_members(request.user))
    return get_object_or_404(User.objects.members(), pk=pk)


@login_required
def member_detail(request, pk):
    member = _member(request, pk)
    sanctions = Sanction.objects.filter(user=member).select_related("created_by", "lifted_by")
    notes = member.moderator_notes.select_related("author")
    entries = AuditEntry.objects.for_listing().filter(target_type="member", target_id=member.pk)
    flagged = Flag.objects.filter(post__author=member).count()
    return render(
        request,
        "moderation/member_detail.html",
        {
            "member": member,
            "sanctions": sanctions[:20],
            "notes": notes[:50],
            "entries": entries[:20],
            "flag_count": flagged,
            "hidden_count": Post.objects.filter(author=member, state=State.HIDDEN).count(),
            "can_sanction": can_sanction(request.user, member),
            "sanction_form": SanctionForm(),
            "note_form": NoteForm(),
            "warn_form": WarnForm(),
        },
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def member_sanction(request, pk):
    member = _member(request, pk)
    require(can_sanction(request.user, member))
    form = SanctionForm(form_data(request))
    return _confirm(
        request,
        form=form,
        back=reverse("moderation:member_detail", args=[member.pk]),
        title=_("Silence or suspend"),
        question=_("Silence (may read, may not post) or suspend (may not log in) %(name)s.")
        % {"name": member},
        button=_("Confirm"),
        success=_("Done. The member is told the reason."),
        danger=True,
        context={"member": member},
        perform=lambda f: services.sanction_member(
            member=member,
            actor=request.user,
            kind=f.cleaned_data["kind"],
            reason=f.cleaned_data["reason"],
            ends_at=f.ends_at(),
        ),
    )


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def sanction_lift(request, pk):
    sanction = get_object_or_404(Sanction.objects.select_related("user"), pk=pk)
    require(can_sanction(request.user, sanction.user))
    form = ReasonForm(form_data(request), required=False)
    return _confirm(
        request,
        form=form,
        back=reverse("moderation:member_detail", args=[sanction.user_id]),
        title=_("Lift the sanction"),
        question=_("Lift “%(kind)s” for %(name)s now?")
        % {"kind": sanction.get_kind_display(), "name": sanction.user},
        button=_("Lift"),
        success=_("The sanction is lifted."),
        perform=lambda f: services.lift_sanction(
            sanction=sanction, actor=request.user, reason=f.cleaned_data["reason"]
        ),
    )


@login_required
@limit_writes("moderation")
@require_POST
def member_note(request, pk):
    member = _member(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(member=member, actor=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The note is saved."))
        return redirect("moderation:member_detail", pk=member.pk)
    messages.error(request, _("The note was empty; nothing was saved."))
    return redirect("moderation:member_detail", pk=member.pk)


@login_required
@limit_writes("moderation")
@require_http_methods(["GET", "POST"])
def member_warn(request, pk):
    member = _member(request, pk)
    require(can_sanction(request.user, member))  # not oneself; staff only by a leader
    form = WarnForm(form_data(request))
    return _confirm(
        request,
        form=form,
        back=reverse("moderation:member_detail", args=[member.pk]),
        title=_("Warn the member"),
        question=_("Send %(name)s a warning.") % {"name": member},
        button=_("Send the warning"),
        success=_("The warning is sent."),
        context={"member": member},
        perform=lambda f: services.warn_member(
            member=member, actor=request.user, message=f.cleaned_data["message"]
        ),
    )


def my_status(request):
    """What a silenced (or just suspended) member is told: why, and until when."""
    sanctions = []
    if is_member(request.user):
        sanctions = list(Sanction.objects.active().filter(user=request.user))
    suspended = request.session.get("netvaerk_suspended")
    return render(
        request, "moderation/my_status.html", {"sanctions": sanctions, "suspended": suspended}
    )
