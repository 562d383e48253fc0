"""A seeded synthetic arrival history shaped like the 1961 cable, for tests, demos and bench.

The cable gives: crossings began in the first half of 1960, few at first, then a rapid
rise; 20,517 arrivals by 8 November 1961 across six reception stations; on that day over
700 people at Onsong, over 300 at Hoeryong, over 250 at Kyongsong, over 100 at Musan; and
officials expected more once the river froze. The generator reproduces those shapes, not
any real weekly figure (there are none).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from .series import WEEK_FREQUENCY, freeze_intensity, week_start

CABLE_DATE = date(1961, 11, 8)
CABLE_TOTAL_ARRIVALS = 20_517

# Shares follow the people present at each station on 8 November (700/300/250/100); the
# cable names Namyang but gives no figure, and leaves the sixth station unnamed.
CABLE_STATION_SHARES: Mapping[str, float] = {
    "Onsong": 0.34,
    "Hoeryong": 0.16,
    "Kyongsong": 0.14,
    "Namyang": 0.14,
    "Musan": 0.08,
    "Sixth station": 0.14,
}

# Logistic growth of the province-wide weekly rate, tuned so that about 600 people a week
# arrive in autumn 1961: with a stay of about three weeks that fills the stations to the
# 1,500-odd people the cable counts on 8 November, and the 20,517 total still adds up.
GROWTH_MIDPOINT = date(1961, 10, 15)
GROWTH_SCALE_WEEKS = 20.0
WINTER_UPLIFT = 0.7  # solid ice multiplies the weekly rate by 1.7
WINTER_SHIFT_SD_DAYS = 8.0
STATION_NOISE_SD = 0.12  # log-scale sd of each station's slow-moving deviation
STATION_NOISE_PERSISTENCE = 0.7
NEGATIVE_BINOMIAL_SIZE = 25.0  # extra-Poisson spread from families crossing together


def _winter_shift_by_year(years: range, rng: np.random.Generator) -> dict[int, float]:
    return {year: float(rng.normal(0.0, WINTER_SHIFT_SD_DAYS)) for year in years}


def _province_rate_shape(weeks: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    middles = weeks + pd.Timedelta(days=3)
    weeks_from_midpoint = (middles - pd.Timestamp(GROWTH_MIDPOINT)).days.to_numpy() / 7.0
    growth = 1.0 / (1.0 + np.exp(-weeks_from_midpoint / GROWTH_SCALE_WEEKS))
    winter_years = np.where(middles.month >= 7, middles.year, middles.year - 1)
    shifts = _winter_shift_by_year(range(winter_years.min(), winter_years.max() + 1), rng)
    ice = np.empty(len(middles))
    for year, shift in shifts.items():
        in_year = winter_years == year
        ice[in_year] = freeze_intensity(middles[in_year], shift_days=shift)
    return growth * (1.0 + WINTER_UPLIFT * ice)


def synthetic_history(
    *,
    seed: int = 1961,
    weeks: int = 100,
    last_week: date = CABLE_DATE,
    station_shares: Mapping[str, float] = CABLE_STATION_SHARES,
    total_to_cable_date: int = CABLE_TOTAL_ARRIVALS,
) -> dict[str, pd.Series]:
    """Weekly arrivals per station, ``weeks`` long, ending with the week of ``last_week``.

    The expected province total from the first generated week up to the cable's week
    is scaled to ``total_to_cable_date``; realised counts scatter around it (negative
    binomial with autocorrelated station-level deviations), so a given seed lands near,
    not exactly on, 20,517. Passing a ``last_week`` after the cable extends the same
    curve, which lets a backtest hold out a winter.
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    if not station_shares or any(share <= 0 for share in station_shares.values()):
        raise ValueError("station shares must be positive")
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(week_start(last_week))
    index = pd.date_range(end=end, periods=weeks, freq=WEEK_FREQUENCY, name="week_start")
    cable_week = pd.Timestamp(week_start(CABLE_DATE))
    calibration_index = pd.date_range(
        start=min(index[0], cable_week), end=max(end, cable_week), freq=WEEK_FREQUENCY
    )
    shape = _province_rate_shape(calibration_index, rng)
    up_to_cable = calibration_index <= cable_week
    scale = total_to_cable_date / shape[up_to_cable].sum()
    province_rate = pd.Series(shape * scale, index=calibration_index).reindex(index).to_numpy()

    share_total = sum(station_shares.values())
    histories: dict[str, pd.Series] = {}
    for station, share in station_shares.items():
        deviation = np.empty(weeks)
        level = rng.normal(0.0, STATION_NOISE_SD)
        innovation_sd = STATION_NOISE_SD * np.sqrt(1 - STATION_NOISE_PERSISTENCE**2)
        for position in range(weeks):
            level = STATION_NOISE_PERSISTENCE * level + rng.normal(0.0, innovation_sd)
            deviation[position] = level
        mean = province_rate * (share / share_total) * np.exp(deviation)
        # Gamma-Poisson mixture = negative binomial with the chosen size.
        gamma = rng.gamma(NEGATIVE_BINOMIAL_SIZE, mean / NEGATIVE_BINOMIAL_SIZE)
        counts = rng.poisson(gamma).astype(float)
        histories[station] = pd.Series(counts, index=index, name="arrivals")
    return histories


def history_pairs(series: pd.Series) -> list[tuple[date, int]]:
    """The ``(week_start, count)`` pairs form of a weekly series (what a database query gives)."""
    return [(stamp.date(), int(count)) for stamp, count in series.items()]
