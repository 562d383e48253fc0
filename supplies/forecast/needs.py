"""From arrival forecasts to beds and stock: projected bed shortfall and supplies per station.

Three scenarios run side by side: the point forecast (median), and the upper 80% and 95%
bounds. Planning against a bound treats every week as high at once, which overstates a
run of weeks somewhat; for beds and blankets that errs on the side people need.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, BinaryIO

import numpy as np

from reports.exports import ColumnSpec, stream_csv

from .result import StationForecast

QUARANTINE_DAYS = 15
# The cable: fifteen days of quarantine, then a files check and a job assignment; a
# week's wait for placement on top of quarantine is the planning default.
DEFAULT_PLACEMENT_WAIT_DAYS = 6
DEFAULT_LENGTH_OF_STAY_DAYS = QUARANTINE_DAYS + DEFAULT_PLACEMENT_WAIT_DAYS
WINTER_MONTHS = frozenset({11, 12, 1, 2, 3})
SCENARIOS = ("point", "upper_80", "upper_95")


@dataclass(frozen=True)
class StockRule:
    """How much of an item people need: per arrival and/or per resident per week.

    ``months`` limits the rule to weeks whose mid-week day falls in those months
    (e.g. blankets in winter); ``None`` means all year.
    """

    item: str
    per_arrival: float = 0.0
    per_resident_week: float = 0.0
    months: frozenset[int] | None = None

    def applies(self, week_start: date) -> bool:
        return self.months is None or (week_start + timedelta(days=3)).month in self.months


DEFAULT_STOCK_RULES: tuple[StockRule, ...] = (
    StockRule("blankets", per_arrival=1.0, months=WINTER_MONTHS),
    StockRule("clothing_sets", per_arrival=1.0),
)


@dataclass(frozen=True)
class StationState:
    """What a station has now: beds, people in them, and stock on the shelves."""

    beds: int
    occupancy: int
    stock_on_hand: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class WeekNeeds:
    """One station-week of the projection; dict fields are keyed by scenario."""

    station: str
    week_start: date
    beds: int
    arrivals: Mapping[str, float]
    occupancy: Mapping[str, int]
    bed_shortfall: Mapping[str, int]
    stock: Mapping[str, Mapping[str, int]]  # item -> scenario -> quantity


@dataclass(frozen=True)
class StockSummary:
    """An item's need over the whole horizon at one station, against stock on hand."""

    station: str
    item: str
    on_hand: float
    needed: Mapping[str, int]
    to_order: Mapping[str, int]


@dataclass(frozen=True)
class NeedsProjection:
    """The full projection: per station-week rows and per station-item totals."""

    weeks: tuple[WeekNeeds, ...]
    stock: tuple[StockSummary, ...]
    items: tuple[str, ...]
    length_of_stay_days: float

    def peak_shortfall(self, station: str, scenario: str = "upper_80") -> int:
        return max(
            (week.bed_shortfall[scenario] for week in self.weeks if week.station == station),
            default=0,
        )


def projected_occupancy(
    arrivals: np.ndarray, current_occupancy: float, length_of_stay_days: float
) -> np.ndarray:
    """People in beds at the end of each future week.

    Arrivals spread evenly over their week and each stays ``length_of_stay_days``.
    Today's residents are taken to be evenly spread through their stays (as in a steady
    flow), so they leave at a constant rate over one length of stay.
    """
    if length_of_stay_days <= 0:
        raise ValueError("length of stay must be positive")
    arrivals = np.asarray(arrivals, dtype=float)
    horizon = len(arrivals)
    week_ends = 7.0 * np.arange(1, horizon + 1)
    remaining = current_occupancy * np.clip(1.0 - week_ends / length_of_stay_days, 0.0, 1.0)
    cohort_starts = 7.0 * np.arange(horizon)
    # Share of cohort j (arrived during [7j, 7j+7)) still present at the end of week k.
    still_present = np.clip(
        (cohort_starts[None, :] + 7.0 - (week_ends[:, None] - length_of_stay_days)) / 7.0, 0.0, 1.0
    )
    still_present *= cohort_starts[None, :] < week_ends[:, None]
    return remaining + still_present @ arrivals


def _scenario_arrivals(forecast: StationForecast) -> dict[str, np.ndarray]:
    arrays = forecast.arrays()
    return {"point": arrays.point, "upper_80": arrays.upper_80, "upper_95": arrays.upper_95}


