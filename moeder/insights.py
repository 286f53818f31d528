"""Organiser insights: how the meetups of the last 12 months went, per meetup
and by weekday, time of day, kind and region; charts as server-rendered SVG
(pygal) with the same numbers in tables."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import pygal
from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pygal.style import Style

from accounts.models import Region
from moeder.models import Answer, Meetup, MeetupKind, MeetupStatus, Rsvp


@dataclass
class MeetupRow:
    meetup: Meetup
    invited: int
    yes: int
    came: int
    no_shows: int
    late_withdrawals: int
    waitlist_peak: int
    first_timers: int = 0
    regulars: int = 0
    needs_met: int = 0


@dataclass
class Group:
    label: str
    meetups: int = 0
    yes: int = 0
    came: int = 0

    @property
    def average_came(self) -> float:
        return round(self.came / self.meetups, 1) if self.meetups else 0.0


@dataclass
class Insights:
    rows: list[MeetupRow]
    by_weekday: list[Group] = field(default_factory=list)
    by_time: list[Group] = field(default_factory=list)
    by_kind: list[Group] = field(default_factory=list)
    by_region: list[Group] = field(default_factory=list)
    by_month: list[Group] = field(default_factory=list)

    @property
    def totals(self) -> dict:
        keys = (
            "invited",
            "yes",
            "came",
            "no_shows",
            "late_withdrawals",
            "first_timers",
            "regulars",
            "needs_met",
        )
        return {key: sum(getattr(row, key) for row in self.rows) for key in keys}


def past_meetups(now=None):
    """Held meetups (published, not cancelled) that ended in the last 12 months."""
    now = now or timezone.now()
    return Meetup.objects.filter(
        status=MeetupStatus.PUBLISHED, ends_at__lt=now, ends_at__gte=now - timedelta(days=365)
    )


def collect(now=None) -> Insights:
    """Three queries whatever the number of meetups."""
    attending = Q(rsvps__answer=Answer.YES, rsvps__waitlisted=False)
    meetups = list(
        past_meetups(now)
        .annotate(
            n_invited=Count("invitations", distinct=True),
            n_yes=Count("rsvps", filter=attending, distinct=True),
            n_came=Count("rsvps", filter=Q(rsvps__checked_in_at__isnull=False), distinct=True),
            n_no_shows=Count(
                "rsvps", filter=attending & Q(rsvps__checked_in_at__isnull=True), distinct=True
            ),
            n_late=Count("rsvps", filter=Q(rsvps__withdrew_late=True), distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )
    rows = {
        m.pk: MeetupRow(
            meetup=m,
            invited=m.n_invited,
            yes=m.n_yes,
            came=m.n_came,
            no_shows=m.n_no_shows,
            late_withdrawals=m.n_late,
            waitlist_peak=m.waitlist_peak,
        )
        for m in meetups
    }
    came_before = Rsvp.objects.filter(
        member=OuterRef("member"),
        checked_in_at__isnull=False,
        meetup__starts_at__lt=OuterRef("meetup__starts_at"),
    )
    came = Rsvp.objects.filter(meetup__in=list(rows), checked_in_at__isnull=False).annotate(
        returning=Exists(came_before)
    )
    for meetup_id, returning in came.values_list("meetup_id", "returning"):
        if returning:
            rows[meetup_id].regulars += 1
        else:
            rows[meetup_id].first_timers += 1
    for meetup_id, count in _needs_met(list(rows)).items():
        rows[meetup_id].needs_met = count
    insights = Insights(rows=list(rows.values()))
    _group(insights)
    return insights


def _needs_met(meetup_ids: list[int]) -> dict[int, int]:
    """Needs from the needs board that a meetup met (when that app is installed)."""
    if not apps.is_installed("needs") or not meetup_ids:
        return {}
    try:
        Need = apps.get_model("needs", "Need")
    except LookupError:
        return {}
    names = {f.name for f in Need._meta.get_fields()}
    if "meetup" not in names or "status" not in names:
        return {}
    return dict(
        Need.objects.filter(meetup__in=meetup_ids, status="met")
        .values_list("meetup")
        .annotate(count=Count("pk"))
    )


def _time_of_day(local) -> str:
    if local.hour < 12:
        return _("Morning (before 12)")
    if local.hour < 17:
        return _("Afternoon (12–17)")
    return _("Evening (from 17)")


def _group(insights: Insights) -> None:
    buckets: dict[str, dict[str, Group]] = defaultdict(dict)
    weekdays = [
        date_format(timezone.now().replace(day=1) + timedelta(days=i), "l") for i in range(7)
    ]
    for row in sorted(insights.rows, key=lambda r: r.meetup.starts_at):
        local = timezone.localtime(row.meetup.starts_at)
        regions = row.meetup.regions or [""]
        keys = {
            "weekday": [date_format(local, "l")],
            "time": [_time_of_day(local)],
            "kind": [str(MeetupKind(row.meetup.kind).label)],
            "region": [str(Region(r).label) if r else _("All regions") for r in regions],
            "month": [date_format(local, "F Y")],
        }
        for dimension, labels in keys.items():
            for label in labels:
                group = buckets[dimension].setdefault(label, Group(label=label))
                group.meetups += 1
                group.yes += row.yes
                group.came += row.came
    order = {name: i for i, name in enumerate(sorted(set(weekdays), key=weekdays.index))}
    insights.by_weekday = sorted(buckets["weekday"].values(), key=lambda g: order.get(g.label, 9))
    insights.by_time = list(buckets["time"].values())
    insights.by_kind = sorted(buckets["kind"].values(), key=lambda g: -g.came)
    insights.by_region = sorted(buckets["region"].values(), key=lambda g: -g.came)
    insights.by_month = list(buckets["month"].values())


# --- Charts ---------------------------------------------------------------------------

CHART_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#495057",
    colors=("#0b5566", "#a02030"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)


def chart_svg(insights: Insights, name: str) -> str | None:
    """One chart as SVG (served as an image: its script never runs)."""
    charts = {
        "weekday": (_("Average attendance by weekday"), insights.by_weekday),
        "month": (_("Said yes and came, month by month"), insights.by_month),
        "kind": (_("Attendance by kind of meetup"), insights.by_kind),
    }
    if name not in charts:
        return None
    title, groups = charts[name]
    chart = pygal.Bar(
        js=[],
        disable_xml_declaration=True,
        style=CHART_STYLE,
        width=720,
        height=320,
        show_legend=name == "month",
        legend_at_bottom=True,
        print_values=True,
        title=title,
        x_label_rotation=0 if name != "month" else 30,
        show_y_guides=True,
    )
    chart.x_labels = [group.label for group in groups]
    if name == "month":
        chart.add(_("Said yes"), [group.yes for group in groups])
        chart.add(_("Came"), [group.came for group in groups])
    else:
        chart.add(_("Came on average"), [group.average_came for group in groups])
    return chart.render(is_unicode=True)


def attendance_record(member):
    """A member's own record: the past meetups they answered, and whether they came."""
    return (
        Rsvp.objects.filter(member=member, meetup__ends_at__lt=timezone.now())
        .exclude(meetup__status=MeetupStatus.DRAFT)
        .select_related("meetup")
        .order_by("-meetup__starts_at")
    )
