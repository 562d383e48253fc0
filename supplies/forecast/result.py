"""Forecast results shared by the model and the baseline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class IntervalArrays:
    """Forecast arrays on the count scale, one element per future week."""

    point: np.ndarray
    lower_80: np.ndarray
    upper_80: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray

    @classmethod
    def from_bounds(
        cls,
        point: np.ndarray,
        lower_80: np.ndarray,
        upper_80: np.ndarray,
        lower_95: np.ndarray,
        upper_95: np.ndarray,
    ) -> IntervalArrays:
        """Clip to zero and nest the bounds: 95% around 80% around the point.

        Counts of people cannot go negative; and an interval from error quantiles of a
        biased method (seasonal-naive under growth) can miss its own point, which a
        chart could not show sensibly, so it is stretched to include the point.
        """
        point_c = np.maximum(np.asarray(point, dtype=float), 0.0)
        low80 = np.minimum(np.maximum(np.asarray(lower_80, dtype=float), 0.0), point_c)
        high80 = np.maximum(np.asarray(upper_80, dtype=float), point_c)
        low95 = np.minimum(np.maximum(np.asarray(lower_95, dtype=float), 0.0), low80)
        high95 = np.maximum(np.asarray(upper_95, dtype=float), high80)
        return cls(point_c, low80, high80, low95, high95)


@dataclass(frozen=True)
class WeeklyForecast:
    """Expected arrivals for one future week, with 80% and 95% prediction intervals."""

    week_start: date
    point: float
    lower_80: float
    upper_80: float
    lower_95: float
    upper_95: float


@dataclass(frozen=True)
class StationForecast:
    """A station's forecast for the coming weeks.

    ``method`` names what produced it (a model spec name, ``seasonal_naive``, or a
    ``...:fallback`` when the history was too short or the model failed to fit), so the
    planning page can say what the numbers rest on.
    """

    station: str
    method: str
    history_weeks: int
    weeks: tuple[WeeklyForecast, ...]

    @classmethod
    def from_arrays(
        cls,
        station: str,
        method: str,
        history_weeks: int,
        week_starts: pd.DatetimeIndex,
        arrays: IntervalArrays,
    ) -> StationForecast:
        weeks = tuple(
            WeeklyForecast(
                week_start=stamp.date(),
                point=float(arrays.point[i]),
                lower_80=float(arrays.lower_80[i]),
                upper_80=float(arrays.upper_80[i]),
                lower_95=float(arrays.lower_95[i]),
                upper_95=float(arrays.upper_95[i]),
            )
            for i, stamp in enumerate(week_starts)
        )
        return cls(station=station, method=method, history_weeks=history_weeks, weeks=weeks)

    @property
    def horizon(self) -> int:
        return len(self.weeks)

    def arrays(self) -> IntervalArrays:
        """The forecast as numpy arrays, for arithmetic (needs projection, backtests)."""

        def column(field: str) -> np.ndarray:
            return np.array([getattr(week, field) for week in self.weeks], dtype=float)

        return IntervalArrays(
            point=column("point"),
            lower_80=column("lower_80"),
            upper_80=column("upper_80"),
            lower_95=column("lower_95"),
            upper_95=column("upper_95"),
        )

    def to_records(self) -> list[dict[str, Any]]:
        """Plain dicts (JSON-ready apart from the date), e.g. for chart data."""
        return [
            {
                "station": self.station,
                "method": self.method,
                "week_start": week.week_start,
                "point": week.point,
                "lower_80": week.lower_80,
                "upper_80": week.upper_80,
                "lower_95": week.lower_95,
                "upper_95": week.upper_95,
            }
            for week in self.weeks
        ]

    def to_frame(self) -> pd.DataFrame:
        """The forecast as a DataFrame indexed by week start."""
        frame = pd.DataFrame(self.to_records())
        return frame.set_index("week_start")
