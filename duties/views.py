from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.permissions import require
from duties import services
from duties.forms import DutyForm, HandoverForm, SlotForm
from duties.models import Duty, DutySlot, NonexistentLocalTime
from duties.permissions import (
    can_change_slot,
    can_hold_duty,
    can_manage_duties,
    can_take_slot,
    can_view_rota,
    visible_duties,
    visible_slots,
)
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _prepare(user, slots, now, duty=None) -> None:
    """Set what the slot rows show, so that templates test only booleans."""
    for slot in slots:
        if duty is not None:
            slot.duty = duty
        slot.running_now = slot.is_running(now)
        slot.is_mine = slot.member_id == user.pk
        slot.can_take = can_take_slot(user, slot)
        slot.can_hand_over = can_change_slot(user, slot)
        slot.can_withdraw = slot.can_hand_over and not slot.has_started(now)


# --- Reading --------------------------------------------------------------------


@login_required
def rota(request):
    require(can_view_rota(request.user))
    now = timezone.now()
    page = page_of(request, Duty.objects.for_rota(now=now))
    for duty in page:
        _prepare(request.user, duty.upcoming_slots, now, duty)
        duty.has_more_slots = duty.upcoming_count > len(duty.upcoming_slots)
    can_manage = can_manage_duties(request.user)
    archived = Duty.objects.archived().order_by("name") if can_manage else []
    return render(
        request,
        "duties/rota.html",
        {
            "page_obj": page,
            "can_manage": can_manage,
            "archived_duties": archived,
            "on_duty": list(DutySlot.objects.on_duty_now(now=now)),
        },
    )


@login_required
def duty_detail(request, pk):
    require(can_view_rota(request.user))
    duty = get_object_or_404(visible_duties(request.user), pk=pk)
    now = timezone.now()
    page = page_of(request, DutySlot.objects.for_duty_page(duty, now=now))
    _prepare(request.user, page, now, duty)
    return render(
        request,
        "duties/duty_detail.html",
        {
            "duty": duty,
            "page_obj": page,
            "can_manage": can_manage_duties(request.user),
            "can_hold": can_hold_duty(request.user, duty),
        },
    )


@login_required
def my_slots(request):
    require(can_view_rota(request.user))
    now = timezone.now()
    page = page_of(request, DutySlot.objects.held_by(request.user, now=now))
    _prepare(request.user, page, now)
    return render(request, "duties/my_slots.html", {"page_obj": page})


# --- Duties (network leaders) ---------------------------------------------------------


@login_required
@limit_writes("duty_change")
@require_http_methods(["GET", "POST"])
def duty_create(request):
    require(can_manage_duties(request.user))
    form = DutyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duty = form.save()
        messages.success(request, _("The duty was created. Now add its slots."))
        return redirect("duties:slot_create", pk=duty.pk)
    return render(request, "duties/duty_form.html", {"form": form, "duty": None})


@login_required
@limit_writes("duty_change")
@require_http_methods(["GET", "POST"])
def duty_edit(request, pk):
    require(can_manage_duties(request.user))
    duty = get_object_or_404(Duty, pk=pk)
    form = DutyForm(request.POST or None, instance=duty)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The duty was saved."))
        return redirect(duty.get_absolute_url())
    return render(request, "duties/duty_form.html", {"form": form, "duty": duty})


@login_required
@limit_writes("duty_change")
@require_http_methods(["GET", "POST"])
def duty_archive(request, pk):
    """Archive an active duty, or bring an archived one back."""
    require(can_manage_duties(request.user))
    duty = get_object_or_404(Duty, pk=pk)
    if request.method == "POST":
        if duty.is_archived:
            services.restore_duty(duty=duty)
            messages.success(request, _("The duty is back on the rota."))
            return redirect(duty.get_absolute_url())
        services.archive_duty(duty=duty)
        messages.success(request, _("The duty was archived. Its slots no longer show."))
        return redirect("duties:rota")
    return render(request, "duties/duty_confirm_archive.html", {"duty": duty})


# --- Slots (network leaders) ---------------------------------------------------------


def _slot_error(form, error) -> None:
    if isinstance(error, services.SlotClash):
        form.add_error(
            "starts_at",
            _("This duty already has a slot starting at %(time)s.")
            % {"time": _when(error.starts_at)},
        )
    elif isinstance(error, NonexistentLocalTime):
        form.add_error("starts_at", _("That time falls in the hour when the clocks change."))
    else:
        form.add_error(None, error.message)


@login_required
@limit_writes("duty_change")
@require_http_methods(["GET", "POST"])
def slot_create(request, pk):
    require(can_manage_duties(request.user))
    duty = get_object_or_404(Duty.objects.active(), pk=pk)
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            slots = services.add_slots(duty=duty, **form.cleaned_data)
        except (services.SlotError, NonexistentLocalTime) as error:
            _slot_error(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s slot was added.", "%(count)s slots were added.", len(slots))
                % {"count": len(slots)},
            )
            return redirect(duty.get_absolute_url())
    return render(request, "duties/slot_form.html", {"form": form, "duty": duty, "slot": None})


