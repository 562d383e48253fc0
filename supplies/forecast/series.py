"""Weekly arrival series: normalising input and the calendar regressors the models use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

WEEK_FREQUENCY = "W-MON"

# Day-of-year anchors for the Tumen river's ice cover along the North Hamgyong border:
# it starts to close in the second half of November, carries people on foot from mid
# December to the end of February, and breaks up during March. Dates vary by a week or
# two from year to year; the regressor is a climatological average, not a given year's ice.
FREEZE_RAMP_UP_START = (11, 15)
FREEZE_FULL_START = (12, 15)
FREEZE_FULL_END = (3, 1)
FREEZE_RAMP_DOWN_END = (4, 1)

HistoryInput = pd.Series | Iterable[tuple[date, float]]


class HistoryError(ValueError):
    """The arrival history cannot be turned into a weekly series."""


def week_start(day: date) -> date:
    """The Monday that starts the ISO week containing ``day``."""
    if isinstance(day, datetime):
        day = day.date()
    return day - timedelta(days=day.weekday())


def _is_weekly_grid(series: pd.Series) -> bool:
    """True when a Series is already clean: Monday weeks, no gaps, non-negative numbers.

    The common case (a query result or the synthetic generator) skips the regrouping,
    which costs more than the model fit for short series.
    """
    index = series.index
    if not isinstance(index, pd.DatetimeIndex) or len(index) == 0 or index.tz is not None:
        return False
    if not pd.api.types.is_numeric_dtype(series.dtype) or series.isna().any():
        return False
    steps = np.diff(index.asi8)
    one_week = pd.Timedelta(days=7).value
    return (
        bool(np.all(steps == one_week))
        and bool(np.all(index.weekday == 0))
        and bool(np.all(index.asi8 % pd.Timedelta(days=1).value == 0))
        and bool((series.to_numpy() >= 0).all())
    )


def to_weekly_series(history: HistoryInput, *, through: date | None = None) -> pd.Series:
    """Return arrivals as a float Series indexed by consecutive Monday week starts.

    Accepts a pandas Series indexed by dates, or an iterable of ``(date, count)`` (one
    pair per week, per day or per person all work). Dates are snapped to the Monday of
    their week and summed, and weeks with no record become 0: a station that registered
    nobody in a week did receive zero people, and the models need an unbroken grid.

    ``through`` ends the series at the week containing that date: later records are
    dropped and quiet weeks at the end are filled with zeros, so every station's
    forecast starts from the same week. Pass a day of the last *complete* week; a
    week still in progress would read as a sudden drop in arrivals.
    """
    if through is None and isinstance(history, pd.Series) and _is_weekly_grid(history):
        return pd.Series(
            history.to_numpy(dtype=float),
            index=pd.DatetimeIndex(history.index, name="week_start", freq=WEEK_FREQUENCY),
            name="arrivals",
        )
    if isinstance(history, pd.Series):
        frame = pd.DataFrame({"when": list(history.index), "count": history.to_numpy()})
    else:
        frame = pd.DataFrame(list(history), columns=["when", "count"])
    if frame.empty:
        raise HistoryError("arrival history is empty")
    counts = pd.to_numeric(frame["count"], errors="coerce")
    if counts.isna().any():
        raise HistoryError("arrival counts must be numbers")
    if (counts < 0).any():
        raise HistoryError("arrival counts cannot be negative")
    mondays = pd.to_datetime(frame["when"]).dt.normalize()
    mondays = mondays - pd.to_timedelta(mondays.dt.weekday, unit="D")
    summed = counts.groupby(mondays.to_numpy()).sum().astype(float)
    last = summed.index.max()
    if through is not None:
        last = pd.Timestamp(week_start(through))
        summed = summed[summed.index <= last]
        if summed.empty:
            raise HistoryError(f"no arrivals recorded up to {through}")
    full_index = pd.date_range(summed.index.min(), last, freq=WEEK_FREQUENCY)
    series = summed.reindex(full_index, fill_value=0.0)
    series.index.name = "week_start"
    series.name = "arrivals"
    return series


def future_week_starts(last_week: pd.Timestamp, horizon: int) -> pd.DatetimeIndex:
    """The ``horizon`` Monday week starts that follow ``last_week``."""
    return pd.date_range(
        pd.Timestamp(last_week) + pd.Timedelta(days=7), periods=horizon, freq=WEEK_FREQUENCY
    )


def _anchor_days(
    winter_years: np.ndarray, month_day: tuple[int, int], next_year: bool
) -> np.ndarray:
    years = (winter_years + int(next_year) - 1970).astype("datetime64[Y]")
    months = years.astype("datetime64[M]") + (month_day[0] - 1)
    return months.astype("datetime64[D]") + (month_day[1] - 1)


def freeze_intensity(days: pd.DatetimeIndex, shift_days: float = 0.0) -> np.ndarray:
    """How frozen the border river is on each day, from 0 (open water) to 1 (solid ice).

    ``shift_days`` moves the whole season later (positive) or earlier, which the
    synthetic generator uses to vary the ice from one winter to the next.
    """
    shifted = pd.DatetimeIndex(days) - pd.Timedelta(days=shift_days)
    day_values = shifted.to_numpy().astype("datetime64[D]")
    winter_years = np.where(shifted.month >= 7, shifted.year, shifted.year - 1).astype(np.int64)
    ramp_up = _anchor_days(winter_years, FREEZE_RAMP_UP_START, next_year=False)
    full = _anchor_days(winter_years, FREEZE_FULL_START, next_year=False)
    full_end = _anchor_days(winter_years, FREEZE_FULL_END, next_year=True)
    ramp_down_end = _anchor_days(winter_years, FREEZE_RAMP_DOWN_END, next_year=True)
    rising = (day_values - ramp_up).astype(float) / (full - ramp_up).astype(float)
    falling = (ramp_down_end - day_values).astype(float) / (ramp_down_end - full_end).astype(float)
    return np.clip(np.minimum(rising, falling), 0.0, 1.0)


def weekly_freeze_regressor(week_starts: pd.DatetimeIndex) -> np.ndarray:
    """Mean river-freeze intensity over each week (sampled mid-week, Thursday)."""
    return freeze_intensity(pd.DatetimeIndex(week_starts) + pd.Timedelta(days=3))


def annual_fourier_terms(week_starts: pd.DatetimeIndex, pairs: int) -> np.ndarray:
    """Sine/cosine columns of the yearly cycle, ``pairs`` harmonics, one row per week.

    With only about two years of history a 52-lag seasonal component would spend one
    parameter per week of the year; a few harmonics describe a smooth winter bulge
    with ``2 * pairs`` parameters.
    """
    middle = pd.DatetimeIndex(week_starts) + pd.Timedelta(days=3)
    year_fraction = (middle.dayofyear.to_numpy() - 1) / 365.25
    columns = []
    for harmonic in range(1, pairs + 1):
        angle = 2 * np.pi * harmonic * year_fraction
        columns.extend([np.sin(angle), np.cos(angle)])
    return np.column_stack(columns) if columns else np.empty((len(middle), 0))
