"""Answering a meetup: yes, maybe or no with guests and questions, withdrawing,
and the one-click answer links from invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import is_suspended
from moeder import notify, services
from moeder.forms import RsvpForm
from moeder.models import Answer, QuestionAnswer, Rsvp
from moeder.permissions import (
    can_rsvp,
)
from moeder.views.meetups import _meetup_or_404, _render_detail
from netvaerk.paging import form_data
from netvaerk.ratelimit import limit_writes


@login_required
@limit_writes("moeder_rsvp")
@require_POST
def rsvp(request, pk):
    meetup = _meetup_or_404(request, pk)
    if not can_rsvp(request.user, meetup):
        messages.error(request, _("This meetup is not open for answers any more."))
        return redirect(meetup)
    form = RsvpForm(request.POST, meetup=meetup, questions=meetup.questions.all())
    if not form.is_valid():
        return _render_detail(request, meetup, form=form, status=200)
    return _save_answer(request, meetup, request.user, form)


def _save_answer(request, meetup, member, form):
    """Save the answer with a message; returns the redirect to the meetup."""
    try:
        saved = services.answer(
            meetup=meetup,
            member=member,
            answer=form.cleaned_data["answer"],
            guests=form.cleaned_data.get("guests") or 0,
            answers=form.answers(),
            show_in_list=form.cleaned_data["show_in_list"],
            morning_reminder=form.cleaned_data["morning_reminder"],
        )
    except services.MeetupError as refused:
        messages.error(request, str(refused))
        return redirect(meetup)
    if saved.waitlisted:
        messages.info(
            request,
            _(
                "The meetup is full: you are on the waitlist and will get an "
                "email if a seat frees up."
            ),
        )
    elif saved.answer == Answer.YES:
        messages.success(request, _("See you there! Your answer is saved."))
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect(meetup)


@login_required
@limit_writes("moeder_rsvp")
@require_POST
def rsvp_withdraw(request, pk):
    meetup = _meetup_or_404(request, pk)
    try:
        services.withdraw(meetup=meetup, member=request.user)
    except services.MeetupError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your answer is withdrawn."))
    return redirect(meetup)


@limit_writes("moeder_rsvp")
@require_http_methods(["GET", "POST"])
def rsvp_token(request, token):
    """The Ja / Måske / Nej links in an invitation: no login needed. GET shows
    the answer ready to confirm (link scanners in mail programs open links, so
    a GET never answers); one click on the page saves it."""
    found = notify.read_rsvp_token(token)
    if found is None:
        return render(request, "moeder/rsvp_token_invalid.html", status=404)
    member, meetup = found
    questions = list(meetup.questions.all())
    # The same rules as answering on the page, for the member the link names.
    open_ = can_rsvp(member, meetup) and not is_suspended(member)
    choice = request.GET.get("svar", Answer.YES)
    initial = {"answer": choice if choice in Answer.values else Answer.YES}
    mine = Rsvp.objects.filter(meetup=meetup, member=member).first()
    if mine:
        initial.update(
            guests=mine.guests,
            show_in_list=mine.show_in_list,
            morning_reminder=mine.morning_reminder,
        )
        for qa in QuestionAnswer.objects.filter(rsvp=mine):
            initial[f"q{qa.question_id}"] = qa.choices or qa.text
    form = RsvpForm(form_data(request), meetup=meetup, questions=questions, initial=initial)
    if request.method == "POST" and open_ and form.is_valid():
        _save_answer(request, meetup, member, form)
        # Back to this page: a visitor who is not logged in may not see a
        # regional meetup's page, but this link keeps working for them.
        return redirect(request.path)
    return render(
        request,
        "moeder/rsvp_token.html",
        {"meetup": meetup, "member": member, "form": form, "open": open_},
    )
