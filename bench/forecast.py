"""Benchmark the arrivals forecast: page-load time and backtest accuracy in one run.

Run from the repository root:  .venv/bin/python bench/forecast.py [--quick]

* time to forecast 6 stations x 100 weeks (cold fit, and from the cache), target < 1 s;
* rolling-origin backtest on the demo history (ending 8 Nov 1961): model vs
  seasonal-naive, MAPE and 80%/95% interval coverage;
* the same on a history extended through winter 1961-62, where the freeze matters,
  with the candidate model specs side by side (the evidence for the default).

The last stdout line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

# Must be set before numpy loads its BLAS: the fits are tiny and the cores are shared.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

IMPORT_STARTED = time.perf_counter()
from supplies.forecast import (  # noqa: E402
    CANDIDATE_SPECS,
    DEFAULT_SPEC,
    ForecastCache,
    StationState,
    backtest,
    forecast_stations,
    project_needs,
    synthetic_history,
)

IMPORT_SECONDS = time.perf_counter() - IMPORT_STARTED
PAGE_BUDGET_SECONDS = 1.0
WINTER_LAST_WEEK = date(1962, 3, 26)


def time_forecasts(histories: dict[str, Any], repeats: int) -> dict[str, float]:
    cold = []
    for _ in range(repeats):
        started = time.perf_counter()
        forecast_stations(histories, cache=None)
        cold.append(time.perf_counter() - started)
    cache = ForecastCache()
    forecast_stations(histories, cache=cache)
    started = time.perf_counter()
    forecasts = forecast_stations(histories, cache=cache)
    cached = time.perf_counter() - started
    states = {name: StationState(beds=300, occupancy=200) for name in histories}
    started = time.perf_counter()
    project_needs(forecasts, states)
    needs = time.perf_counter() - started
    return {
        "cold_median_s": round(statistics.median(cold), 3),
        "cold_max_s": round(max(cold), 3),
        "cached_s": round(cached, 4),
        "needs_projection_s": round(needs, 4),
    }


def summarise(report_dict: dict[str, Any]) -> dict[str, Any]:
    keys = ("mape", "smape", "mase", "coverage_80", "coverage_95", "mean_width_80", "points")
    return {
        "model_method": report_dict["model_method"],
        "held_out_weeks": report_dict["held_out_weeks"],
        "origins": report_dict["origins"],
        "fallbacks": report_dict["fallbacks"],
        "model": {key: report_dict["model"][key] for key in keys},
        "seasonal_naive": {key: report_dict["baseline"][key] for key in keys},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the spec comparison")
    parser.add_argument("--seed", type=int, default=1961)
    arguments = parser.parse_args()

    histories = synthetic_history(seed=arguments.seed, weeks=100)
    timing = time_forecasts(histories, repeats=5)
    print(f"import statsmodels+engine: {IMPORT_SECONDS:.2f} s (once per process)")
    print(
        f"forecast 6 stations x 100 weeks: cold median {timing['cold_median_s']} s, "
        f"max {timing['cold_max_s']} s, cached {timing['cached_s']} s"
    )

    started = time.perf_counter()
    demo = summarise(backtest(histories, held_out_weeks=24, step=2).as_dict())
    demo["seconds"] = round(time.perf_counter() - started, 1)
    print(
        f"demo backtest ({demo['origins']} origins): model MAPE {demo['model']['mape']}% "
        f"cov80 {demo['model']['coverage_80']} cov95 {demo['model']['coverage_95']} | "
        f"seasonal-naive MAPE {demo['seasonal_naive']['mape']}% "
        f"cov80 {demo['seasonal_naive']['coverage_80']} "
        f"cov95 {demo['seasonal_naive']['coverage_95']}"
    )

    winter_histories = synthetic_history(seed=arguments.seed, weeks=100, last_week=WINTER_LAST_WEEK)
    specs = (DEFAULT_SPEC,) if arguments.quick else CANDIDATE_SPECS
    winter: dict[str, Any] = {}
    for spec in specs:
        result = summarise(
            backtest(winter_histories, held_out_weeks=20, step=2, spec=spec).as_dict()
        )
        winter[spec.name] = result
        print(
            f"winter backtest {spec.name}: MAPE {result['model']['mape']}% "
            f"cov80 {result['model']['coverage_80']} cov95 {result['model']['coverage_95']} "
            f"| seasonal-naive MAPE {result['seasonal_naive']['mape']}%"
        )

    summary = {
        "bench": "forecast",
        "stations": len(histories),
        "history_weeks": 100,
        "horizon_weeks": 12,
        "default_spec": DEFAULT_SPEC.name,
        "import_s": round(IMPORT_SECONDS, 2),
        "forecast": timing,
        "page_budget_s": PAGE_BUDGET_SECONDS,
        "within_budget_cold": timing["cold_max_s"] < PAGE_BUDGET_SECONDS,
        "backtest_demo": demo,
        "backtest_winter": winter,
    }
    print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    main()
