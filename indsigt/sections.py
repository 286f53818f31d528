"""The health page's own sections: questions, the help relay, members, regions
and flags.

Each registers in ``netvaerk.health.health_sections`` like any other app's
section would (the relay's figures live here, as ``indsigt`` is above ``relay``). Every figure is
one aggregate query or a few, grouped by month in SQL (``Period.bucket``).
"""

from datetime import timedelta

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, User
from forum.models import Post, State, Thread
from moderation.models import Flag
from moeder.insights import past_meetups
from moeder.models import Rsvp
from needs.models import ACTIVE_STATUSES, Need
from netvaerk.health import (
    Column,
    Figure,
    HealthSection,
    Period,
    Seconds,
    health_sections,
    hours,
    percentiles_by_month,
    share,
)
from relay.models import RelayRequest, Step

DAY = timedelta(hours=24)
RETAINED_AFTER = timedelta(days=90)
MONTH = _("Month")


def _questions() -> "QuerySet[Thread]":  # noqa: F821
    return Thread.objects.published().questions()


def questions(period: Period) -> list[Figure]:
    """Three queries: counts per month asked, and the percentiles of the wait."""
    rows = period.rows(asked=0, answered=0, within_day=0, solved=0, unanswered=0)
    period.fill(
        rows,
        _questions()
        .filter(period.within("created_at"))
        .annotate(month=period.bucket("created_at"))
        .values("month")
        .order_by("month")
        .annotate(
            asked=Count("pk"),
            answered=Count("pk", filter=Q(first_reply_at__isnull=False)),
            within_day=Count("pk", filter=Q(first_reply_at__lte=F("created_at") + DAY)),
            solved=Count("pk", filter=Q(accepted_post__isnull=False)),
            unanswered=Count("pk", filter=Q(reply_count=0)),
        ),
    )
    waits = percentiles_by_month(
        _questions().filter(first_reply_at__isnull=False),
        period,
        "created_at",
        Seconds("first_reply_at", "created_at"),
    )
    for row in rows:
        row["median"] = hours(waits.get((row["index"], 50)))
        row["p90"] = hours(waits.get((row["index"], 90)))
        row["within_day_share"] = share(row["within_day"], row["asked"])
        row["solved_share"] = share(row["solved"], row["asked"])
    asked = Column("asked", _("Questions asked"))
    return [
        Figure(
            name="time-to-first-reply",
            title=_("Time to first reply"),
            description=_(
                "Hours from a question to the first reply by someone else, by the month it "
                "was asked: the median (half were answered faster) and the 90th percentile "
                "(nine in ten were answered faster), among the questions that got a reply."
            ),
            columns=[
                asked,
                Column("answered", _("Answered")),
                Column("median", _("Median (hours)"), "hours"),
                Column("p90", _("90th percentile (hours)"), "hours"),
            ],
            rows=rows,
            series=["median", "p90"],
            label_heading=MONTH,
        ),
        Figure(
            name="answered-within-24-hours",
            title=_("Answered within 24 hours"),
            description=_(
                "The share of the questions asked each month that had a first reply within "
                "24 hours."
            ),
            columns=[
                asked,
                Column("within_day", _("Answered within 24 hours")),
                Column("within_day_share", _("Share (%)"), "percent"),
            ],
            rows=rows,
            series=["within_day_share"],
            label_heading=MONTH,
        ),
        Figure(
            name="unanswered-now",
            title=_("Unanswered questions now"),
            description=_(
                "Questions that still have no reply today, by the month they were asked."
            ),
            columns=[asked, Column("unanswered", _("Unanswered now"))],
            rows=rows,
            chart="bar",
            series=["unanswered"],
            label_heading=MONTH,
            note=_("In all, %(count)s questions from the last 12 months wait for a reply.")
            % {"count": sum(row["unanswered"] for row in rows)},
        ),
        Figure(
            name="solved",
            title=_("Share solved"),
            description=_(
                "The share of the questions asked each month that have an accepted answer."
            ),
            columns=[
                asked,
                Column("solved", _("Solved")),
                Column("solved_share", _("Share (%)"), "percent"),
            ],
            rows=rows,
            series=["solved_share"],
            label_heading=MONTH,
        ),
    ]


def _active_by_month(period: Period) -> list[tuple]:
    """(month, started, replied, came, active) per month: distinct members who
    started a thread, replied, came to a meetup, and any of these. One query:
    the database counts over the UNION of posts and check-ins."""
    posts = (
        Post.objects.filter(state=State.PUBLISHED)
        .filter(period.within("created_at"))
        .annotate(
            month=period.bucket("created_at"),
            who=F("author"),
            what=Case(
                When(number=1, then=Value("s")), default=Value("r"), output_field=CharField()
            ),
        )
        .order_by()
        .values("month", "who", "what")
    )
    came = (
        Rsvp.objects.filter(period.within("checked_in_at"))
        .annotate(
            month=period.bucket("checked_in_at"),
            who=F("member_id"),
            what=Value("c", output_field=CharField()),
        )
        .order_by()
        .values("month", "who", "what")
    )
    sql, params = posts.union(came, all=True).query.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT health.month,"  # noqa: S608 - our own compiled SQL, values as parameters
            " COUNT(DISTINCT CASE WHEN health.what = 's' THEN health.who END),"
            " COUNT(DISTINCT CASE WHEN health.what = 'r' THEN health.who END),"
            " COUNT(DISTINCT CASE WHEN health.what = 'c' THEN health.who END),"
            f" COUNT(DISTINCT health.who) FROM ({sql}) health"
            " WHERE health.month IS NOT NULL GROUP BY health.month",
            params,
        )
        return cursor.fetchall()


