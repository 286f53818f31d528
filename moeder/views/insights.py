"""Organiser insights and a member's own attendance record."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.csp import csp_override

from accounts.permissions import require
from moeder import insights as insight
from moeder.permissions import can_view_insights


@login_required
def insights(request):
    require(can_view_insights(request.user))
    data = insight.collect()
    return render(
        request,
        "moeder/insights.html",
        {"insights": data, "totals": data.totals, "charts": ["weekday", "month", "kind"]},
    )


# The chart is an image: it may style itself, and runs no script anywhere.
@csp_override({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"]})
@login_required
def insights_chart(request, name):
    require(can_view_insights(request.user))
    svg = insight.chart_svg(insight.collect(), name)
    if svg is None:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def my_attendance(request):
    """Only one's own record: there is no way to ask for someone else's."""
    return render(
        request,
        "moeder/my_attendance.html",
        {"rsvps": insight.attendance_record(request.user)},
    )
