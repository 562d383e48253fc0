"""Documents issued per day and office (the cable's eighty a day), and the SVG bar chart of
them, drawn on the server."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from django.db.models import Count, QuerySet, Sum

from documents.models import Document, IssuedCount, IssuingOffice

CHART_WIDTH = 720
CHART_HEIGHT = 220
MARGIN_LEFT = 40
MARGIN_BOTTOM = 28
MARGIN_TOP = 12


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    count: int


def issued_per_day(
    station_ids: list[int], document_type: str, first: dt.date, last: dt.date
) -> list[DayCount]:
    """Documents of a type issued per day to the people of the stations, from the counts the
    database keeps (documents_issuedcount) rather than by joining each document to its
    holder."""
    rows = dict(
        IssuedCount.objects.filter(
            station_id__in=station_ids,
            document_type=document_type,
            issued_on__range=(first, last),
        )
        .values_list("issued_on")
        .annotate(n=Sum("n"))
        .order_by()
    )
    days = (last - first).days + 1
    return [
        DayCount(day, rows.get(day, 0)) for day in (first + dt.timedelta(d) for d in range(days))
    ]


def issued_on_day(station_ids: list[int], day: dt.date) -> int:
    """Documents of every type issued on the day to the people of the stations (the kept
    counts, as issued_per_day)."""
    found = IssuedCount.objects.filter(station_id__in=station_ids, issued_on=day).aggregate(
        n=Sum("n")
    )
    return found["n"] or 0


def counts_by_day_and_office(
    documents: QuerySet[Document], first: dt.date, last: dt.date
) -> tuple[list[DayCount], list[tuple[str, int]]]:
    """Documents per day and per office code, most first, from one
    GROUP BY (day, office): the daily page's two tables read the documents once, from the
    document_type_day index alone when a type is chosen."""
    rows = list(
        documents.filter(issued_on__range=(first, last))
        .values_list("issued_on", "office_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_day: dict[dt.date, int] = defaultdict(int)
    by_office: dict[int, int] = defaultdict(int)
    for day, office_id, n in rows:
        by_day[day] += n
        by_office[office_id] += n
    codes = dict(IssuingOffice.objects.filter(pk__in=by_office).values_list("pk", "code"))
    days = (last - first).days + 1
    daily = [
        DayCount(day, by_day.get(day, 0)) for day in (first + dt.timedelta(d) for d in range(days))
    ]
    offices = sorted(((codes[pk], n) for pk, n in by_office.items()), key=lambda x: (-x[1], x[0]))
    return daily, offices


def _nice_ceiling(value: int) -> int:
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step:
            return step
    return ((value // 10_000) + 1) * 10_000


def bar_chart_svg(counts: list[DayCount], title: str, target: int | None = None) -> str:
    """A bar per day with a dashed line at `target` (80 a day in the cable)."""
    top = _nice_ceiling(max([c.count for c in counts] + [target or 0, 1]))
    plot_w = CHART_WIDTH - MARGIN_LEFT - 8
    plot_h = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    base = MARGIN_TOP + plot_h
    bar_w = plot_w / max(len(counts), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="chart" width="100%">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{MARGIN_LEFT}" y1="{base}" x2="{CHART_WIDTH - 8}" y2="{base}" stroke="#888"/>',
    ]
    for tick in (0, top // 2, top):
        y = base - plot_h * tick / top
        parts.append(
            f'<text x="{MARGIN_LEFT - 4}" y="{y + 4:.1f}" font-size="10" '
            f'text-anchor="end" fill="#555">{tick}</text>'
        )
    for index, entry in enumerate(counts):
        height = plot_h * entry.count / top
        x = MARGIN_LEFT + index * bar_w
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{base - height:.1f}" width="{max(bar_w - 2, 1):.1f}" '
            f'height="{height:.1f}" fill="#3b6ea5"><title>{entry.day.isoformat()}: '
            f"{entry.count}</title></rect>"
        )
        if len(counts) <= 31 and (index % 7 == 0 or index == len(counts) - 1):
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{base + 14}" font-size="10" '
                f'text-anchor="middle" fill="#555">{entry.day:%m-%d}</text>'
            )
    if target:
        y = base - plot_h * target / top
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{CHART_WIDTH - 8}" y2="{y:.1f}" '
            f'stroke="#c0392b" stroke-dasharray="4 3"/>'
            f'<text x="{CHART_WIDTH - 10}" y="{y - 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#c0392b">{target}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
