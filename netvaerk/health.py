"""The network's health: figures for network leaders, plugged in by the apps.

The health page (``indsigt``, the top layer) knows no figure of its own making:
it renders every ``HealthSection`` registered in ``health_sections``. The socket
lives here, in layer 0, so that any app - whatever its layer - can register a
section from its ``AppConfig.ready()`` without the page importing it, and
without it importing the page:

    from netvaerk.health import Column, Figure, HealthSection, health_sections

    def collect(period):            # period: Period (the last 12 months)
        rows = period.rows()        # one dict per month: {"key", "label", "index"}
        ...                         # one aggregate query (or a few), no loop over rows
        return [Figure(name="relay", title=..., description=..., columns=[...], rows=rows)]

    health_sections.register(HealthSection("relay", _("The help relay"), collect, order=25))

A section's ``collect(period)`` returns a list of ``Figure`` (a table of rows,
drawn as a chart beside the table when ``chart`` is set, exported as CSV by its
``name``). It must run a fixed number of queries whatever the amount of data:
``Period.bucket(field)`` gives the month (0-11) of a timestamp as a SQL
expression on Danish month boundaries, and ``percentiles_by_month`` the median
and 90th percentile of a duration per month in one query on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, Count, F, FloatField, Func, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise

from netvaerk.extensions import Registry

# --- Months ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    index: int  # 0 = the oldest of the period
    start: datetime  # aware, midnight on the 1st in Danish time
    end: datetime  # the next month's start

    @property
    def key(self) -> str:
        """``2026-11``: the month in CSV files and URLs."""
        return timezone.localtime(self.start).strftime("%Y-%m")

    @property
    def label(self) -> str:
        return date_format(timezone.localtime(self.start), "M Y")

    @property
    def short_label(self) -> str:
        return date_format(timezone.localtime(self.start), "M")


def _month_start(year: int, month: int) -> datetime:
    # zoneinfo resolves midnight on the 1st to the right UTC offset (summer or
    # winter time); the clocks never change at midnight in Denmark.
    return datetime(year, month, 1, tzinfo=timezone.get_default_timezone())


class Period:
    """The last ``count`` calendar months in Danish time, the current (partial)
    month last. Month boundaries are midnight on the 1st, Europe/Copenhagen."""

    def __init__(self, now: datetime | None = None, count: int = 12):
        self.now = now or timezone.now()
        local = timezone.localtime(self.now)
        year, month = local.year, local.month
        starts = []
        for _ in range(count + 1):
            starts.append((year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        starts.reverse()  # the oldest first; the last one is this month
        bounds = [_month_start(y, m) for y, m in starts[1:]]
        bounds.append(_month_start(*_next(starts[-1])))
        self.months = [
            Month(index=i, start=bounds[i], end=bounds[i + 1]) for i in range(len(bounds) - 1)
        ]

    @property
    def start(self) -> datetime:
        return self.months[0].start

    @property
    def end(self) -> datetime:
        return self.months[-1].end

    def within(self, field_name: str) -> Q:
        """The rows whose ``field_name`` falls in the period (an index can serve it)."""
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})

    def bucket(self, field_name: str) -> Case:
        """The month index (0 … count-1) of ``field_name`` as a SQL expression,
        NULL outside the period. Plain comparisons with the months' UTC
        boundaries: the same answer on every database, and no time zone
        conversion per row."""
        # Latest month first, each a single comparison: a row stops at its month.
        whens = [When(Q(**{f"{field_name}__gte": self.end}), then=Value(None))]
        whens += [
            When(Q(**{f"{field_name}__gte": m.start}), then=Value(m.index))
            for m in reversed(self.months)
        ]
        return Case(*whens, default=None, output_field=IntegerField())

    def rows(self, **defaults) -> list[dict]:
        """One row per month, oldest first, with ``defaults`` filled in."""
        return [
            {"index": m.index, "key": m.key, "label": m.label, "short": m.short_label, **defaults}
            for m in self.months
        ]

    def fill(self, rows: list[dict], values: Iterable[dict], index_key: str = "month") -> None:
        """Copy aggregate rows (each with ``index_key`` = month index) into ``rows``."""
        for value in values:
            index = value.pop(index_key)
            if index is not None:
                rows[index].update(value)


def _next(year_month: tuple[int, int]) -> tuple[int, int]:
    year, month = year_month
    return (year, month + 1) if month < 12 else (year + 1, 1)


def percentiles_by_month(
    queryset,
    period: Period,
    when: str,
    value,
    percents: Iterable[int] = (50, 90),
) -> dict[tuple[int, int], Any]:
    """``{(month index, percent): value}``: the nearest-rank percentile
    (PostgreSQL's ``percentile_disc``: the smallest value with at least
    ``percent`` % of the month's values at or below it) of ``value`` (an
    expression, e.g. a duration) over the rows of ``queryset`` whose ``when``
    falls in each month. One query on SQLite and PostgreSQL: each month's rows
    are numbered in order of the value (a window function), and only the rows
    at the wanted ranks come back: at most ``len(percents)`` rows per month."""
    percents = list(percents)
    qs = (
        queryset.filter(period.within(when))
        .annotate(health_month=period.bucket(when), health_value=value)
        .annotate(
            health_rank=Window(
                RowNumber(),
                partition_by=[F("health_month")],
                order_by=[F("health_value").asc(), F("pk").asc()],
            ),
            health_count=Window(Count("pk"), partition_by=[F("health_month")]),
        )
    )
    # rank = ceil(p/100 · n), in integers: 100·rank ≥ p·n > 100·(rank - 1).
    wanted = Q()
    for p in percents:
        wanted |= Q(health_rank100__gte=F("health_count") * p) & Q(
            health_rank100__lt=F("health_count") * p + 100
        )
    rows = (
        qs.annotate(health_rank100=F("health_rank") * 100)
        .filter(wanted)
        .values_list("health_month", "health_rank", "health_count", "health_value")
    )
    result: dict[tuple[int, int], Any] = {}
    for month, rank, count, found in rows:  # at most len(percents) rows per month
        for p in percents:
            if 100 * rank >= p * count > 100 * (rank - 1):
                result[(month, p)] = found
    return result


class Seconds(Func):
    """Seconds from ``start`` to ``end`` as a float, with each database's own
    arithmetic (SQLite's ``julianday``, PostgreSQL's ``EXTRACT(EPOCH …)``):
    cheaper to sort by than a duration, which SQLite computes in Python."""

    output_field = FloatField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::float",
            arg_joiner=" - ",
            **extra,
        )


def hours(duration: timedelta | float | None) -> float | None:
    """Hours, one decimal, from a duration or a number of seconds."""
    if duration is None:
        return None
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else duration
    return round(seconds / 3600, 1)


def share(part: int | None, whole: int | None) -> float | None:
    """Per cent, one decimal; None when there is nothing to share."""
    if not whole:
        return None
    return round(100 * (part or 0) / whole, 1)


# --- Figures and sections ---------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str = "count"  # count | percent | hours | text


@dataclass
class Figure:
    """A table of rows (dicts with ``label`` and a value per column key), drawn
    beside the table as a ``line`` or ``bar`` chart of the ``series`` columns."""

    name: str  # unique across sections; the CSV file's name
    title: str | Promise
    description: str | Promise  # what it shows and how it is counted (the chart's desc)
    columns: list[Column]
    rows: list[dict]
    chart: str | None = "line"  # line | bar | None
    series: list[str] = field(default_factory=list)  # column keys drawn (default: all numeric)
    label_heading: str | Promise = ""  # the first column's heading ("Month", "Region")
    note: str | Promise = ""  # a line under the table

    @property
    def drawn(self) -> list[Column]:
        keys = self.series or [c.key for c in self.columns if c.kind != "text"]
        by_key = {c.key: c for c in self.columns}
        return [by_key[k] for k in keys if k in by_key]


@dataclass(frozen=True)
class HealthSection:
    name: str
    title: str | Promise
    collect: Callable[[Period], list[Figure]]
    order: int = 100
    description: str | Promise = ""


health_sections = Registry(
    "health_sections",
    "Sections of the network health page: HealthSection(name, title, collect(period) -> [Figure]).",
)