def members(period: Period) -> list[Figure]:
    """Two queries: who was active (posts and check-ins), and the newcomers' cohorts."""
    rows = period.rows(started=0, replied=0, came=0, active=0)
    for month, started, replied, came, active in _active_by_month(period):
        rows[month].update(started=started, replied=replied, came=came, active=active)

    cohorts = period.rows(joined=0, retained=0)
    later = OuterRef("date_joined") + RETAINED_AFTER
    period.fill(
        cohorts,
        User.objects.filter(period.within("date_joined"))
        .annotate(
            month=period.bucket("date_joined"),
            stayed=Exists(
                Post.objects.filter(
                    author=OuterRef("pk"), state=State.PUBLISHED, created_at__gte=later
                )
            )
            | Exists(Rsvp.objects.filter(member=OuterRef("pk"), checked_in_at__gte=later)),
        )
        .values("month")
        .order_by("month")
        .annotate(joined=Count("pk"), retained=Count("pk", filter=Q(stayed=True))),
    )
    for row, month in zip(cohorts, period.months, strict=True):
        known = month.end + RETAINED_AFTER <= period.now
        row["retained"] = row["retained"] if known else None
        row["retained_share"] = share(row["retained"], row["joined"]) if known else None
    return [
        Figure(
            name="active-members",
            title=_("Active members"),
            description=_(
                "Members who started a thread, replied, or came to a meetup (checked in) "
                "each month; a member who did several counts once among the active."
            ),
            columns=[
                Column("started", _("Started a thread")),
                Column("replied", _("Replied")),
                Column("came", _("Came to a meetup")),
                Column("active", _("Active in all")),
            ],
            rows=rows,
            label_heading=MONTH,
        ),
        Figure(
            name="new-members",
            title=_("New members and who stayed"),
            description=_(
                "Members who joined each month, and how many of them posted, replied or came "
                "to a meetup 3 months or more after joining (known once the whole month is "
                "3 months old)."
            ),
            columns=[
                Column("joined", _("Joined")),
                Column("retained", _("Still active after 3 months")),
                Column("retained_share", _("Share (%)"), "percent"),
            ],
            rows=cohorts,
            chart="bar",
            series=["joined", "retained"],
            label_heading=MONTH,
        ),
    ]


def regions(period: Period) -> list[Figure]:
    """Three queries: members, held meetups and open needs per region."""
    by_region = {
        r.value: {"key": r.value, "label": str(r.label), "members": 0, "meetups": 0, "needs": 0}
        for r in Region
    }
    for region, count in (
        User.objects.filter(is_active=True, erased_at__isnull=True)
        .exclude(region="")
        .values_list("region")
        .order_by("region")
        .annotate(count=Count("pk"))
    ):
        if region in by_region:
            by_region[region]["members"] = count
    # The meetup insights' own rule for "held in the last 12 months" (moeder.insights).
    held = past_meetups(period.now).aggregate(
        **{r.value: Count("pk", filter=Q(regions__icontains=f'"{r.value}"')) for r in Region}
    )
    for region, count in held.items():
        by_region[region]["meetups"] = count
    for region, count in (
        Need.objects.filter(status__in=ACTIVE_STATUSES)
        .exclude(region="")
        .values_list("region")
        .order_by("region")
        .annotate(count=Count("pk"))
    ):
        if region in by_region:
            by_region[region]["needs"] = count
    rows = list(by_region.values())
    total_members = sum(r["members"] for r in rows)
    total_meetups = sum(r["meetups"] for r in rows)
    for row in rows:
        # Thin: members but no meetup, or under half the network's meetups per member.
        thin = row["members"] > 0 and (
            row["meetups"] == 0
            or (
                total_meetups
                and 2 * row["meetups"] * total_members < total_meetups * row["members"]
            )
        )
        row["thin"] = str(_("Thin")) if thin else ""
    return [
        Figure(
            name="regions",
            title=_("Members, meetups and needs by region"),
            description=_(
                "Members living in each region, meetups held there in the last 12 months and "
                "needs still open. A region is thin when it has members but no meetup, or "
                "less than half the network's meetups per member."
            ),
            columns=[
                Column("members", _("Members")),
                Column("meetups", _("Meetups (12 months)")),
                Column("needs", _("Open needs")),
                Column("thin", _("Where the network is thin"), "text"),
            ],
            rows=rows,
            chart="bar",
            series=["members", "meetups", "needs"],
            label_heading=_("Region"),
        ),
    ]