def project_needs(
    forecasts: Mapping[str, StationForecast],
    stations: Mapping[str, StationState],
    *,
    length_of_stay_days: float = DEFAULT_LENGTH_OF_STAY_DAYS,
    stock_rules: Sequence[StockRule] = DEFAULT_STOCK_RULES,
) -> NeedsProjection:
    """Project occupancy, bed shortfall and stock needs for each forecast station."""
    missing = sorted(set(forecasts) - set(stations))
    if missing:
        raise ValueError(f"no bed and occupancy figures for: {', '.join(missing)}")
    weeks: list[WeekNeeds] = []
    summaries: list[StockSummary] = []
    for station, forecast in forecasts.items():
        state = stations[station]
        arrivals = _scenario_arrivals(forecast)
        occupancy = {
            scenario: projected_occupancy(values, state.occupancy, length_of_stay_days)
            for scenario, values in arrivals.items()
        }
        totals = {rule.item: dict.fromkeys(SCENARIOS, 0) for rule in stock_rules}
        for position, week in enumerate(forecast.weeks):
            stock: dict[str, dict[str, int]] = {}
            for rule in stock_rules:
                active = rule.applies(week.week_start)
                stock[rule.item] = {
                    scenario: math.ceil(
                        active
                        * (
                            rule.per_arrival * arrivals[scenario][position]
                            + rule.per_resident_week * occupancy[scenario][position]
                        )
                        - 1e-9
                    )
                    for scenario in SCENARIOS
                }
                for scenario in SCENARIOS:
                    totals[rule.item][scenario] += stock[rule.item][scenario]
            people = {s: math.ceil(occupancy[s][position] - 1e-9) for s in SCENARIOS}
            weeks.append(
                WeekNeeds(
                    station=station,
                    week_start=week.week_start,
                    beds=state.beds,
                    arrivals={s: round(float(arrivals[s][position]), 1) for s in SCENARIOS},
                    occupancy=people,
                    bed_shortfall={s: max(0, people[s] - state.beds) for s in SCENARIOS},
                    stock=stock,
                )
            )
        for item, needed in totals.items():
            on_hand = float(state.stock_on_hand.get(item, 0.0))
            summaries.append(
                StockSummary(
                    station=station,
                    item=item,
                    on_hand=on_hand,
                    needed=needed,
                    to_order={s: max(0, math.ceil(needed[s] - on_hand)) for s in SCENARIOS},
                )
            )
    return NeedsProjection(
        weeks=tuple(weeks),
        stock=tuple(summaries),
        items=tuple(rule.item for rule in stock_rules),
        length_of_stay_days=length_of_stay_days,
    )


def needs_columns(projection: NeedsProjection) -> list[ColumnSpec]:
    """Columns of the station-week needs table (for CSV/XLSX export or a page table)."""
    columns = [
        ColumnSpec("station", "Station", "#loc+name"),
        ColumnSpec("week_start", "Week starting", "#date+week_start"),
        ColumnSpec("beds", "Beds", "#capacity+beds"),
    ]
    for scenario in SCENARIOS:
        columns.append(
            ColumnSpec(
                f"arrivals_{scenario}", f"Arrivals ({scenario})", f"#affected+arrivals+{scenario}"
            )
        )
    for scenario in SCENARIOS:
        columns.append(ColumnSpec(f"occupancy_{scenario}", f"Occupancy ({scenario})"))
    for scenario in SCENARIOS:
        columns.append(ColumnSpec(f"bed_shortfall_{scenario}", f"Bed shortfall ({scenario})"))
    for item in projection.items:
        for scenario in SCENARIOS:
            columns.append(ColumnSpec(f"{item}_{scenario}", f"{item} needed ({scenario})"))
    return columns


def needs_rows(projection: NeedsProjection) -> Iterator[dict[str, Any]]:
    """The station-week table as flat dicts keyed like ``needs_columns``."""
    for week in projection.weeks:
        row: dict[str, Any] = {
            "station": week.station,
            "week_start": week.week_start,
            "beds": week.beds,
        }
        for scenario in SCENARIOS:
            row[f"arrivals_{scenario}"] = week.arrivals[scenario]
            row[f"occupancy_{scenario}"] = week.occupancy[scenario]
            row[f"bed_shortfall_{scenario}"] = week.bed_shortfall[scenario]
        for item, quantities in week.stock.items():
            for scenario in SCENARIOS:
                row[f"{item}_{scenario}"] = quantities[scenario]
        yield row


def write_needs_csv(
    projection: NeedsProjection, destination: BinaryIO, *, bom: bool = False
) -> int:
    """Write the station-week needs table as UTF-8 CSV; returns the bytes written."""
    written = 0
    for chunk in stream_csv(needs_rows(projection), needs_columns(projection), bom=bom):
        destination.write(chunk)
        written += len(chunk)
    return written
