"""Figures for the administrators' dashboard: arrivals per week and station, people by journey
state, placements and departures. Aggregate queries only. Retention has one definition, in
reports.retention."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings

from people.crossing_counts import inward_crossings_between
from people.states import JourneyState
from reports.periods import steps_in_periods
from reports.scopes import Scope
from reports.situation import end_of_day

WEEKS = 26
MONTHS = 12


@dataclass
class Series:
    labels: list[str]
    series: list[tuple[str, list[int]]]

    def table(self) -> list[tuple[str, list[int]]]:
        """Rows for the table beside the chart: each x label with every series' value."""
        return [
            (label, [values[index] for _name, values in self.series])
            for index, label in enumerate(self.labels)
        ]


def _tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_tz())


def weekly_arrivals(scope: Scope, day: dt.date, weeks: int = WEEKS) -> Series:
    """Inward crossings per week (Monday to Sunday) and station, the last ``weeks`` weeks."""
    last_monday = day - dt.timedelta(days=day.weekday())
    mondays = [last_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    bounds = [_local_midnight(monday) for monday in mondays] + [end_of_day(day)]
    counts = inward_crossings_between(scope.station_ids, bounds)
    return Series(
        labels=[monday.strftime("%m-%d") for monday in mondays],
        series=[
            (station.localized_name, [counts[(station.pk, week)] for week in range(weeks)])
            for station in scope.stations
        ],
    )


def monthly_placements(scope: Scope, day: dt.date, months: int = MONTHS) -> Series:
    """Placements and departures from jobs per calendar month, the last ``months`` months."""
    first = day.replace(day=1)
    starts = []
    for _ in range(months):
        starts.insert(0, first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    bounds = [_local_midnight(start) for start in starts] + [end_of_day(day)]
    states = (JourneyState.PLACED, JourneyState.LEFT_JOB)
    counts = steps_in_periods(scope.station_ids, [state.value for state in states], bounds)
    return Series(
        labels=[start.strftime("%Y-%m") for start in starts],
        series=[
            (str(state.label), [counts[(state.value, month)] for month in range(months)])
            for state in states
        ],
    )