def flags(period: Period) -> list[Figure]:
    """Two queries: counts per month flagged, and the percentiles of handling time."""
    rows = period.rows(raised=0, handled=0, open=0)
    period.fill(
        rows,
        Flag.objects.filter(period.within("created_at"))
        .annotate(month=period.bucket("created_at"))
        .values("month")
        .order_by("month")
        .annotate(
            raised=Count("pk"),
            handled=Count("pk", filter=Q(resolved_at__isnull=False)),
            open=Count("pk", filter=Q(resolved_at__isnull=True)),
        ),
    )
    waits = percentiles_by_month(
        Flag.objects.filter(resolved_at__isnull=False),
        period,
        "created_at",
        Seconds("resolved_at", "created_at"),
    )
    for row in rows:
        row["median"] = hours(waits.get((row["index"], 50)))
        row["p90"] = hours(waits.get((row["index"], 90)))
    return [
        Figure(
            name="flags",
            title=_("Flags and the time to handle them"),
            description=_(
                "Flags raised each month, how many a moderator has handled and how many are "
                "still open, and the hours from a flag to its handling: median and 90th "
                "percentile."
            ),
            columns=[
                Column("raised", _("Flags raised")),
                Column("handled", _("Handled")),
                Column("open", _("Open now")),
                Column("median", _("Median (hours)"), "hours"),
                Column("p90", _("90th percentile (hours)"), "hours"),
            ],
            rows=rows,
            series=["median", "p90"],
            label_heading=MONTH,
        ),
    ]


def relay(period: Period) -> list[Figure]:
    """One query: the questions the relay took up each month (by the month it
    first asked someone), how many got a reply after that, and whose answer
    came first among the members it asked: at the relay step, on duty, or a
    moderator (anyone else who replied counts as "someone else")."""
    asked = RelayRequest.objects.relayed().filter(thread=OuterRef("pk"))
    after = Q(first_reply_at__gte=F("relayed_at"))
    rows = period.rows(relayed=0, answered=0, by_relay=0, by_duty=0, by_moderators=0)
    period.fill(
        rows,
        _questions()
        # Only questions relayed in the period can have their first ask in it.
        .filter(
            pk__in=RelayRequest.objects.relayed().filter(period.within("asked_at")).values("thread")
        )
        .annotate(
            relayed_at=Subquery(asked.order_by("asked_at", "pk").values("asked_at")[:1]),
            answered_step=Subquery(
                asked.filter(answered_at__isnull=False)
                .order_by("answered_at", "pk")
                .values("step")[:1]
            ),
        )
        .filter(period.within("relayed_at"))
        .annotate(month=period.bucket("relayed_at"))
        .values("month")
        .order_by("month")
        .annotate(
            relayed=Count("pk"),
            answered=Count("pk", filter=after),
            by_relay=Count("pk", filter=after & Q(answered_step=Step.RELAY)),
            by_duty=Count("pk", filter=after & Q(answered_step=Step.DUTY)),
            by_moderators=Count("pk", filter=after & Q(answered_step=Step.MODERATORS)),
        ),
    )
    for row in rows:
        row["answered_share"] = share(row["answered"], row["relayed"])
        row["by_others"] = row["answered"] - row["by_relay"] - row["by_duty"] - row["by_moderators"]
    relayed = Column("relayed", _("Questions relayed"))
    answered = Column("answered", _("Answered after the relay"))
    return [
        Figure(
            name="relay",
            title=_("Questions relayed and answered"),
            description=_(
                "Unanswered questions the help relay passed on to members, helpers on duty "
                "or moderators, by the month it first asked someone, and how many of them "
                "got a reply after that."
            ),
            columns=[relayed, answered, Column("answered_share", _("Share (%)"), "percent")],
            rows=rows,
            series=["relayed", "answered"],
            label_heading=MONTH,
        ),
        Figure(
            name="relay-answered-by",
            title=_("Who answered the relayed questions"),
            description=_(
                "Of the relayed questions answered after the relay, whose answer came first "
                "among the people asked: members who can help, helpers on duty or moderators; "
                "“someone else” when none of them has answered."
            ),
            columns=[
                answered,
                Column("by_relay", _("Members who can help")),
                Column("by_duty", _("Helpers on duty")),
                Column("by_moderators", _("Moderators")),
                Column("by_others", _("Someone else")),
            ],
            rows=rows,
            chart="bar",
            series=["by_relay", "by_duty", "by_moderators", "by_others"],
            label_heading=MONTH,
        ),
    ]


def register():
    for section in (
        HealthSection("questions", _("Questions and answers"), questions, order=10),
        HealthSection("relay", _("The help relay"), relay, order=25),
        HealthSection("members", _("Members"), members, order=30),
        HealthSection("regions", _("Regions"), regions, order=40),
        HealthSection("flags", _("Flags"), flags, order=50),
    ):
        health_sections.register(section)
