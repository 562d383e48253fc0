"""Arrival forecasting and needs projection (plain Python, no Django).

Typical use from a view or a management command::

    forecasts = forecast_stations({"Onsong": weekly_counts, ...}, horizon=12)
    projection = project_needs(forecasts, {"Onsong": StationState(beds=600, occupancy=700)})
    report = backtest(histories, held_out_weeks=24)   # model vs seasonal-naive

Histories are pandas Series indexed by week start (or any dates, summed per Monday week)
or iterables of ``(week_start, count)`` pairs.
"""

from .backtest import AccuracyScores, BacktestReport, backtest
from .baseline import SEASON_LENGTH_WEEKS, seasonal_naive_forecast
from .model import (
    CANDIDATE_SPECS,
    DEFAULT_CACHE,
    DEFAULT_SPEC,
    ForecastCache,
    ModelSpec,
    forecast_arrivals,
    forecast_stations,
)
from .needs import (
    DEFAULT_LENGTH_OF_STAY_DAYS,
    DEFAULT_STOCK_RULES,
    NeedsProjection,
    StationState,
    StockRule,
    StockSummary,
    WeekNeeds,
    needs_columns,
    needs_rows,
    project_needs,
    projected_occupancy,
    write_needs_csv,
)
from .result import StationForecast, WeeklyForecast
from .series import HistoryError, to_weekly_series, weekly_freeze_regressor
from .synthetic import CABLE_STATION_SHARES, synthetic_history

__all__ = [
    "CABLE_STATION_SHARES",
    "CANDIDATE_SPECS",
    "DEFAULT_CACHE",
    "DEFAULT_LENGTH_OF_STAY_DAYS",
    "DEFAULT_SPEC",
    "DEFAULT_STOCK_RULES",
    "SEASON_LENGTH_WEEKS",
    "AccuracyScores",
    "BacktestReport",
    "ForecastCache",
    "HistoryError",
    "ModelSpec",
    "NeedsProjection",
    "StationForecast",
    "StationState",
    "StockRule",
    "StockSummary",
    "WeekNeeds",
    "WeeklyForecast",
    "backtest",
    "forecast_arrivals",
    "forecast_stations",
    "needs_columns",
    "needs_rows",
    "project_needs",
    "projected_occupancy",
    "seasonal_naive_forecast",
    "synthetic_history",
    "to_weekly_series",
    "weekly_freeze_regressor",
    "write_needs_csv",
]
