"""Needs projection: occupancy, bed shortfall, stock per item, and the CSV table."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import numpy as np
import pytest

from supplies.forecast import (
    StationForecast,
    StationState,
    StockRule,
    WeeklyForecast,
    needs_columns,
    project_needs,
    projected_occupancy,
    write_needs_csv,
)


def flat_forecast(
    station: str, first_week: date, points: list[float], spread: float = 10.0
) -> StationForecast:
    weeks = tuple(
        WeeklyForecast(
            week_start=first_week + timedelta(days=7 * offset),
            point=point,
            lower_80=max(point - spread, 0),
            upper_80=point + spread,
            lower_95=max(point - 2 * spread, 0),
            upper_95=point + 2 * spread,
        )
        for offset, point in enumerate(points)
    )
    return StationForecast(station=station, method="test", history_weeks=100, weeks=weeks)


def test_one_weeks_arrivals_stay_exactly_three_weeks() -> None:
    occupancy = projected_occupancy(np.array([70.0, 0, 0, 0]), 0, length_of_stay_days=21)
    assert occupancy.tolist() == [70.0, 70.0, 70.0, 0.0]


def test_current_residents_leave_evenly_over_one_stay() -> None:
    occupancy = projected_occupancy(np.zeros(4), 210, length_of_stay_days=21)
    assert occupancy.tolist() == pytest.approx([140.0, 70.0, 0.0, 0.0])


def test_steady_arrivals_settle_at_rate_times_stay() -> None:
    occupancy = projected_occupancy(np.full(8, 70.0), 210, length_of_stay_days=21)
    assert occupancy[-1] == pytest.approx(210.0)  # 10 a day for 21 days


def test_length_of_stay_must_be_positive() -> None:
    with pytest.raises(ValueError):
        projected_occupancy(np.ones(3), 0, length_of_stay_days=0)


def test_shortfall_and_stock_follow_the_scenarios() -> None:
    forecast = flat_forecast("Onsong", date(1961, 11, 13), [100.0] * 4)
    projection = project_needs(
        {"Onsong": forecast},
        {"Onsong": StationState(beds=250, occupancy=0, stock_on_hand={"blankets": 150})},
        length_of_stay_days=21,
    )
    weeks = projection.weeks
    assert [week.occupancy["point"] for week in weeks] == [100, 200, 300, 300]
    assert [week.bed_shortfall["point"] for week in weeks] == [0, 0, 50, 50]
    assert [week.bed_shortfall["upper_80"] for week in weeks] == [0, 0, 80, 80]
    assert weeks[0].stock["blankets"] == {"point": 100, "upper_80": 110, "upper_95": 120}
    blankets = next(item for item in projection.stock if item.item == "blankets")
    assert blankets.needed["point"] == 400
    assert blankets.to_order["point"] == 250
    assert projection.peak_shortfall("Onsong", "point") == 50


def test_blankets_only_in_winter_clothing_all_year() -> None:
    september = flat_forecast("Musan", date(1961, 9, 4), [10.0, 10.0])
    projection = project_needs({"Musan": september}, {"Musan": StationState(beds=99, occupancy=0)})
    assert projection.weeks[0].stock["blankets"]["point"] == 0
    assert projection.weeks[0].stock["clothing_sets"]["point"] == 10


def test_per_resident_rules_use_occupancy() -> None:
    soap = StockRule("soap", per_resident_week=0.5)
    forecast = flat_forecast("Namyang", date(1961, 6, 5), [0.0, 0.0], spread=0.0)
    projection = project_needs(
        {"Namyang": forecast},
        {"Namyang": StationState(beds=100, occupancy=42)},
        length_of_stay_days=21,
        stock_rules=[soap],
    )
    # 42 residents leave evenly over 3 weeks: 28 then 14 remain.
    assert [week.stock["soap"]["point"] for week in projection.weeks] == [14, 7]


def test_a_station_without_beds_figures_is_refused() -> None:
    forecast = flat_forecast("Sixth station", date(1961, 11, 13), [5.0])
    with pytest.raises(ValueError, match="Sixth station"):
        project_needs({"Sixth station": forecast}, {})


def test_needs_csv_has_a_header_and_one_row_per_station_week() -> None:
    forecasts = {
        name: flat_forecast(name, date(1961, 11, 13), [20.0, 30.0, 40.0])
        for name in ("Onsong", "=cmd|' /C calc'!A0")
    }
    states = {name: StationState(beds=40, occupancy=10) for name in forecasts}
    projection = project_needs(forecasts, states)
    destination = io.BytesIO()
    written = write_needs_csv(projection, destination)
    text = destination.getvalue().decode("utf-8")
    assert written == len(destination.getvalue())
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == [column.header for column in needs_columns(projection)]
    assert len(table) == 1 + 2 * 3
    assert table[1][:3] == ["Onsong", "1961-11-13", "40"]
    assert table[4][0].startswith("'=")  # a hostile station name cannot run as a formula
