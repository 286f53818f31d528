"""Figures drawn as inline SVG on the server: no script, no library.

Each chart is ``role="img"`` named by its ``<title>`` and described by its
``<desc>``; the numbers are in the table beside it. Series differ by colour
and also by line dash and marker shape (lines) or by hatching (bars), so no
meaning rests on colour alone.
"""

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from netvaerk.health import Figure

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 84
COLOURS = ("#0b5566", "#a02030", "#6a4a00", "#3b3b98")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    magnitude = 10 ** (len(str(int(value))) - 1)
    return (int(value / magnitude) + 1) * magnitude


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "triangle":
        points = f"{x:.1f},{y - 4.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
    return f'<polygon points="{points}" fill="{colour}"/>'


def render(figure: Figure, chart_id: str):
    """The figure's chart as inline SVG (safe HTML), or "" when it has none."""
    series = figure.drawn
    if not figure.chart or not series or not figure.rows:
        return ""
    values = [row.get(col.key) for row in figure.rows for col in series]
    top = max([v for v in values if isinstance(v, (int, float))] or [0])
    if all(col.kind == "percent" for col in series):
        top = 100
    top = _nice_max(top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(figure.rows)
    slot = plot_w / count

    def y_of(value):
        return TOP + plot_h - plot_h * value / top

    parts = [
        format_html(
            '<svg class="health-chart" role="img" viewBox="0 0 {} {}" '
            'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
            chart_id,
            figure.title,
            chart_id,
            figure.description,
        ),
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{COLOURS[1]}"/></pattern>'
        f'<pattern id="{chart_id}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="{COLOURS[2]}"/>'
        '<circle cx="2.5" cy="2.5" r="1.2" fill="#ffffff"/></pattern></defs>',
        '<g font-family="system-ui, sans-serif" font-size="14" fill="#212529">',
    ]
    for i in range(5):  # grid lines and the y axis' numbers
        value = top * i / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ced4da" stroke-width="1"/>'
        )
        shown = number_format(value, decimal_pos=0 if value == int(value) else 1)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(shown)}</text>'
        )
    for index, row in enumerate(figure.rows):  # the x axis' labels
        x = LEFT + slot * (index + 0.5)
        label = str(row.get("short") or row.get("label", ""))
        first, _space, rest = label.partition(" ") if len(label) > 10 else (label, "", "")
        lines = f'<tspan x="{x:.1f}">{escape(first)}</tspan>'
        if rest:  # a long label ("Region Hovedstaden") on two lines
            lines += f'<tspan x="{x:.1f}" dy="16">{escape(rest)}</tspan>'
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{lines}</text>'
        )
    if figure.chart == "bar":
        width = slot * 0.8 / len(series)
        fills = (COLOURS[0], f"url(#{chart_id}-hatch)", f"url(#{chart_id}-dots)", COLOURS[3])
        for s, col in enumerate(series):
            for index, row in enumerate(figure.rows):
                value = row.get(col.key)
                if not isinstance(value, (int, float)):
                    continue
                x = LEFT + slot * index + slot * 0.1 + width * s
                y = y_of(value)
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                    f'height="{TOP + plot_h - y:.1f}" fill="{fills[s % 4]}" '
                    f'stroke="{COLOURS[s % 4]}"/>'
                )
    else:
        for s, col in enumerate(series):
            colour, dash, marker = COLOURS[s % 4], DASHES[s % 4], MARKERS[s % 4]
            segment: list[str] = []
            segments = [segment]
            for index, row in enumerate(figure.rows):
                value = row.get(col.key)
                if not isinstance(value, (int, float)):
                    segment = []
                    segments.append(segment)
                    continue
                x, y = LEFT + slot * (index + 0.5), y_of(value)
                segment.append(f"{x:.1f},{y:.1f}")
                parts.append(_marker(marker, x, y, colour))
            for points in segments:
                if len(points) > 1:
                    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                    parts.append(
                        f'<polyline points="{" ".join(points)}" fill="none" '
                        f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
                    )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        'stroke="#495057" stroke-width="1"/>'
    )
    legend_y = HEIGHT - 30
    for s, col in enumerate(series):  # the legend, two per line
        x = LEFT + (s % 2) * 290
        y = legend_y + (s // 2) * 20
        colour = COLOURS[s % 4]
        if figure.chart == "bar":
            fill = (COLOURS[0], f"url(#{chart_id}-hatch)", f"url(#{chart_id}-dots)", COLOURS[3])[
                s % 4
            ]
            parts.append(
                f'<rect x="{x}" y="{y - 10}" width="14" height="12" fill="{fill}" '
                f'stroke="{colour}"/>'
            )
        else:
            dash = DASHES[s % 4]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{x}" x2="{x + 24}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/>'
            )
            parts.append(_marker(MARKERS[s % 4], x + 12, y - 4, colour))
        parts.append(f'<text x="{x + 30}" y="{y}">{escape(col.label)}</text>')
    parts.append("</g></svg>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every text is escaped
