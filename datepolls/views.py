"""Date poll pages: the grid and one's own answers, the organisers' options,
inviting, closing and picking the winners. Everything works without
JavaScript; destructive actions confirm on GET and act on POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.permissions import require
from datepolls import services
from datepolls.forms import DateOptionForm, DecideForm, VenueOptionForm, VoteForm
from datepolls.models import OptionKind, Poll, PollOption, PollVote, Vote
from datepolls.permissions import can_manage_poll, can_view_poll, can_vote
from moeder import notify as meetup_notify
from moeder.models import Meetup, MeetupHost
from netvaerk.paging import form_data, page_of
from netvaerk.ratelimit import limit_writes


def _meetup_and_poll(request, meetup_pk) -> tuple[Meetup, Poll | None]:
    meetup = get_object_or_404(
        Meetup.objects.select_related("created_by").prefetch_related(
            Prefetch("hosts", queryset=MeetupHost.objects.select_related("user"))
        ),
        pk=meetup_pk,
    )
    poll = Poll.objects.filter(meetup=meetup).first()
    if not can_view_poll(request.user, meetup, poll):
        raise Http404
    return meetup, poll


def _managed(request, meetup_pk) -> tuple[Meetup, Poll | None]:
    meetup, poll = _meetup_and_poll(request, meetup_pk)
    require(can_manage_poll(request.user, meetup))
    return meetup, poll


def _to_poll(meetup):
    return redirect("datepolls:poll_detail", meetup_pk=meetup.pk)


def _options(poll) -> list[PollOption]:
    return list(poll.options.for_grid()) if poll else []


@login_required
@limit_writes("datepolls")
@require_http_methods(["GET", "POST"])
def poll_detail(request, meetup_pk):
    """Everyone's answers (members only) and, while open, one's own as a form."""
    meetup, poll = _meetup_and_poll(request, meetup_pk)
    user = request.user
    voting = can_vote(user, meetup, poll)
    options = _options(poll)
    mine = dict(
        PollVote.objects.filter(option__poll=poll, member=user).values_list("option_id", "value")
        if poll
        else {}
    )
    form = VoteForm(form_data(request), options=options, mine=mine)
    status = 200
    if request.method == "POST":
        if not voting:
            if poll is not None and poll.is_open and meetup.is_draft:
                require(False)  # open, but this member may not answer (silenced)
            messages.error(request, _("The poll is closed."))
            return _to_poll(meetup)
        if form.is_valid():
            try:
                _saved, skipped = services.vote(meetup=meetup, member=user, answers=form.answers())
            except services.PollError as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Your answers are saved."))
                if skipped:
                    messages.warning(
                        request,
                        ngettext(
                            "An option you answered was removed meanwhile.",
                            "%(count)s options you answered were removed meanwhile.",
                            skipped,
                        )
                        % {"count": skipped},
                    )
            return _to_poll(meetup)
        status = 400

    voted = PollVote.objects.filter(option__poll=poll, member=OuterRef("pk"))
    voters = (
        User.objects.filter(Exists(voted)).order_by("display_name", "pk")
        if poll
        else User.objects.none()
    )
    page = page_of(request, voters)
    page_members = list(page.object_list)
    answers = {}
    if page_members:
        votes = PollVote.objects.filter(option__poll=poll, member__in=[m.pk for m in page_members])
        for member_id, option_id, value in votes.values_list("member_id", "option_id", "value"):
            answers[member_id, option_id] = value
    labels = dict(Vote.choices)
    rows = [
        {
            "member": member,
            "is_me": member.pk == user.pk,
            "cells": [
                {"value": value, "label": labels.get(value, "")}
                for value in (answers.get((member.pk, o.pk)) for o in options)
            ],
        }
        for member in page_members
    ]
    managing = can_manage_poll(user, meetup)
    return render(
        request,
        "datepolls/poll_detail.html",
        {
            "meetup": meetup,
            "poll": poll,
            "options": options,
            "columns": [{"option": o, "field": form[f"option_{o.pk}"]} for o in options],
            "form": form,
            "rows": rows,
            "grid_width": len(options) + 1,
            "page_obj": page,
            "can_vote": voting,
            "can_manage": managing,
            "can_edit": managing and meetup.is_draft and not (poll and poll.is_decided),
        },
        status=status,
    )


@login_required
@limit_writes("datepolls")
@require_http_methods(["GET", "POST"])
def poll_options(request, meetup_pk):
    """The organisers add candidate dates and venues."""
    meetup, poll = _managed(request, meetup_pk)
    kind = request.POST.get("kind") if request.method == "POST" else None
    date_form = DateOptionForm(request.POST if kind == OptionKind.DATE else None, prefix="date")
    venue_form = VenueOptionForm(request.POST if kind == OptionKind.VENUE else None, prefix="venue")
    status = 200
    if request.method == "POST":
        form = date_form if kind == OptionKind.DATE else venue_form
        if kind in OptionKind.values and form.is_valid():
            try:
                if kind == OptionKind.DATE:
                    services.add_date_option(meetup=meetup, **form.cleaned_data)
                else:
                    services.add_venue_option(meetup=meetup, **form.cleaned_data)
            except services.PollError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The option is added."))
                return redirect("datepolls:poll_options", meetup_pk=meetup.pk)
        elif kind not in OptionKind.values:
            messages.error(request, _("Choose whether to add a date or a venue."))
            return redirect("datepolls:poll_options", meetup_pk=meetup.pk)
        status = 400
    return render(
        request,
        "datepolls/poll_options.html",
        {
            "meetup": meetup,
            "poll": poll,
            "options": _options(poll),
            "date_form": date_form,
            "venue_form": venue_form,
            "can_edit": meetup.is_draft and not (poll and poll.is_decided),
        },
        status=status,
    )


@login_required
@limit_writes("datepolls")
@require_http_methods(["GET", "POST"])
def poll_option_remove(request, meetup_pk, option_pk):
    meetup, poll = _managed(request, meetup_pk)
    option = PollOption.objects.filter(poll=poll, pk=option_pk).first() if poll else None
    if request.method == "POST":
        try:
            removed = services.remove_option(meetup=meetup, option_id=option_pk)
        except services.PollError as refused:
            messages.error(request, str(refused))
        else:
            if removed:
                messages.success(request, _("The option and its answers are removed."))
            else:
                messages.info(request, _("That option was already removed."))
        return redirect("datepolls:poll_options", meetup_pk=meetup.pk)
    if option is None:
        messages.info(request, _("That option was already removed."))
        return redirect("datepolls:poll_options", meetup_pk=meetup.pk)
    return render(
        request, "datepolls/poll_option_remove.html", {"meetup": meetup, "option": option}
    )


@login_required
@limit_writes("datepolls")
@require_http_methods(["GET", "POST"])
def poll_open(request, meetup_pk):
    """Open (or reopen) the poll and invite the audience: confirm first."""
    meetup, poll = _managed(request, meetup_pk)
    if request.method == "POST":
        try:
            services.open_poll(meetup=meetup, actor=request.user)
        except services.PollError as refused:
            messages.error(request, str(refused))
            return redirect("datepolls:poll_options", meetup_pk=meetup.pk)
        messages.success(request, _("The poll is open, and the members are invited to answer."))
        return _to_poll(meetup)
    return render(
        request,
        "datepolls/poll_open.html",
        {
            "meetup": meetup,
            "poll": poll,
            "option_count": poll.options.count() if poll else 0,
            "audience_count": meetup_notify.invitation_audience(meetup).count(),
        },
    )


@login_required
@limit_writes("datepolls")
@require_http_methods(["GET", "POST"])
def poll_close(request, meetup_pk):
    """Stop taking answers without deciding yet: confirm first."""
    meetup, poll = _managed(request, meetup_pk)
    if request.method == "POST":
        try:
            services.close_poll(meetup=meetup, actor=request.user)
        except services.PollError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The poll is closed. You can open it again."))
        return _to_poll(meetup)
    return render(request, "datepolls/poll_close.html", {"meetup": meetup, "poll": poll})


@login_required
@limit_writes("datepolls")
@require_http_methods(["GET", "POST"])
def poll_decide(request, meetup_pk):
    """Pick the winning date and venue: the meetup is then published."""
    meetup, poll = _managed(request, meetup_pk)
    if request.method == "POST":
        form = DecideForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("That option was removed meanwhile. Please choose again."))
            return redirect("datepolls:poll_decide", meetup_pk=meetup.pk)
        try:
            published = services.decide(
                meetup=meetup,
                actor=request.user,
                date_option_id=form.cleaned_data["date_option"],
                venue_option_id=form.cleaned_data["venue_option"],
            )
        except services.PollError as refused:
            messages.error(request, str(refused))
            if (poll is not None and poll.is_decided) or not meetup.is_draft:
                return _to_poll(meetup)
            return redirect("datepolls:poll_decide", meetup_pk=meetup.pk)
        messages.success(
            request,
            _("The meetup is published with the chosen date and venue, and everyone is invited."),
        )
        return redirect(published)
    options = _options(poll)
    return render(
        request,
        "datepolls/poll_decide.html",
        {
            "meetup": meetup,
            "poll": poll,
            "date_options": [o for o in options if o.kind == OptionKind.DATE],
            "venue_options": [o for o in options if o.kind == OptionKind.VENUE],
            "can_decide": bool(options) and meetup.is_draft and not (poll and poll.is_decided),
        },
    )
