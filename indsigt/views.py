"""The network's health for leaders: every registered section's figures, each
as a chart with its table, and each figure as CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
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


@login_required
def network_health(request):
    require(can_view_network_health(request.user))
    period = Period()
    sections = []
    for section in health_sections:
        figures = [
            {
                "figure": figure,
                "chart": charts.render(figure, f"chart-{figure.name}"),
                "table": _table(figure),
            }
            for figure in section.collect(period)
        ]
        sections.append({"section": section, "figures": figures})
    return render(
        request,
        "indsigt/network_health.html",
        {"sections": sections, "period": period, "now": period.now},
    )


@login_required
def figure_csv(request, name):
    require(can_view_network_health(request.user))
    period = Period()
    for section in health_sections:
        for figure in section.collect(period):
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
