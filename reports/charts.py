"""Charts drawn as SVG on the server: no script, no network, readable without JavaScript.

Every label is escaped; every chart carries a title and an accessible description, and the
numbers it shows are also in the table next to it on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1f5f8b", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#117a65", "#5d6d7e")
FONT = 'font-family="sans-serif" font-size="11"'


def _nice_max(value: float) -> float:
    """A round upper bound for an axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 (every label escaped)


def bar_chart(
    items: Sequence[tuple[str, float]], title: str, *, width: int = 560, suffix: str = ""
) -> SafeString:
    """Horizontal bars, one per (label, value), with the value printed at the bar's end."""
    row, left, right = 22, 170, 70
    height = max(row * len(items) + 10, 30)
    top = _nice_max(max((value for _label, value in items), default=0))
    span = width - left - right
    body = []
    for index, (label, value) in enumerate(items):
        y = 5 + index * row
        length = span * value / top if top else 0
        body.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" {FONT}>{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {value:,}{suffix}</title></rect>'
            f'<text x="{left + length + 4:.1f}" y="{y + 14}" {FONT}>{value:,}{suffix}</text>'
        )
    return _svg(width, height, title, body)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    title: str,
    *,
    width: int = 720,
    height: int = 260,
) -> SafeString:
    """One line per (name, values) over the shared x labels, with axes and a legend."""
    left, right, top_pad, bottom = 48, 210, 10, 34
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = _nice_max(max((max(values, default=0) for _n, values in series), default=0))
    count = max(len(x_labels) - 1, 1)

    def x(i: int) -> float:
        return left + plot_w * i / count

    def y(value: float) -> float:
        return top_pad + plot_h * (1 - value / top)

    body = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" '
        f'y2="{top_pad + plot_h}" stroke="#999"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" stroke="#999"/>',
    ]
    for tick in (0, top / 2, top):
        body.append(
            f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" {FONT}>'
            f"{tick:,.0f}</text>"
        )
    step = max(1, len(x_labels) // 6)
    for i in range(0, len(x_labels), step):
        body.append(
            f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" {FONT}>'
            f"{escape(x_labels[i])}</text>"
        )
    for index, (name, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        body.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
            f"<title>{escape(name)}</title></polyline>"
        )
        legend_y = top_pad + 14 + index * 16
        body.append(
            f'<rect x="{left + plot_w + 10}" y="{legend_y - 9}" width="10" height="10" '
            f'fill="{colour}"/><text x="{left + plot_w + 24}" y="{legend_y}" {FONT}>'
            f"{escape(name)}</text>"
        )
    return _svg(width, height, title, body)
