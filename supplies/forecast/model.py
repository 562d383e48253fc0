"""The arrivals model: ARIMA(0,1,1) on log1p counts with a river-freeze regressor.

Why this model (``bench/forecast.py`` re-runs the backtest that backs each point):

* Counts grow roughly multiplicatively, so the model works on ``log1p(count)``; the
  intervals come back through ``expm1`` and so are skewed upwards and never negative,
  and the point forecast is the median, which is what MAPE rewards.
* About 100 weeks hold under two yearly cycles: a 52-lag seasonal ARIMA or Holt-Winters
  would need two full cycles just to start. The winter effect instead enters as one
  regressor, the climatological ice cover of the border river, whose future values are
  known in advance. On a held-out winter it beat both no seasonal term and two annual
  Fourier pairs (which spend four parameters on one observed winter).
* ARIMA(0,1,1) without drift is exponential smoothing of the log level: it follows the
  growth but does not extrapolate it. A fitted drift (and ARIMA(1,1,0)) kept projecting
  the steep 1960-61 climb and overshot by half on held-out weeks; the drift-free model
  halved the error and its 80%/95% intervals covered close to 80%/95%.
* Weeks before a station was really in use (4-week mean under 10 arrivals) are left out
  of the fit: log counts of 0-5 people are mostly Poisson noise, and they inflated the
  variance so much that intervals covered 99% instead of 95%.
* It fits in tens of milliseconds with statsmodels' state-space SARIMAX, so six stations
  fit well inside the page budget; fits are also cached on the exact history.
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.sarimax import SARIMAX
from threadpoolctl import threadpool_limits

from .baseline import seasonal_naive_arrays
from .result import IntervalArrays, StationForecast
from .series import (
    HistoryInput,
    annual_fourier_terms,
    future_week_starts,
    to_weekly_series,
    weekly_freeze_regressor,
)

SeasonalTerms = Literal["freeze", "fourier", "none"]
MIN_WEEKS_FOR_MODEL = 16
MIN_ACTIVE_WEEKLY_MEAN = 10.0
ACTIVE_WINDOW_WEEKS = 4
Z_80 = 1.2815515655446004
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class ModelSpec:
    """Which ARIMA variant to fit; specs are hashable so they can key the cache."""

    name: str
    order: tuple[int, int, int] = (0, 1, 1)
    seasonal_terms: SeasonalTerms = "freeze"
    fourier_pairs: int = 2
    drift: bool = False


FREEZE_ARIMA = ModelSpec("log_arima011_freeze")
FOURIER_ARIMA = ModelSpec("log_arima011_fourier2", seasonal_terms="fourier")
PLAIN_ARIMA = ModelSpec("log_arima011", seasonal_terms="none")
DRIFT_ARIMA = ModelSpec("log_arima110_drift_freeze", order=(1, 1, 0), drift=True)
DEFAULT_SPEC = FREEZE_ARIMA
CANDIDATE_SPECS = (FREEZE_ARIMA, FOURIER_ARIMA, PLAIN_ARIMA, DRIFT_ARIMA)


def active_start(values: np.ndarray) -> int:
    """Index of the first week of the fit window: once the station was really in use.

    Keeps at least ``MIN_WEEKS_FOR_MODEL`` weeks, so a young station still gets a model.
    """
    if len(values) <= MIN_WEEKS_FOR_MODEL:
        return 0
    window = np.ones(ACTIVE_WINDOW_WEEKS) / ACTIVE_WINDOW_WEEKS
    trailing_mean = np.convolve(values, window, mode="full")[: len(values)]
    active = np.flatnonzero(trailing_mean >= MIN_ACTIVE_WEEKLY_MEAN)
    start = int(active[0]) if active.size else 0
    return min(start, len(values) - MIN_WEEKS_FOR_MODEL)


def _seasonal_columns(spec: ModelSpec, week_starts: pd.DatetimeIndex) -> np.ndarray:
    if spec.seasonal_terms == "freeze":
        return weekly_freeze_regressor(week_starts)[:, None]
    if spec.seasonal_terms == "fourier":
        return annual_fourier_terms(week_starts, spec.fourier_pairs)
    return np.empty((len(week_starts), 0))


def model_arrays(
    values: np.ndarray, week_starts: pd.DatetimeIndex, horizon: int, spec: ModelSpec = DEFAULT_SPEC
) -> tuple[IntervalArrays, str]:
    """Forecast arrays and the method actually used, from a plain weekly count array.

    Falls back to the seasonal-naive baseline (method ``<spec>:fallback``) when the
    history is too short or the optimiser fails, so the planning page always gets numbers.
    """
    values = np.asarray(values, dtype=float)
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    if len(values) < MIN_WEEKS_FOR_MODEL or not np.any(values > 0):
        arrays, _ = seasonal_naive_arrays(values, horizon)
        return arrays, f"{spec.name}:fallback"
    start = active_start(values)
    fit_values, fit_weeks = values[start:], week_starts[start:]
    future = future_week_starts(fit_weeks[-1], horizon)
    history_exog = _seasonal_columns(spec, fit_weeks)
    future_exog = _seasonal_columns(spec, future)
    # A regressor that never varied in the history (e.g. summer-only data) cannot be
    # estimated and makes the likelihood flat; leave it out.
    varying = np.ptp(history_exog, axis=0) > 1e-9
    history_exog, future_exog = history_exog[:, varying], future_exog[:, varying]
    if history_exog.shape[1] == 0:
        history_exog = future_exog = None
    try:
        with warnings.catch_warnings():
            # Short series routinely trip statsmodels' convergence and start-value
            # warnings; the backtest, not the optimiser's chatter, judges the model.
            warnings.simplefilter("ignore")
            fitted = SARIMAX(
                np.log1p(fit_values),
                exog=history_exog,
                order=spec.order,
                trend="c" if spec.drift else "n",
                concentrate_scale=True,
            ).fit(disp=False)
            prediction = fitted.get_forecast(steps=horizon, exog=future_exog)
            mean = np.asarray(prediction.predicted_mean)
            spread = np.sqrt(np.asarray(prediction.var_pred_mean))
    except (ValueError, np.linalg.LinAlgError):
        arrays, _ = seasonal_naive_arrays(values, horizon)
        return arrays, f"{spec.name}:fallback"
    if not np.all(np.isfinite(mean)) or not np.all(np.isfinite(spread)):
        arrays, _ = seasonal_naive_arrays(values, horizon)
        return arrays, f"{spec.name}:fallback"
    # Cap the log-scale bounds so a wild fit cannot overflow expm1 into infinity.
    ceiling = np.log1p(fit_values.max()) + 5.0

    def back(log_value: np.ndarray) -> np.ndarray:
        return np.expm1(np.minimum(log_value, ceiling))

    arrays = IntervalArrays.from_bounds(
        back(mean),
        back(mean - Z_80 * spread),
        back(mean + Z_80 * spread),
        back(mean - Z_95 * spread),
        back(mean + Z_95 * spread),
    )
    return arrays, spec.name


class ForecastCache:
    """A small thread-safe LRU of station forecasts keyed by the exact history.

    The planning page is read far more often than arrivals change (a week's counts move
    only when someone registers), so caching on a hash of the history means refits
    happen once per new registration batch, not once per page view.
    """

    def __init__(self, max_entries: int = 256) -> None:
        self._entries: OrderedDict[str, StationForecast] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(station: str, series: pd.Series, horizon: int, spec: ModelSpec) -> str:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(station.encode())
        digest.update(repr((horizon, spec)).encode())
        digest.update(np.asarray(series.index.asi8).tobytes())
        digest.update(np.asarray(series.to_numpy(), dtype=float).tobytes())
        return digest.hexdigest()

    def get(self, key: str) -> StationForecast | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, forecast: StationForecast) -> None:
        with self._lock:
            self._entries[key] = forecast
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


DEFAULT_CACHE = ForecastCache()


def forecast_arrivals(
    history: HistoryInput,
    *,
    station: str = "",
    horizon: int = 12,
    spec: ModelSpec = DEFAULT_SPEC,
    cache: ForecastCache | None = DEFAULT_CACHE,
    through: date | None = None,
) -> StationForecast:
    """Forecast one station's weekly arrivals ``horizon`` weeks ahead with 80%/95% intervals.

    ``history`` is a Series indexed by week (or any dates, summed per Monday week) or an
    iterable of ``(date, count)`` pairs. ``through`` fixes the last history week (see
    ``to_weekly_series``). Pass ``cache=None`` to force a refit.
    """
    series = to_weekly_series(history, through=through)
    key = ForecastCache.key(station, series, horizon, spec) if cache is not None else ""
    if cache is not None and (cached := cache.get(key)) is not None:
        return cached
    # One BLAS thread: these matrices are tiny and the machine's cores are shared, so
    # multi-threaded BLAS only adds contention (measured: several times slower).
    with threadpool_limits(limits=1):
        arrays, method = model_arrays(
            series.to_numpy(), pd.DatetimeIndex(series.index), horizon, spec
        )
    future = future_week_starts(pd.Timestamp(series.index[-1]), horizon)
    forecast = StationForecast.from_arrays(station, method, len(series), future, arrays)
    if cache is not None:
        cache.put(key, forecast)
    return forecast


def forecast_stations(
    histories: Mapping[str, HistoryInput],
    *,
    horizon: int = 12,
    spec: ModelSpec = DEFAULT_SPEC,
    cache: ForecastCache | None = DEFAULT_CACHE,
    through: date | None = None,
) -> dict[str, StationForecast]:
    """Forecast every station in ``histories`` (station name -> weekly arrivals).

    Give ``through`` (a day in the last complete week) so that a station with no
    arrivals lately is forecast from the same week as the others.
    """
    return {
        station: forecast_arrivals(
            history, station=station, horizon=horizon, spec=spec, cache=cache, through=through
        )
        for station, history in histories.items()
    }
