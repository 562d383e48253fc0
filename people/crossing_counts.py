"""Inward border crossings counted per station and period of time, for the charts and
forecasts that show arrivals week by week (the dashboard, the supplies planning page).

Grouping by the week of every crossing (TruncWeek, or SQLite's date() per row) computed a
date for each of a million rows; counting each period as a range of the (station,
direction, crossed_at) index reads only the index.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from people.models import Crossing


def inward_crossings_between(
    station_ids: list[int], bounds: list[dt.datetime]
) -> dict[tuple[int, int], int]:
    """(station id, period) -> inward crossings with bounds[i] <= crossed_at < bounds[i+1],
    each a COUNT over one range of the crossing_station_direction index, in UNION ALLs
    (SQLite allows 500 terms to one compound SELECT)."""
    table = connection.ops.quote_name(Crossing._meta.db_table)
    term = (
        f"SELECT %s, %s, COUNT(*) FROM {table} WHERE station_id = %s AND direction = %s "  # noqa: S608
        "AND crossed_at >= %s AND crossed_at < %s"
    )
    # As the ORM would pass them (SQLite compares UTC text; a raw aware datetime is not).
    adapted = [connection.ops.adapt_datetimefield_value(bound) for bound in bounds]
    ranges = [
        (station_id, period, adapted[period], adapted[period + 1])
        for station_id in station_ids
        for period in range(len(bounds) - 1)
    ]
    counts: dict[tuple[int, int], int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ranges), 400):
            part = ranges[start : start + 400]
            params: list[Any] = []
            for station_id, period, since, until in part:
                params += [station_id, period, station_id, Crossing.Direction.IN, since, until]
            cursor.execute(" UNION ALL ".join([term] * len(part)), params)
            for station_id, period, n in cursor.fetchall():
                counts[(int(station_id), int(period))] = n
    return counts
