"""Figures for the administrators' dashboard: arrivals per week and station, people by journey
state, placements and departures. Aggregate queries only. Retention has one definition, in
reports.retention."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek

from people.models import Crossing, JourneyTransition
from people.states import JourneyState
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


def weekly_arrivals(scope: Scope, day: dt.date, weeks: int = WEEKS) -> Series:
    """Inward crossings per week (Monday to Sunday) and station, the last ``weeks`` weeks."""
    last_monday = day - dt.timedelta(days=day.weekday())
    mondays = [last_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    start = dt.datetime.combine(mondays[0], dt.time.min, tzinfo=_tz())
    rows = (
        Crossing.objects.filter(
            direction=Crossing.Direction.IN,
            station_id__in=scope.station_ids,
            crossed_at__gte=start,
            crossed_at__lt=end_of_day(day),
        )
        .annotate(week=TruncWeek("crossed_at", tzinfo=_tz()))
        .values("station_id", "week")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(row["station_id"], _as_date(row["week"])): row["n"] for row in rows}
    return Series(
        labels=[monday.strftime("%m-%d") for monday in mondays],
        series=[
            (station.localized_name, [counts.get((station.pk, m), 0) for m in mondays])
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
    rows = (
        JourneyTransition.objects.filter(
            to_state__in=(JourneyState.PLACED, JourneyState.LEFT_JOB),
            person__station_id__in=scope.station_ids,
            at__gte=dt.datetime.combine(starts[0], dt.time.min, tzinfo=_tz()),
            at__lt=end_of_day(day),
        )
        .annotate(month=TruncMonth("at", tzinfo=_tz()))
        .values("to_state", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(row["to_state"], _as_date(row["month"])): row["n"] for row in rows}
    return Series(
        labels=[start.strftime("%Y-%m") for start in starts],
        series=[
            (str(state.label), [counts.get((state.value, s), 0) for s in starts])
            for state in (JourneyState.PLACED, JourneyState.LEFT_JOB)
        ],
    )


def _as_date(value: dt.datetime | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(_tz()).date() if value.tzinfo else value.date()
    return value
