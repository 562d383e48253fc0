"""A stacked weekly bar chart of cases, drawn as SVG on the server (no scripts, no network)."""

import datetime as dt

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

COLOURS = ("#b3261e", "#1f6feb", "#8250df", "#bf8700", "#1a7f37", "#57606a")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 220, 36, 36, 10


def weekly_chart(weeks: list[dt.date], series: dict[str, list[int]]) -> SafeString:
    """Bars per week, stacked by disease (the five largest, the rest as "other")."""
    names = list(series)
    shown = names[:5]
    stacks = [series[name] for name in shown]
    if len(names) > 5:
        stacks.append([sum(series[n][i] for n in names[5:]) for i in range(len(weeks))])
        shown.append("…")
    totals = [sum(stack[i] for stack in stacks) for i in range(len(weeks))]
    peak = max(totals, default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - 10, HEIGHT - BOTTOM - TOP
    step = plot_w / max(1, len(weeks))
    label = escape(_("Cases a week, by disease"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 20 * len(shown)}" '
        f'role="img" aria-label="{label}" class="chart" '
        'data-testid="outbreak-chart" style="max-width:100%">',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 10}" y2="{TOP + plot_h}" stroke="#999"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end" font-size="10">{peak}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]
    for i, week in enumerate(weeks):
        x = LEFT + i * step + 1
        y = TOP + plot_h
        for colour_index, stack in enumerate(stacks):
            if not stack[i]:
                continue
            h = stack[i] / peak * plot_h
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(1.0, step - 2):.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[colour_index % len(COLOURS)]}"><title>{escape(shown[colour_index])} '
                f"{week:%Y-%m-%d}: {stack[i]}</title></rect>"
            )
        if i % max(1, len(weeks) // 8) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{TOP + plot_h + 14}" font-size="10">{week:%m-%d}</text>'
            )
    for index, name in enumerate(shown):
        y = HEIGHT + index * 20
        parts.append(
            f'<rect x="{LEFT}" y="{y - 10}" width="12" height="12" '
            f'fill="{COLOURS[index % len(COLOURS)]}"/>'
            f'<text x="{LEFT + 18}" y="{y}" font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def week_table(totals: list[tuple[dt.date, int]], empty: str) -> SafeString:
    """Cases per week as table rows, built here: a two-year view has a hundred rows."""
    if not totals:
        return format_html('<tr><td class="muted">{}</td></tr>', empty)
    return format_html_join(
        "", '<tr><td>{}</td><td class="num">{}</td></tr>', ((f"{w:%Y-%m-%d}", n) for w, n in totals)
    )
