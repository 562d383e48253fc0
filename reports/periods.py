"""Counting journey steps into consecutive periods of local time (weeks, months) from the
daily counts the database keeps: counting the steps themselves took seconds at a million
persons (and TruncWeek/TruncMonth call back into Python for every row on
SQLite).

Periods are given by their bounds, n + 1 instants for n periods; a row belongs to period i
when bounds[i] <= its time < bounds[i + 1]. The counts are by UTC day, and local midnight is
not UTC midnight: the UTC days a bound cuts through are counted row by row, one indexed
stretch of a few hours at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db.models import Sum

from people.models import JourneyTransition
from reports.models import StepCount

DAY = dt.timedelta(days=1)


def _utc_midnight(moment: dt.datetime) -> dt.datetime:
    utc = moment.astimezone(dt.UTC)
    return dt.datetime.combine(utc.date(), dt.time.min, tzinfo=dt.UTC)


def _period(bounds: Sequence[dt.datetime], moment: dt.datetime) -> int:
    return sum(1 for bound in bounds[1:-1] if bound <= moment)


def split_utc_days(
    bounds: Sequence[dt.datetime],
) -> tuple[dict[dt.date, int], list[tuple[dt.datetime, dt.datetime, int]]]:
    """The UTC days lying wholly inside one period (day -> period), and the stretches of the
    other UTC days, each inside one period: (since, until, period)."""
    start, end = bounds[0], bounds[-1]
    whole: dict[dt.date, int] = {}
    stretches: list[tuple[dt.datetime, dt.datetime, int]] = []
    day = _utc_midnight(start)
    while day < end:
        following = day + DAY
        cuts = sorted(bound for bound in bounds if day < bound < following)
        if not cuts and day >= start and following <= end:
            whole[day.date()] = _period(bounds, day)
        else:
            edges = [max(day, start), *cuts, min(following, end)]
            for since, until in zip(edges, edges[1:], strict=False):
                if since < until:
                    stretches.append((since, until, _period(bounds, since)))
        day = following
    return whole, stretches


def steps_in_periods(
    station_ids: Iterable[int], to_states: Sequence[str], bounds: Sequence[dt.datetime]
) -> Counter[tuple[str, int]]:
    """Journey steps into each of ``to_states`` per period, by the people of the stations."""
    stations = list(station_ids)
    whole, stretches = split_utc_days(bounds)
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
    # one state at a time, so each count reads that state's partial index of steps by time
    for since, until, period in stretches:
        for state in to_states:
            counted[(state, period)] += JourneyTransition.objects.filter(
                at__gte=since, at__lt=until, to_state=state, person__station_id__in=stations
            ).count()
    return counted
