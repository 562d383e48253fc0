"""SVG charts drawn on the server (no scripts, no network): an arrivals fan chart with the
80% and 95% prediction intervals, and grouped bars for shortfalls and needs."""

import datetime as dt
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from supplies.forecast import StationForecast

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 200, 40, 10, 10, 28
BAR_COLOURS = ("#1f6feb", "#bf8700", "#b3261e", "#1a7f37")


def _frame(testid: str, title: str, extra_height: int = 0) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + extra_height}" '
        f'role="img" class="chart" data-testid="{escape(testid)}" style="max-width:100%">',
        f"<title>{escape(title)}</title>",
    ]


def _axis(peak: float, plot_h: float) -> list[str]:
    return [
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="#999"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end" font-size="10">{peak:.0f}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]


def fan_chart(
    history: Sequence[tuple[dt.date, int]], forecast: StationForecast, title: str
) -> SafeString:
    """The last weeks of arrivals (solid), the forecast (dashed) and its 80%/95% bands."""
    weeks = forecast.weeks
    past = [(day, count) for day, count in history if day < weeks[0].week_start][-26:]
    n = len(past) + len(weeks)
    peak = max([count for _, count in past] + [w.upper_95 for w in weeks] + [1.0])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, n - 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(value: float) -> float:
        return TOP + plot_h - value / peak * plot_h

    parts = _frame(f"fan-{forecast.station}", title) + _axis(peak, plot_h)
    offset = len(past)
    for low, high, colour in (
        ("lower_95", "upper_95", "#dbe9ff"),
        ("lower_80", "upper_80", "#a8c8f8"),
    ):
        upper = [f"{x(offset + i):.1f},{y(getattr(w, high)):.1f}" for i, w in enumerate(weeks)]
        lower = [
            f"{x(offset + i):.1f},{y(getattr(w, low)):.1f}"
            for i, w in reversed(list(enumerate(weeks)))
        ]
        parts.append(f'<polygon points="{" ".join(upper + lower)}" fill="{colour}"/>')
    if past:
        line = " ".join(f"{x(i):.1f},{y(count):.1f}" for i, (_, count) in enumerate(past))
        parts.append(f'<polyline points="{line}" fill="none" stroke="#24292f" stroke-width="1.5"/>')
    line = " ".join(f"{x(offset + i):.1f},{y(w.point):.1f}" for i, w in enumerate(weeks))
    parts.append(
        f'<polyline points="{line}" fill="none" stroke="#1f6feb" stroke-width="2" '
        f'stroke-dasharray="5 3"/>'
    )
    first = past[0][0] if past else weeks[0].week_start
    parts.append(
        f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="10">{first:%Y-%m-%d}</text>'
        f'<text x="{x(offset):.1f}" y="{HEIGHT - 8}" font-size="10" text-anchor="middle">'
        f"{weeks[0].week_start:%Y-%m-%d}</text>"
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" font-size="10" text-anchor="end">'
        f"{weeks[-1].week_start:%Y-%m-%d}</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped or numeric


def bar_chart(
    labels: Sequence[str], series: dict[str, Sequence[float]], title: str, testid: str
) -> SafeString:
    """Grouped bars, one group per label (a station), one bar per series (a scenario)."""
    names = list(series)
    peak = max([max(values, default=0) for values in series.values()] + [1.0])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(1, len(labels))
    bar = max(2.0, (group - 8) / max(1, len(names)))
    parts = _frame(testid, title, extra_height=16) + _axis(peak, plot_h)
    for g, label in enumerate(labels):
        for s, name in enumerate(names):
            value = series[name][g]
            h = value / peak * plot_h
            bx = LEFT + g * group + 4 + s * bar
            parts.append(
                f'<rect x="{bx:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar - 1:.1f}" '
                f'height="{h:.1f}" fill="{BAR_COLOURS[s % len(BAR_COLOURS)]}">'
                f"<title>{escape(label)} · {escape(name)}: {value:.0f}</title></rect>"
            )
        parts.append(
            f'<text x="{LEFT + g * group + group / 2:.1f}" y="{HEIGHT - 12}" font-size="10" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for s, name in enumerate(names):
        lx = LEFT + s * 150
        parts.append(
            f'<rect x="{lx}" y="{HEIGHT + 2}" width="10" height="10" '
            f'fill="{BAR_COLOURS[s % len(BAR_COLOURS)]}"/>'
            f'<text x="{lx + 14}" y="{HEIGHT + 11}" font-size="10">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped or numeric
