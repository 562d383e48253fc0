"""Placement and housing rates by group as an SVG bar chart, drawn on the server."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PLACED, HOUSED = "#1f6feb", "#1a7f37"
ROW, LABEL, WIDTH = 22, 150, 560


def fairness_chart(rows: list[dict], placed_label: str, housed_label: str) -> SafeString:
    """Two bars per group (share of work seekers in a job, share of persons housed)."""
    if not rows:
        return mark_safe("")
    bar_w = WIDTH - LABEL - 100
    height = ROW * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'class="chart" data-testid="fairness-chart" style="max-width:100%">'
    ]
    for index, row in enumerate(rows):
        y = 10 + index * ROW
        name = escape(f"{row['dimension_label']}: {row['group']}")
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 12}" text-anchor="end" font-size="11">{name}</text>'
        )
        for offset, key, colour in ((0, "placement_rate", PLACED), (9, "housing_rate", HOUSED)):
            value = float(row[key])
            parts.append(
                f'<rect x="{LABEL}" y="{y + offset}" width="{max(0.5, value * bar_w):.1f}" '
                f'height="8" fill="{colour}"><title>{name} {value:.0%}</title></rect>'
            )
        parts.append(
            f'<text x="{LABEL + bar_w + 6}" y="{y + 12}" font-size="10">'
            f"{row['placement_rate']:.0%} / {row['housing_rate']:.0%}</text>"
        )
    legend_y = 10 + len(rows) * ROW + 14
    parts.append(
        f'<rect x="{LABEL}" y="{legend_y - 9}" width="10" height="10" fill="{PLACED}"/>'
        f'<text x="{LABEL + 14}" y="{legend_y}" font-size="11">{escape(placed_label)}</text>'
        f'<rect x="{LABEL + 220}" y="{legend_y - 9}" width="10" height="10" fill="{HOUSED}"/>'
        f'<text x="{LABEL + 234}" y="{legend_y}" font-size="11">{escape(housed_label)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
