"""Counting rows into consecutive periods of local time (weeks, months) without a function
call per row: TruncWeek and TruncMonth call back into Python for every row on SQLite, which
at a million persons made the dashboard's charts take seconds.

Periods are given by their bounds, n + 1 instants for n periods; a row belongs to period i
when bounds[i] <= its time < bounds[i + 1].
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from people.models import JourneyTransition
from reports.models import StepCount

DAY = dt.timedelta(days=1)


def period_index(field: str, bounds: Sequence[dt.datetime]) -> Case:
    """The period of the row's ``field`` as an SQL comparison chain (rows are filtered to
    bounds[0] <= field < bounds[-1] by the caller)."""
    last = len(bounds) - 2
    return Case(
        *(When(**{f"{field}__lt": bound}, then=Value(i)) for i, bound in enumerate(bounds[1:-1])),
        default=Value(last),
        output_field=IntegerField(),
    )


def _utc_midnight(moment: dt.datetime) -> dt.datetime:
    utc = moment.astimezone(dt.UTC)
    return dt.datetime.combine(utc.date(), dt.time.min, tzinfo=dt.UTC)


def split_utc_days(
    bounds: Sequence[dt.datetime],
) -> tuple[dict[dt.date, int], list[tuple[dt.datetime, dt.datetime]]]:
    """The UTC days lying wholly inside one period (day -> period), and the stretches of
    the UTC days a bound cuts through (local midnight is not UTC midnight), which must be
    counted row by row."""
    start, end = bounds[0], bounds[-1]
    whole: dict[dt.date, int] = {}
    partial: list[tuple[dt.datetime, dt.datetime]] = []
    day = _utc_midnight(start)
    while day < end:
        following = day + DAY
        cut = any(day < bound < following for bound in bounds)
        if cut or day < start or following > end:
            partial.append((max(day, start), min(following, end)))
        else:
            whole[day.date()] = sum(1 for bound in bounds[1:-1] if bound <= day)
        day = following
    return whole, partial


def steps_in_periods(
    station_ids: Iterable[int], to_states: Sequence[str], bounds: Sequence[dt.datetime]
) -> Counter[tuple[str, int]]:
    """Journey steps into each of ``to_states`` per period, by the people of the stations:
    the daily counts the database keeps (reports.StepCount) for whole UTC days, and the
    steps themselves for the few days a period's bound cuts through."""
    stations = list(station_ids)
    whole, partial = split_utc_days(bounds)
    counted: Counter[tuple[str, int]] = Counter()
    if whole:
        rows = (
            StepCount.objects.filter(
                day__gte=min(whole),
                day__lte=max(whole),
                station_id__in=stations,
                to_state__in=to_states,
            )
            .values("day", "to_state")
            .annotate(n=Sum("n"))
            .order_by()
        )
        for row in rows:
            period = whole.get(row["day"])
            if period is not None:
                counted[(row["to_state"], period)] += row["n"]
    if partial:
        within = Q()
        for since, until in partial:
            within |= Q(at__gte=since, at__lt=until)
        rows = (
            JourneyTransition.objects.filter(
                within, to_state__in=to_states, person__station_id__in=stations
            )
            .annotate(period=period_index("at", bounds))
            .values("to_state", "period")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            counted[(row["to_state"], row["period"])] += row["n"]
    return counted


def rows_in_periods(
    queryset: object, field: str, group: str, bounds: Sequence[dt.datetime]
) -> Counter[tuple[int, int]]:
    """Rows of ``queryset`` per (``group`` value, period) of their ``field``."""
    rows = (
        queryset.filter(**{f"{field}__gte": bounds[0], f"{field}__lt": bounds[-1]})  # type: ignore[attr-defined]
        .annotate(period=period_index(field, bounds), key=F(group))
        .values("key", "period")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({(row["key"], row["period"]): row["n"] for row in rows})
