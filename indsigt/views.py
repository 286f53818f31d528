"""The network's health for leaders: every registered section's figures, each
as a chart with its table, and each figure as CSV."""

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.permissions import require
from indsigt import charts
from indsigt.permissions import can_view_network_health
from netvaerk.health import Figure, Period, health_sections


def _cell(value, kind: str) -> str:
    if value is None or value == "":
        return "–" if kind != "text" else ""
    if kind in ("hours", "percent"):
        return number_format(value, decimal_pos=1)
    if kind == "text":
        return str(value)
    return number_format(value)


def _table(figure: Figure) -> list[dict]:
    return [
        {
            "label": row.get("label", ""),
            "cells": [_cell(row.get(col.key), col.kind) for col in figure.columns],
        }
        for row in figure.rows
    ]


def _collect(period: Period) -> tuple[list[tuple], object]:
    """Every section's figures, kept in the cache for
    ``NETVAERK_HEALTH_CACHE_SECONDS`` (one entry per month, language and set of
    sections): one cache read for the page, and the sections' queries only
    when the figures are older than that. Returns (section, figures) pairs and
    the time the figures were computed."""
    seconds = settings.NETVAERK_HEALTH_CACHE_SECONDS
    sections = list(health_sections)
    if not seconds:
        return [(s, s.collect(period)) for s in sections], period.now
    names = ",".join(s.name for s in sections)
    key = f"indsigt:health:{period.months[-1].key}:{get_language()}:{names}"
    entry = cache.get(key)
    if entry is None:
        entry = (period.now, [s.collect(period) for s in sections])
        cache.set(key, entry, seconds)
    computed_at, figures = entry
    return list(zip(sections, figures, strict=True)), computed_at


def _sections_html(request, period: Period) -> tuple[str, object]:
    """The sections' charts and tables as HTML, kept in the cache like the
    figures: a cached page costs one cache read and the page's frame."""
    seconds = settings.NETVAERK_HEALTH_CACHE_SECONDS
    names = ",".join(s.name for s in health_sections)
    key = f"indsigt:health-html:{period.months[-1].key}:{get_language()}:{names}"
    entry = cache.get(key) if seconds else None
    if entry is None:
        collected, as_of = _collect(period)
        sections = [
            {
                "section": section,
                "figures": [
                    {
                        "figure": figure,
                        "chart": charts.render(figure, f"chart-{figure.name}"),
                        "table": _table(figure),
                    }
                    for figure in figures
                ],
            }
            for section, figures in collected
        ]
        html = render_to_string("indsigt/_sections.html", {"sections": sections}, request=request)
        entry = (as_of, html)
        if seconds:
            cache.set(key, entry, seconds)
    as_of, html = entry
    return mark_safe(html), as_of  # noqa: S308 - rendered by our own template


@login_required
def network_health(request):
    require(can_view_network_health(request.user))
    period = Period()
    html, as_of = _sections_html(request, period)
    return render(
        request,
        "indsigt/network_health.html",
        {
            "sections": list(health_sections),
            "sections_html": html,
            "now": timezone.localtime(as_of).replace(microsecond=0),
        },
    )


@login_required
def figure_csv(request, name):
    require(can_view_network_health(request.user))
    collected, _as_of = _collect(Period())
    for _section, figures in collected:
        for figure in figures:
            if figure.name == name:
                return _csv(figure)
    raise Http404


def _csv(figure: Figure) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{figure.name}.csv"'
    response.write("\ufeff")  # so that Excel reads æøå
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [str(figure.label_heading or _("Row"))] + [str(c.label) for c in figure.columns]
    )
    for row in figure.rows:
        cells = [row.get("key", row.get("label", ""))]
        for col in figure.columns:
            value = row.get(col.key)
            cells.append("" if value is None else _cell(value, col.kind).replace("\xa0", ""))
        writer.writerow(cells)
    return response
