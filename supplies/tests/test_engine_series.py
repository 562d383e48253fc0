"""Weekly series normalisation, calendar regressors and the synthetic cable history."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from supplies.forecast import HistoryError, synthetic_history, to_weekly_series
from supplies.forecast.series import annual_fourier_terms, freeze_intensity, week_start
from supplies.forecast.synthetic import CABLE_STATION_SHARES, CABLE_TOTAL_ARRIVALS, history_pairs


def test_pairs_are_snapped_to_mondays_summed_and_gaps_filled_with_zero() -> None:
    series = to_weekly_series(
        [
            (date(1961, 1, 4), 3),  # Wednesday of the week starting Monday 2 January
            (date(1961, 1, 2), 2),
            (date(1961, 1, 19), 5),  # two weeks later, so the week of 9 January is empty
        ]
    )
    assert list(series.index.date) == [date(1961, 1, 2), date(1961, 1, 9), date(1961, 1, 16)]
    assert series.tolist() == [5.0, 0.0, 5.0]


def test_clean_weekly_series_passes_through_unchanged() -> None:
    index = pd.date_range("1961-01-02", periods=4, freq="W-MON")
    original = pd.Series([1, 2, 3, 4], index=index)
    series = to_weekly_series(original)
    assert series.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert list(series.index) == list(index)


def test_unsorted_series_with_gaps_is_regrouped() -> None:
    index = pd.to_datetime(["1961-01-16", "1961-01-02"])
    series = to_weekly_series(pd.Series([4, 1], index=index))
    assert series.tolist() == [1.0, 0.0, 4.0]


@pytest.mark.parametrize(
    "bad",
    [[], [(date(1961, 1, 2), -1)], [(date(1961, 1, 2), "many")]],
    ids=["empty", "negative", "not-a-number"],
)
def test_unusable_histories_are_refused(bad: list[tuple[date, object]]) -> None:
    with pytest.raises(HistoryError):
        to_weekly_series(bad)


def test_week_start_is_the_monday() -> None:
    assert week_start(date(1961, 11, 8)) == date(1961, 11, 6)
    assert week_start(date(1961, 11, 6)) == date(1961, 11, 6)


def test_river_is_frozen_in_january_open_in_july_and_ramps_between() -> None:
    days = pd.to_datetime(["1962-01-15", "1961-07-15", "1961-11-30", "1962-03-16", "1961-11-10"])
    ice = freeze_intensity(days)
    assert ice[0] == 1.0
    assert ice[1] == 0.0
    assert 0.4 < ice[2] < 0.6  # halfway between 15 November and 15 December
    assert 0.4 < ice[3] < 0.6  # halfway through the March break-up
    assert ice[4] == 0.0


def test_a_later_winter_shifts_the_freeze() -> None:
    day = pd.to_datetime(["1961-12-01"])
    assert freeze_intensity(day, shift_days=10)[0] < freeze_intensity(day)[0]


def test_fourier_terms_have_two_columns_per_pair_and_a_yearly_period() -> None:
    weeks = pd.date_range("1960-01-04", periods=105, freq="W-MON")
    terms = annual_fourier_terms(weeks, pairs=2)
    assert terms.shape == (105, 4)
    assert np.allclose(terms[0], terms[52], atol=0.08)  # 52 weeks is a day short of a year
    assert not np.allclose(terms[0], terms[26], atol=0.5)


def test_synthetic_history_matches_the_cable_shape() -> None:
    histories = synthetic_history(seed=7)
    assert set(histories) == set(CABLE_STATION_SHARES)
    frame = pd.DataFrame(histories)
    assert frame.shape == (100, 6)
    assert frame.index[-1].date() == date(1961, 11, 6)
    total = frame.to_numpy().sum()
    assert abs(total - CABLE_TOTAL_ARRIVALS) / CABLE_TOTAL_ARRIVALS < 0.06
    weekly = frame.sum(axis=1)
    assert weekly.iloc[-8:].mean() > 8 * weekly.iloc[8:16].mean()  # few at first, then fast
    assert frame["Onsong"].sum() > 2 * frame["Hoeryong"].sum() * 0.9  # biggest station


def test_synthetic_winter_is_higher_than_the_autumn_before_it() -> None:
    frame = pd.DataFrame(synthetic_history(seed=3, last_week=date(1962, 3, 26)))
    weekly = frame.sum(axis=1)
    autumn = weekly["1961-09-01":"1961-10-31"].mean()
    deep_winter = weekly["1961-12-20":"1962-02-28"].mean()
    assert deep_winter > 1.5 * autumn


def test_synthetic_history_is_reproducible_by_seed() -> None:
    first = synthetic_history(seed=11, weeks=30)
    again = synthetic_history(seed=11, weeks=30)
    other = synthetic_history(seed=12, weeks=30)
    assert all(first[name].equals(again[name]) for name in first)
    assert not all(first[name].equals(other[name]) for name in first)


def test_history_pairs_round_trip() -> None:
    series = synthetic_history(seed=5, weeks=20)["Musan"]
    assert to_weekly_series(history_pairs(series)).tolist() == series.tolist()


def test_through_pads_quiet_final_weeks_and_drops_later_records() -> None:
    pairs = [(date(1961, 10, 2), 4), (date(1961, 10, 9), 6), (date(1961, 12, 4), 9)]
    series = to_weekly_series(pairs, through=date(1961, 10, 25))
    assert series.index[-1].date() == date(1961, 10, 23)
    assert series.tolist() == [4.0, 6.0, 0.0, 0.0]
    with pytest.raises(HistoryError):
        to_weekly_series(pairs, through=date(1961, 9, 1))


def test_one_pair_per_person_is_summed_into_weeks() -> None:
    arrivals = [(date(1961, 11, day), 1) for day in (6, 7, 7, 8, 13)]
    assert to_weekly_series(arrivals).tolist() == [4.0, 1.0]
