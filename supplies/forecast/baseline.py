"""Seasonal-naive baseline: next year's week = this year's same week.

Its intervals come from the empirical quantiles of its own past errors, so the baseline
needs no distributional assumption; the backtest judges the model against it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .result import IntervalArrays, StationForecast
from .series import HistoryInput, future_week_starts, to_weekly_series

SEASON_LENGTH_WEEKS = 52
# Fewer past errors than this make 95% quantiles meaningless; fall back to plain naive.
MIN_SEASONAL_ERRORS = 8
SEASONAL_NAIVE = "seasonal_naive"
NAIVE_FALLBACK = "naive:fallback"


def _quantile_bounds(errors: np.ndarray) -> tuple[float, float, float, float]:
    low95, low80, high80, high95 = np.quantile(errors, [0.025, 0.10, 0.90, 0.975])
    return float(low80), float(high80), float(low95), float(high95)


def seasonal_naive_arrays(
    values: np.ndarray, horizon: int, season_length: int = SEASON_LENGTH_WEEKS
) -> tuple[IntervalArrays, str]:
    """Forecast arrays and the method used, from a plain array of weekly counts.

    When the history holds fewer than ``season_length + MIN_SEASONAL_ERRORS`` weeks there
    is no same-week-last-year to copy, so it falls back to repeating the last week, with
    intervals from the spread of past h-week changes.
    """
    values = np.asarray(values, dtype=float)
    count = len(values)
    if count == 0:
        raise ValueError("cannot forecast from an empty history")
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    steps = np.arange(1, horizon + 1)
    if horizon <= season_length and count >= season_length + MIN_SEASONAL_ERRORS:
        point = values[count - season_length + steps - 1]
        # For every h up to one season the error of a seasonal-naive forecast is a
        # year-on-year change, so one error distribution serves the whole horizon.
        errors = values[season_length:] - values[:-season_length]
        low80, high80, low95, high95 = _quantile_bounds(errors)
        arrays = IntervalArrays.from_bounds(
            point, point + low80, point + high80, point + low95, point + high95
        )
        return arrays, SEASONAL_NAIVE

    point = np.full(horizon, values[-1])
    bounds = np.zeros((4, horizon))
    for position, step in enumerate(steps):
        changes = values[step:] - values[:-step] if count > step else np.array([0.0])
        bounds[:, position] = _quantile_bounds(changes)
    low80, high80, low95, high95 = bounds
    arrays = IntervalArrays.from_bounds(
        point, point + low80, point + high80, point + low95, point + high95
    )
    return arrays, NAIVE_FALLBACK


def seasonal_naive_forecast(
    history: HistoryInput,
    *,
    station: str = "",
    horizon: int = 12,
    season_length: int = SEASON_LENGTH_WEEKS,
) -> StationForecast:
    """Seasonal-naive forecast of weekly arrivals with empirical 80%/95% intervals."""
    series = to_weekly_series(history)
    arrays, method = seasonal_naive_arrays(series.to_numpy(), horizon, season_length)
    future = future_week_starts(pd.Timestamp(series.index[-1]), horizon)
    return StationForecast.from_arrays(station, method, len(series), future, arrays)