@login_required
@limit_writes("duty_change")
@require_http_methods(["GET", "POST"])
def slot_edit(request, pk):
    require(can_manage_duties(request.user))
    slot = get_object_or_404(DutySlot.objects.select_related("duty", "member"), pk=pk)
    initial = {
        "starts_at": timezone.localtime(slot.starts_at),
        "ends_at": timezone.localtime(slot.ends_at),
    }
    form = SlotForm(request.POST or None, initial=initial, repeat=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_slot(slot=slot, **form.cleaned_data)
        except services.SlotError as error:
            _slot_error(form, error)
        else:
            messages.success(request, _("The slot was moved."))
            return redirect(slot.get_absolute_url())
    return render(request, "duties/slot_form.html", {"form": form, "duty": slot.duty, "slot": slot})


@login_required
@limit_writes("duty_change")
@require_http_methods(["GET", "POST"])
def slot_delete(request, pk):
    require(can_manage_duties(request.user))
    slot = get_object_or_404(DutySlot.objects.select_related("duty", "member"), pk=pk)
    if request.method == "POST":
        services.delete_slot(slot=slot)
        messages.success(request, _("The slot was deleted."))
        return redirect(slot.get_absolute_url())
    return render(request, "duties/slot_confirm_delete.html", {"slot": slot})


# --- Slots (members) ----------------------------------------------------------------


def _find_slot(user, pk):
    return (
        visible_slots(user, DutySlot.objects.select_related("duty", "member")).filter(pk=pk).first()
    )


def _refuse(request, error, to="duties:rota"):
    """A slot the member cannot act on any more: say why, back to the rota."""
    messages.error(request, error.message)
    return redirect(to)


def _is_stale(request, slot) -> bool:
    """The form was shown for another holder than the slot has now."""
    return request.method == "POST" and request.POST.get("holder", "") != str(slot.member_id)


@login_required
@limit_writes("duty_change")
@require_http_methods(["GET", "POST"])
def slot_take(request, pk):
    require(can_view_rota(request.user))
    slot = _find_slot(request.user, pk)
    if slot is None:
        return _refuse(request, services.SlotGone)
    if slot.member_id == request.user.pk:
        messages.info(request, services.SlotAlreadyYours.message)
        return redirect("duties:my_slots")
    if slot.member_id is not None:
        return _refuse(request, services.SlotTaken)
    if slot.is_over(timezone.now()):
        return _refuse(request, services.SlotOver)
    require(can_take_slot(request.user, slot))
    if request.method == "POST":
        try:
            services.take_slot(slot=slot, member=request.user)
        except services.SlotError as error:
            return _refuse(request, error)
        messages.success(
            request,
            _("You are on duty as %(duty)s from %(time)s. We will email you when it starts.")
            % {"duty": slot.duty.name, "time": _when(slot.starts_at)},
        )
        return redirect("duties:my_slots")
    return render(request, "duties/slot_confirm_take.html", {"slot": slot})


@login_required
@limit_writes("duty_change")
@require_http_methods(["GET", "POST"])
def slot_withdraw(request, pk):
    require(can_view_rota(request.user))
    slot = _find_slot(request.user, pk)
    if slot is None:
        return _refuse(request, services.SlotGone)
    if slot.member_id is None or _is_stale(request, slot):
        return _refuse(request, services.SlotChanged)
    require(can_change_slot(request.user, slot))
    if slot.has_started(timezone.now()):
        return _refuse(request, services.SlotStarted, to="duties:my_slots")
    if request.method == "POST":
        try:
            services.withdraw_from_slot(slot=slot)
        except services.SlotError as error:
            return _refuse(request, error)
        messages.success(request, _("The slot is open again for others to take."))
        return redirect(slot.get_absolute_url())
    return render(
        request,
        "duties/slot_confirm_withdraw.html",
        {"slot": slot, "is_mine": slot.member_id == request.user.pk},
    )


@login_required
@limit_writes("duty_change")
@require_http_methods(["GET", "POST"])
def slot_handover(request, pk):
    require(can_view_rota(request.user))
    slot = _find_slot(request.user, pk)
    if slot is None:
        return _refuse(request, services.SlotGone)
    if slot.member_id is None or _is_stale(request, slot):
        return _refuse(request, services.SlotChanged)
    require(can_change_slot(request.user, slot))
    if slot.is_over(timezone.now()):
        return _refuse(request, services.SlotOver, to="duties:my_slots")
    form = HandoverForm(request.POST or None, slot=slot, user=request.user)
    if request.method == "POST" and form.is_valid():
        to_member = form.cleaned_data["member"]
        try:
            services.hand_over_slot(
                slot=slot, to_member=to_member, note=form.cleaned_data["note"], by=request.user
            )
        except services.SlotError as error:
            return _refuse(request, error)
        messages.success(
            request,
            _("%(name)s now holds the slot and will get an email about it.")
            % {"name": to_member.display_name},
        )
        return redirect(slot.get_absolute_url())
    return render(request, "duties/slot_handover_form.html", {"slot": slot, "form": form})
