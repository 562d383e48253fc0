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

from django.db.models import Count, Sum, Value

from people.models import JourneyTransition
from reports.models import StepCount
from waystation import clock

DAY = dt.timedelta(days=1)


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
    day = clock.utc_midnight(start)
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


def day_stretches(
    bounds: Sequence[dt.datetime],
) -> tuple[dict[dt.date, int], list[tuple[dt.datetime, dt.datetime, int | None, int | None]]]:
    """How to count a period split of the UTC days cheaply: (day -> period) for the UTC days
    whose daily count goes to one period whole, and (since, until, to period, from period) for
    the stretches counted row by row, each added to one period and taken from another (None:
    no period; the stretch lies outside the bounds or the day was not counted whole).

    A UTC day a bound cuts through is counted whole into the period of its longest stretch,
    and only its shorter stretches row by row, moved to their own period: with local time nine
    hours ahead of UTC, a month's bound then costs a count of nine hours of steps rather than
    of all twenty-four, and the report's last day a count of the hours after its end (none yet,
    on today's)."""
    whole, stretches = split_utc_days(bounds)
    by_day: dict[dt.date, list[tuple[dt.datetime, dt.datetime, int | None]]] = {}
    for since, until, period in stretches:
        by_day.setdefault(since.astimezone(dt.UTC).date(), []).append((since, until, period))
    counted_apart: list[tuple[dt.datetime, dt.datetime, int | None, int | None]] = []
    for day, inside in by_day.items():
        midnight = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
        pieces: list[tuple[dt.datetime, dt.datetime, int | None]] = []
        # the whole day in order, with the parts outside the bounds as period None
        cursor = midnight
        for since, until, part_of in inside:
            if cursor < since:
                pieces.append((cursor, since, None))
            pieces.append((since, until, part_of))
            cursor = until
        if cursor < midnight + DAY:
            pieces.append((cursor, midnight + DAY, None))
        longest = max(pieces, key=lambda piece: piece[1] - piece[0])
        if longest[2] is None:
            counted_apart += [(since, until, part_of, None) for since, until, part_of in inside]
            continue
        whole[day] = longest[2]
        counted_apart += [
            (since, until, part_of, longest[2])
            for since, until, part_of in pieces
            if (since, until, part_of) != longest
        ]
    return whole, counted_apart


def steps_in_periods(
    station_ids: Iterable[int], to_states: Sequence[str], bounds: Sequence[dt.datetime]
) -> Counter[tuple[str, int]]:
    """Journey steps into each of ``to_states`` per period, by the people of the stations."""
    stations = list(station_ids)
    whole, stretches = day_stretches(bounds)
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
    if not stretches:
        return counted
    # One count per stretch and state, all in one UNION ALL: each reads one range of that
    # state's partial index of steps by time (an OR of the ranges made PostgreSQL read the
    # steps' rows from the table).
    terms = [
        JourneyTransition.objects.filter(
            at__gte=since, at__lt=until, to_state=state, person__station_id__in=stations
        )
        .values(term=Value(index * len(to_states) + state_index))
        .annotate(n=Count("person_id"))
        .values_list("term", "n")
        .order_by()
        for index, (since, until, _to, _from) in enumerate(stretches)
        for state_index, state in enumerate(to_states)
    ]
    found = dict(terms[0].union(*terms[1:], all=True))
    for index, (_since, _until, to_period, from_period) in enumerate(stretches):
        for state_index, state in enumerate(to_states):
            n = found.get(index * len(to_states) + state_index, 0)
            if to_period is not None:
                counted[(state, to_period)] += n
            if from_period is not None:
                counted[(state, from_period)] -= n
    return counted
