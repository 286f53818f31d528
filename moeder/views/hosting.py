"""What organisers do around a meetup: the answers with their aggregate and CSV, and check-in."""

import csv
import re
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import is_network_leader
from moeder import services
from moeder.models import Answer, QuestionAnswer
from moeder.views.meetups import _ids, _managed
from netvaerk.ratelimit import limit_writes


def _answers(meetup):
    rsvps = list(
        meetup.rsvps.select_related("member")
        .prefetch_related(Prefetch("question_answers", queryset=QuestionAnswer.objects.all()))
        .order_by("answer", "waitlisted", "member__display_name", "pk")
    )
    questions = list(meetup.questions.all())
    for rsvp in rsvps:
        by_question = {qa.question_id: qa.display for qa in rsvp.question_answers.all()}
        rsvp.question_values = [by_question.get(q.pk, "") for q in questions]
    return rsvps, questions


@login_required
def meetup_answers(request, pk):
    meetup = _managed(request, pk)
    rsvps, questions = _answers(meetup)
    summary = []
    for question in questions:
        counts = Counter()
        for rsvp in rsvps:
            if rsvp.answer != Answer.YES:
                continue
            for qa in rsvp.question_answers.all():
                if qa.question_id == question.pk:
                    for value in qa.choices or ([qa.text] if qa.text else []):
                        counts[value] += 1
        summary.append((question, counts.most_common()))
    return render(
        request,
        "moeder/meetup_answers.html",
        {"meetup": meetup, "rsvps": rsvps, "questions": questions, "summary": summary},
    )


@login_required
def meetup_answers_csv(request, pk):
    meetup = _managed(request, pk)
    rsvps, questions = _answers(meetup)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meetup.slug}-svar.csv"'
    response.write("\ufeff")  # so that Excel reads æøå
    writer = csv.writer(response, delimiter=";")
    # Addresses only for network leaders (the rule of accounts.permissions.can_see_email).
    with_email = is_network_leader(request.user)
    rows = [
        [
            _("Name"),
            *([_("Email")] if with_email else []),
            _("Answer"),
            _("Guests"),
            _("Waitlist"),
            _("Came"),
        ]
        + [q.text for q in questions]
    ]
    for rsvp in rsvps:
        rows.append(
            [
                rsvp.member.display_name,
                *([rsvp.member.email] if with_email else []),
                rsvp.get_answer_display(),
                rsvp.guests,
                _("yes") if rsvp.waitlisted else "",
                _("yes") if rsvp.checked_in_at else "",
                *rsvp.question_values,
            ]
        )
    writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
    return response


# A cell a spreadsheet would read as a formula: = + - @, a tab or a carriage
# return first, also after spaces (some importers trim them).
_FORMULA_START = re.compile(r"[^\S\t\r]*[=+\-@\t\r]")


def _safe_cell(value):
    """No spreadsheet formulas from anyone's text (CSV injection): such a cell
    gets an apostrophe in front, so that spreadsheets show it as text."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


@login_required
@limit_writes("moeder_edit")
@require_http_methods(["GET", "POST"])
def meetup_check_in(request, pk):
    meetup = _managed(request, pk)
    if request.method == "POST":
        ids = _ids(request.POST.getlist("came"))
        shown = _ids(request.POST.getlist("shown"))
        count = services.set_checked_in(
            meetup=meetup, came=ids, shown=shown | ids, actor=request.user
        )
        messages.success(request, _("Saved: %(count)s came.") % {"count": count})
        return redirect("moeder:meetup_check_in", pk=meetup.pk)
    rsvps = list(
        meetup.rsvps.filter(answer__in=[Answer.YES, Answer.MAYBE], waitlisted=False)
        .select_related("member")
        .order_by("member__display_name", "pk")
    )
    yes = [r for r in rsvps if r.answer == Answer.YES]
    came = [r for r in rsvps if r.checked_in_at]
    return render(
        request,
        "moeder/meetup_check_in.html",
        {
            "meetup": meetup,
            "rsvps": rsvps,
            "yes_count": len(yes),
            "came_count": len(came),
            # A no-show is someone who did not come: known once the meetup is over.
            "is_over": meetup.is_past,
            "no_shows": len([r for r in yes if not r.checked_in_at]),
            "late_withdrawals": meetup.rsvps.filter(withdrew_late=True).count(),
            "back": reverse("moeder:meetup_detail", args=[meetup.pk, meetup.slug]),
        },
    )
