"""The arrivals model, the seasonal-naive baseline, the cache and the backtest."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest

from supplies.forecast import (
    DEFAULT_SPEC,
    ForecastCache,
    ModelSpec,
    StationForecast,
    backtest,
    forecast_arrivals,
    forecast_stations,
    seasonal_naive_forecast,
    synthetic_history,
)
from supplies.forecast.series import weekly_freeze_regressor

NO_SEASON = ModelSpec("log_arima011", seasonal_terms="none")


@pytest.fixture(scope="module")
def histories() -> dict[str, pd.Series]:
    return synthetic_history(seed=21)


def winter_series(level: float = 200.0, uplift: float = 0.8, weeks: int = 100) -> pd.Series:
    """A flat level multiplied by (1 + uplift) under ice, with mild noise; ends in October."""
    index = pd.date_range(end="1961-10-30", periods=weeks, freq="W-MON")
    rng = np.random.default_rng(4)
    mean = level * (1 + uplift * weekly_freeze_regressor(index))
    return pd.Series(rng.poisson(mean).astype(float), index=index)


def assert_well_formed(forecast: StationForecast, last_week: date, horizon: int) -> None:
    assert forecast.horizon == horizon
    starts = [week.week_start for week in forecast.weeks]
    assert starts[0] == last_week + pd.Timedelta(days=7)
    assert all((later - earlier).days == 7 for earlier, later in pairwise(starts))
    for week in forecast.weeks:
        assert 0 <= week.lower_95 <= week.lower_80 <= week.point
        assert week.point <= week.upper_80 <= week.upper_95


def test_forecast_has_twelve_nested_non_negative_weeks(histories: dict[str, pd.Series]) -> None:
    forecast = forecast_arrivals(histories["Onsong"], station="Onsong", cache=None)
    assert forecast.method == DEFAULT_SPEC.name
    assert forecast.station == "Onsong"
    assert_well_formed(forecast, date(1961, 11, 6), 12)
    widths_95 = [week.upper_95 - week.lower_95 for week in forecast.weeks]
    widths_80 = [week.upper_80 - week.lower_80 for week in forecast.weeks]
    assert all(w95 > w80 for w95, w80 in zip(widths_95, widths_80, strict=True))
    assert widths_80[-1] > widths_80[0]  # uncertainty grows with the horizon


def test_forecast_follows_the_recent_level(histories: dict[str, pd.Series]) -> None:
    series = histories["Kyongsong"]
    forecast = forecast_arrivals(series, cache=None)
    recent = series.iloc[-6:].mean()
    assert 0.5 * recent < forecast.weeks[0].point < 2.0 * recent


def test_freeze_regressor_raises_the_winter_forecast() -> None:
    series = winter_series()
    frozen = forecast_arrivals(series, horizon=12, cache=None)
    plain = forecast_arrivals(series, horizon=12, spec=NO_SEASON, cache=None)
    by_week = {week.week_start: week.point for week in frozen.weeks}
    november, january = by_week[date(1961, 11, 6)], by_week[date(1962, 1, 22)]
    assert january > 1.4 * november  # the model learnt the uplift from earlier winters
    plain_points = [week.point for week in plain.weeks]
    assert max(plain_points) < 1.1 * min(plain_points)  # without the regressor: flat


def test_pairs_and_series_give_the_same_forecast(histories: dict[str, pd.Series]) -> None:
    series = histories["Musan"]
    pairs = [(stamp.date(), count) for stamp, count in series.items()]
    from_series = forecast_arrivals(series, cache=None)
    from_pairs = forecast_arrivals(pairs, cache=None)
    assert from_series.weeks == from_pairs.weeks


def test_short_or_empty_history_falls_back_to_the_baseline() -> None:
    short = pd.Series([5.0] * 10, index=pd.date_range("1961-09-04", periods=10, freq="W-MON"))
    forecast = forecast_arrivals(short, horizon=4, cache=None)
    assert forecast.method.endswith(":fallback")
    assert [week.point for week in forecast.weeks] == [5.0] * 4
    silent = short * 0
    assert forecast_arrivals(silent, horizon=4, cache=None).weeks[0].upper_95 == 0.0


def test_cache_returns_the_stored_forecast_until_the_history_changes(
    histories: dict[str, pd.Series],
) -> None:
    cache = ForecastCache(max_entries=2)
    series = histories["Namyang"]
    first = forecast_arrivals(series, station="Namyang", cache=cache)
    again = forecast_arrivals(series.copy(), station="Namyang", cache=cache)
    assert again is first
    assert (cache.hits, cache.misses) == (1, 1)
    changed = series.copy()
    changed.iloc[-1] += 1
    assert forecast_arrivals(changed, station="Namyang", cache=cache) is not first
    assert cache.misses == 2


def test_cache_evicts_the_least_recently_used(histories: dict[str, pd.Series]) -> None:
    cache = ForecastCache(max_entries=1)
    forecast_arrivals(histories["Musan"], station="Musan", cache=cache)
    forecast_arrivals(histories["Onsong"], station="Onsong", cache=cache)
    forecast_arrivals(histories["Musan"], station="Musan", cache=cache)
    assert cache.hits == 0


def test_forecast_stations_covers_every_station(histories: dict[str, pd.Series]) -> None:
    forecasts = forecast_stations(histories, horizon=6, cache=ForecastCache())
    assert set(forecasts) == set(histories)
    assert all(forecast.horizon == 6 for forecast in forecasts.values())
    assert forecasts["Onsong"].to_frame().shape == (6, 7)


def test_seasonal_naive_repeats_last_years_week() -> None:
    index = pd.date_range("1960-01-04", periods=70, freq="W-MON")
    values = np.arange(70, dtype=float) + 10
    forecast = seasonal_naive_forecast(pd.Series(values, index=index), horizon=3)
    assert forecast.method == "seasonal_naive"
    assert [week.point for week in forecast.weeks] == [28.0, 29.0, 30.0]  # weeks 70-52 on
    # Every year-on-year change was +52, so the error quantiles put the interval 52
    # above; it is stretched down to the point so that it always contains it.
    assert forecast.weeks[0].upper_95 == pytest.approx(80.0)
    assert forecast.weeks[0].upper_80 == pytest.approx(80.0)
    assert forecast.weeks[0].lower_95 == pytest.approx(28.0)


def test_seasonal_naive_without_a_year_of_history_repeats_the_last_week() -> None:
    index = pd.date_range("1961-01-02", periods=20, freq="W-MON")
    forecast = seasonal_naive_forecast(pd.Series(np.full(20, 7.0), index=index), horizon=2)
    assert forecast.method == "naive:fallback"
    assert [week.point for week in forecast.weeks] == [7.0, 7.0]


def test_backtest_scores_the_model_above_seasonal_naive_on_growing_arrivals(
    histories: dict[str, pd.Series],
) -> None:
    subset = {name: histories[name] for name in ("Onsong", "Musan")}
    report = backtest(subset, horizon=12, held_out_weeks=12, step=4)
    assert report.origins == 2 * 3
    # Origins at n-12, n-8, n-4 score 12 + 8 + 4 weeks per station.
    assert report.model.points == report.baseline.points == 2 * 24
    assert report.model.mape < report.baseline.mape
    assert 0.0 <= report.model.coverage_80 <= report.model.coverage_95 <= 1.0
    summary = report.as_dict()
    assert set(summary["model_mape_by_station"]) == {"Onsong", "Musan"}


def test_backtest_of_a_repeating_year_gives_the_baseline_zero_error() -> None:
    index = pd.date_range("1959-01-05", periods=120, freq="W-MON")
    pattern = 50 + 20 * np.sin(2 * np.pi * np.arange(52) / 52)
    values = np.round(np.tile(pattern, 3)[:120])
    report = backtest({"steady": pd.Series(values, index=index)}, held_out_weeks=8, step=4)
    assert report.baseline.mape == 0.0
    assert report.baseline.coverage_95 == 1.0


def test_backtest_refuses_a_hold_out_longer_than_the_history() -> None:
    index = pd.date_range("1961-01-02", periods=10, freq="W-MON")
    with pytest.raises(ValueError, match="too short"):
        backtest({"new": pd.Series(np.ones(10), index=index)}, held_out_weeks=10)


def test_through_aligns_a_quiet_station_with_the_others(histories: dict[str, pd.Series]) -> None:
    quiet = histories["Musan"].iloc[:-3]  # nobody came in the last three weeks
    forecasts = forecast_stations(
        {"Musan": quiet, "Onsong": histories["Onsong"]},
        horizon=2,
        cache=None,
        through=date(1961, 11, 8),
    )
    assert forecasts["Musan"].weeks[0].week_start == date(1961, 11, 13)
    assert forecasts["Onsong"].weeks[0].week_start == date(1961, 11, 13)
    assert forecasts["Musan"].history_weeks == 100
