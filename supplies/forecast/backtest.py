"""Rolling-origin backtest of the model against the seasonal-naive baseline.

For each origin in the held-out tail, both methods see only the weeks before it and
forecast up to ``horizon`` weeks on; every (origin, week ahead) pair whose actual is
known is scored. Both methods are scored on exactly the same pairs in the same run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .baseline import SEASON_LENGTH_WEEKS, seasonal_naive_arrays
from .model import DEFAULT_SPEC, ModelSpec, model_arrays
from .result import IntervalArrays
from .series import HistoryInput, to_weekly_series


@dataclass(frozen=True)
class AccuracyScores:
    """Accuracy over all scored (origin, week-ahead) pairs.

    ``mape`` (percent) skips weeks whose actual is zero, where it is undefined
    (``zero_actuals_skipped`` counts them); ``smape`` (percent) and ``mase`` use every pair.
    MASE divides by the mean in-sample year-on-year change (week-on-week when the training
    window is under a year), so values under 1 beat that in-sample yardstick.
    Coverage is the share of actuals inside the 80% and 95% intervals: a well-calibrated
    method lands near 0.80 and 0.95.
    """

    mape: float
    smape: float
    mase: float
    coverage_80: float
    coverage_95: float
    mean_width_80: float
    points: int
    zero_actuals_skipped: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BacktestReport:
    """Model and baseline scores from one backtest run, pooled and per station."""

    model_method: str
    baseline_method: str
    horizon: int
    held_out_weeks: int
    origins: int
    model: AccuracyScores
    baseline: AccuracyScores
    model_by_station: dict[str, AccuracyScores]
    baseline_by_station: dict[str, AccuracyScores]
    fallbacks: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary (pooled scores, per-station MAPE)."""
        return {
            "model_method": self.model_method,
            "baseline_method": self.baseline_method,
            "horizon": self.horizon,
            "held_out_weeks": self.held_out_weeks,
            "origins": self.origins,
            "model": self.model.as_dict(),
            "baseline": self.baseline.as_dict(),
            "model_mape_by_station": {s: a.mape for s, a in self.model_by_station.items()},
            "baseline_mape_by_station": {s: a.mape for s, a in self.baseline_by_station.items()},
            "fallbacks": self.fallbacks,
        }


@dataclass
class _Collected:
    actual: list[float]
    point: list[float]
    lower_80: list[float]
    upper_80: list[float]
    lower_95: list[float]
    upper_95: list[float]
    scale: list[float]

    @classmethod
    def empty(cls) -> _Collected:
        return cls([], [], [], [], [], [], [])

    def add(self, actual: np.ndarray, arrays: IntervalArrays, scale: float) -> None:
        size = len(actual)
        self.actual.extend(actual)
        self.point.extend(arrays.point[:size])
        self.lower_80.extend(arrays.lower_80[:size])
        self.upper_80.extend(arrays.upper_80[:size])
        self.lower_95.extend(arrays.lower_95[:size])
        self.upper_95.extend(arrays.upper_95[:size])
        self.scale.extend([scale] * size)

    def extend(self, other: _Collected) -> None:
        for field in ("actual", "point", "lower_80", "upper_80", "lower_95", "upper_95", "scale"):
            getattr(self, field).extend(getattr(other, field))

    def scores(self) -> AccuracyScores:
        actual = np.asarray(self.actual, dtype=float)
        if actual.size == 0:
            raise ValueError("no held-out weeks to score")
        point = np.asarray(self.point, dtype=float)
        error = np.abs(actual - point)
        nonzero = actual > 0
        mape = float(np.mean(error[nonzero] / actual[nonzero]) * 100) if nonzero.any() else np.nan
        denominator = np.abs(actual) + np.abs(point)
        smape_terms = np.where(
            denominator > 0, 2 * error / np.where(denominator > 0, denominator, 1), 0
        )
        scale = np.asarray(self.scale, dtype=float)
        inside_80 = (actual >= np.asarray(self.lower_80)) & (actual <= np.asarray(self.upper_80))
        inside_95 = (actual >= np.asarray(self.lower_95)) & (actual <= np.asarray(self.upper_95))
        return AccuracyScores(
            mape=round(mape, 2),
            smape=round(float(np.mean(smape_terms) * 100), 2),
            mase=round(float(np.mean(error / np.where(scale > 0, scale, 1.0))), 3),
            coverage_80=round(float(np.mean(inside_80)), 3),
            coverage_95=round(float(np.mean(inside_95)), 3),
            mean_width_80=round(float(np.mean(np.asarray(self.upper_80) - self.lower_80)), 1),
            points=int(actual.size),
            zero_actuals_skipped=int((~nonzero).sum()),
        )


def _mase_scale(train: np.ndarray, season_length: int) -> float:
    lag = season_length if len(train) > season_length else 1
    if len(train) <= lag:
        return 1.0
    return float(np.mean(np.abs(train[lag:] - train[:-lag]))) or 1.0


def backtest(
    histories: Mapping[str, HistoryInput],
    *,
    horizon: int = 12,
    held_out_weeks: int = 24,
    step: int = 2,
    spec: ModelSpec = DEFAULT_SPEC,
    season_length: int = SEASON_LENGTH_WEEKS,
) -> BacktestReport:
    """Score the model and the seasonal-naive baseline on the last ``held_out_weeks``.

    Origins run every ``step`` weeks from the start of the held-out tail; near the end
    a forecast is scored only on the weeks that exist, so every held-out week counts.
    """
    if held_out_weeks < 1 or step < 1 or horizon < 1:
        raise ValueError("held_out_weeks, step and horizon must be positive")
    model_pooled, baseline_pooled = _Collected.empty(), _Collected.empty()
    model_by_station: dict[str, AccuracyScores] = {}
    baseline_by_station: dict[str, AccuracyScores] = {}
    origins = fallbacks = 0
    baseline_methods: set[str] = set()
    with threadpool_limits(limits=1):
        for station, history in histories.items():
            series = to_weekly_series(history)
            values = series.to_numpy()
            week_starts = pd.DatetimeIndex(series.index)
            first_origin = len(values) - held_out_weeks
            if first_origin < 2:
                raise ValueError(f"{station}: history too short to hold out {held_out_weeks}")
            model_station, baseline_station = _Collected.empty(), _Collected.empty()
            station_origins = range(first_origin, len(values), step)
            for origin in station_origins:
                train, actual = values[:origin], values[origin : origin + horizon]
                scale = _mase_scale(train, season_length)
                model_forecast, method = model_arrays(
                    train, week_starts[:origin], len(actual), spec
                )
                fallbacks += method.endswith(":fallback")
                naive_forecast, naive_method = seasonal_naive_arrays(
                    train, len(actual), season_length
                )
                baseline_methods.add(naive_method)
                model_station.add(actual, model_forecast, scale)
                baseline_station.add(actual, naive_forecast, scale)
            origins += len(station_origins)
            model_by_station[station] = model_station.scores()
            baseline_by_station[station] = baseline_station.scores()
            model_pooled.extend(model_station)
            baseline_pooled.extend(baseline_station)
    return BacktestReport(
        model_method=spec.name,
        baseline_method="+".join(sorted(baseline_methods)),
        horizon=horizon,
        held_out_weeks=held_out_weeks,
        origins=origins,
        model=model_pooled.scores(),
        baseline=baseline_pooled.scores(),
        model_by_station=model_by_station,
        baseline_by_station=baseline_by_station,
        fallbacks=fallbacks,
    )
