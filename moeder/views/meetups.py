"""Meetup pages: lists, a meetup, organising it, answering, check-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.permissions import is_member, require
from moeder import calendar, notify, services
from moeder.extensions import meetup_panels
from moeder.forms import CancelForm, MeetupFilterForm, MeetupForm, QuestionForm, RsvpForm
from moeder.models import Answer, Meetup, MeetupHost, MeetupStatus, Question, QuestionAnswer, Rsvp
from moeder.permissions import (
    UPLOAD_SCOPE,
    can_create_meetup,
    can_manage_meetup,
    can_rsvp,
    can_see_attendees,
    can_see_online_link,
    can_view_insights,
    can_view_meetup,
    meetup_thread_link,
    visible_meetups,
)
from netvaerk import uploads
from netvaerk.paging import form_data, page_of
from netvaerk.prepared import Prepared
from netvaerk.ratelimit import limit_writes


def _ids(values) -> set[int]:
    """Ids from form values; anything that is not a plain number is ignored."""
    return {int(v) for v in values if v.isdecimal() and len(v) <= 12}


def _list(request, *, meetups, title, list_kind):
    form = MeetupFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            meetups = meetups.filter(kind=form.cleaned_data["kind"])
        if region := form.cleaned_data["region"]:
            meetups = meetups.filter(regions__icontains=f'"{region}"')
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moeder/meetup_list.html",
        {
            "page_obj": page_of(request, meetups.for_listing(request.user)),
            "form": form,
            "title": title,
            "list_kind": list_kind,
            "query": query.urlencode(),
            "can_create": can_create_meetup(request.user),
            "can_view_insights": can_view_insights(request.user),
        },
    )


def index(request):
    meetups = visible_meetups(request.user).exclude(status=MeetupStatus.DRAFT).upcoming()
    return _list(request, meetups=meetups, title=_("Upcoming meetups"), list_kind="upcoming")


def past(request):
    meetups = visible_meetups(request.user).exclude(status=MeetupStatus.DRAFT).past()
    return _list(request, meetups=meetups, title=_("Past meetups"), list_kind="past")


@login_required
def mine(request):
    """Meetups I organise (drafts too) or have answered."""
    from django.db.models import Exists, OuterRef, Q

    hosting = MeetupHost.objects.filter(meetup=OuterRef("pk"), user=request.user)
    answered = Rsvp.objects.filter(meetup=OuterRef("pk"), member=request.user)
    # Subqueries, not joins: the seat counts of the list stay right.
    meetups = (
        visible_meetups(request.user)
        .filter(Q(created_by=request.user) | Q(Exists(hosting)) | Q(Exists(answered)))
        .order_by("-starts_at", "-pk")
    )
    return _list(request, meetups=meetups, title=_("My meetups"), list_kind="mine")


def _build_meetup_query(pk):
    return (
        Meetup.objects.select_related("created_by", "thread__category")
        .prefetch_related(Prefetch("hosts", queryset=MeetupHost.objects.select_related("user")))
        .filter(pk=pk)[:1]
    )


# Built and compiled once (netvaerk.prepared); who may see it is checked below.
_MEETUP_QUERY = Prepared(_build_meetup_query, model=Meetup)


def _meetup_or_404(request, pk) -> Meetup:
    meetup = _MEETUP_QUERY.first(int(pk))
    if meetup is None or not can_view_meetup(request.user, meetup):
        raise Http404
    return meetup


def _managed(request, pk) -> Meetup:
    meetup = _meetup_or_404(request, pk)
    require(can_manage_meetup(request.user, meetup))
    return meetup


def meetup_detail(request, pk, slug):
    meetup = _meetup_or_404(request, pk)
    if slug != meetup.slug:
        return redirect(meetup, permanent=True)
    return _render_detail(request, meetup)


def _render_detail(request, meetup, *, form=None, status=200):
    user = request.user
    managing = can_manage_meetup(user, meetup)
    rsvps = list(
        meetup.rsvps.select_related("member").order_by("waitlisted_at", "created_at", "pk")
    )
    mine = next((r for r in rsvps if is_member(user) and r.member_id == user.pk), None)
    attending = [r for r in rsvps if r.answer == Answer.YES and not r.waitlisted]
    waiting = [r for r in rsvps if r.waitlisted]
    taken = sum(r.seats for r in attending)
    questions = list(meetup.questions.all())
    answering = can_rsvp(user, meetup)
    if form is None and answering:
        initial = {"answer": Answer.YES}
        if mine:
            initial = {
                "answer": mine.answer,
                "guests": mine.guests,
                "show_in_list": mine.show_in_list,
                "morning_reminder": mine.morning_reminder,
            }
            for qa in QuestionAnswer.objects.filter(rsvp=mine):
                initial[f"q{qa.question_id}"] = qa.choices or qa.text
        form = RsvpForm(meetup=meetup, questions=questions, initial=initial)
    is_over = meetup.is_past
    came = [r for r in rsvps if r.checked_in_at] if is_over else []
    if came:  # after a meetup with a check-in, the list says who came
        attending = [r for r in attending if r.checked_in_at]
    listed = attending if managing else [r for r in attending if r.show_in_list]
    maybe = (
        []
        if is_over
        else [r for r in rsvps if r.answer == Answer.MAYBE and (managing or r.show_in_list)]
    )
    return render(
        request,
        "moeder/meetup_detail.html",
        {
            "meetup": meetup,
            "managing": managing,
            "mine": mine,
            "form": form,
            "can_rsvp": answering,
            "show_attendees": can_see_attendees(user, meetup),
            "attending": listed,
            "hidden_count": len(attending) - len(listed),
            "attendees_heading": (
                _("Who came") if came else _("Who said yes") if is_over else _("Who is coming")
            ),
            "maybe": maybe,
            # What the kept attendee list and answer form print ({% kept %}).
            "attendees_key": _attendees_key(user, listed, maybe, managing=managing),
            "rsvp_form_key": _rsvp_form_key(form, meetup, questions),
            "waiting_count": len(waiting),
            "my_place": waiting.index(mine) + 1 if mine in waiting else None,
            "seats_left": None if meetup.capacity is None else max(meetup.capacity - taken, 0),
            "taken": taken,
            "yes_count": len(attending),
            "show_online_link": can_see_online_link(user, meetup, mine),
            "thread_link": meetup_thread_link(user, meetup),
            "panels": meetup_panels.render(request, meetup=meetup, managing=managing),
            "google_url": calendar.google_calendar_url(meetup),
            "outlook_url": calendar.outlook_calendar_url(meetup),
            "progress": notify.invitation_progress(meetup=meetup)
            if managing and not meetup.is_draft
            else None,
        },
        status=status,
    )


def _attendees_key(user, listed, maybe, *, managing: bool) -> tuple:
    def shown(rsvp):
        member = rsvp.member
        return (
            member.pk,
            member.display_name,
            member.language,
            member.avatar_key,
            rsvp.guests,
            rsvp.show_in_list,
        )

    return (
        tuple(shown(r) for r in listed),
        tuple((r.member.pk, r.member.display_name) for r in maybe),
        managing,
        is_member(user),  # members see pictures
    )


def _rsvp_form_key(form, meetup, questions) -> tuple | None:
    """The answer form without data or errors prints the meetup's questions and
    the initial answers only; None (render it anew) for anything else."""
    if form is None or form.is_bound:
        return None
    return (
        meetup.pk,
        meetup.guests_allowed,
        tuple((q.pk, q.kind, q.text, tuple(q.choices or ()), q.required) for q in questions),
        tuple(sorted((k, repr(v)) for k, v in form.initial.items())),
    )


class _Refused(Exception):
    """An attachment was refused: nothing is saved, the form says why."""


@login_required
@limit_writes("moeder_edit")
@require_http_methods(["GET", "POST"])
def meetup_create(request):
    require(can_create_meetup(request.user))
    form = MeetupForm(form_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), uploads.discard_on_error():
            stored = uploads.store_attachments(
                form, uploader=request.user, body_field="description"
            )
            if stored is not None:
                meetup = services.create_meetup(
                    creator=request.user,
                    hosts=form.cleaned_data["co_hosts"],
                    **{**form.meetup_fields(), "description": stored.body},
                )
                uploads.attach(stored.uploads, scope=UPLOAD_SCOPE, scope_id=meetup.pk)
        if stored is not None:
            messages.success(request, _("The draft is saved. Add questions, then publish it."))
            return redirect(meetup)
    return render(request, "moeder/meetup_form.html", {"form": form})


@login_required
@limit_writes("moeder_edit")
@require_http_methods(["GET", "POST"])
def meetup_edit(request, pk):
    meetup = _managed(request, pk)
    if meetup.is_cancelled:
        messages.error(request, _("A cancelled meetup cannot be changed."))
        return redirect(meetup)
    form = MeetupForm(
        form_data(request), request.FILES or None, instance=Meetup.objects.get(pk=meetup.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic(), uploads.discard_on_error():
                stored = uploads.store_attachments(
                    form, uploader=request.user, body_field="description"
                )
                if stored is None:
                    raise _Refused
                meetup = services.update_meetup(
                    meetup=meetup,
                    editor=request.user,
                    hosts=form.cleaned_data["co_hosts"],
                    **{**form.meetup_fields(), "description": stored.body},
                )
                uploads.attach(stored.uploads, scope=UPLOAD_SCOPE, scope_id=meetup.pk)
        except _Refused:
            pass  # the reason is on the form
        except services.MeetupError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The changes are saved."))
            if moved := len(meetup.moved_to_waitlist):
                messages.info(request, _moved_message(moved))
            return redirect(meetup)
    return render(request, "moeder/meetup_form.html", {"form": form, "meetup": meetup})


def _moved_message(count: int) -> str:
    return ngettext(
        "%(count)d member who had said yes is now on the waitlist (there are fewer "
        "seats); they have been told by email.",
        "%(count)d members who had said yes are now on the waitlist (there are fewer "
        "seats); they have been told by email.",
        count,
    ) % {"count": count}


@login_required
@limit_writes("moeder_edit")
@require_http_methods(["GET", "POST"])
def meetup_publish(request, pk):
    meetup = _managed(request, pk)
    if request.method == "POST":
        try:
            services.publish(meetup=meetup, actor=request.user)
        except services.MeetupError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Published. The invitations are on their way."))
        return redirect(meetup)
    audience = meetup.region_labels
    return render(request, "moeder/meetup_publish.html", {"meetup": meetup, "audience": audience})


@login_required
@limit_writes("moeder_edit")
@require_http_methods(["GET", "POST"])
def meetup_cancel(request, pk):
    meetup = _managed(request, pk)
    form = CancelForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(meetup=meetup, actor=request.user, reason=form.cleaned_data["reason"])
        except services.MeetupError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The meetup is cancelled and everyone invited is told."))
        return redirect(meetup)
    return render(request, "moeder/meetup_cancel.html", {"meetup": meetup, "form": form})


@login_required
@limit_writes("moeder_edit")
@require_http_methods(["GET", "POST"])
def meetup_questions(request, pk):
    meetup = _managed(request, pk)
    form = QuestionForm(form_data(request))
    if request.method == "POST":
        if "remove" in request.POST:
            ids = _ids([request.POST.get("remove", "")])
            question = Question.objects.filter(meetup=meetup, pk__in=ids).first()
            if question:
                services.remove_question(question=question)
                messages.success(request, _("The question is removed."))
            return redirect("moeder:meetup_questions", pk=meetup.pk)
        if form.is_valid():
            services.add_question(meetup=meetup, **form.cleaned_data)
            messages.success(request, _("The question is added."))
            return redirect("moeder:meetup_questions", pk=meetup.pk)
    return render(
        request,
        "moeder/meetup_questions.html",
        {"meetup": meetup, "form": form, "questions": meetup.questions.all()},
    )
