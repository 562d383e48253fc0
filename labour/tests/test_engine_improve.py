"""Local improvement of a household plan (improve.py) and the price search's smoothed dual."""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy import sparse

from labour.engine.arrays import build_candidate_pairs, index_instance
from labour.engine.columns import Columns
from labour.engine.history import GroundTruthRetention
from labour.engine.improve import improve_by_exchanges, improve_by_moves
from labour.engine.instances import generate_household_instance
from labour.engine.master import SHORTFALL_PENALTY
from labour.engine.model import PlacementPolicy
from labour.engine.price_search import smoothed
from labour.engine.pricing import OptionSpace, bound, build_option_space
from labour.engine.solution import settlement

# Rows: household 0, household 1, one job with one slot, one site with ten places, and one
# minimum share. Columns: A = h0 housed only (counts towards the share), B = h0 on the job,
# C = h1 on the job, D = h1 housed only.
A, B, C, D = 0, 1, 2, 3
USAGE = {A: [0, 3, 4], B: [0, 2, 3], C: [1, 2, 3], D: [1, 3]}
N_HOUSEHOLDS, SHARE_ROW = 2, 4


def _rows(
    values: list[float], locked_h1: bool = False, share_required: float = 0.0
) -> tuple[sparse.csc_matrix, np.ndarray, np.ndarray, int, int, Columns]:
    rows = [row for column in (A, B, C, D) for row in USAGE[column]]
    cols = [column for column in (A, B, C, D) for _ in USAGE[column]]
    matrix = sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(5, 4))
    lower = np.array([0.0, 1.0 if locked_h1 else 0.0, 0.0, 0.0, share_required])
    upper = np.array([1.0, 1.0, 1.0, 10.0, np.inf])
    columns = Columns(
        n_work=4,
        household=np.array([0, 0, 1, 1]),
        site=np.zeros(4, dtype=np.int64),
        value=np.array(values, dtype=float),
        member_column=np.zeros(0, dtype=np.int64),
        member_person=np.zeros(0, dtype=np.int64),
        member_job=np.zeros(0, dtype=np.int64),
    )
    return matrix, lower, upper, N_HOUSEHOLDS, SHARE_ROW, columns


def _chosen(*picked: int) -> np.ndarray:
    chosen = np.zeros(4, dtype=bool)
    chosen[list(picked)] = True
    return chosen


def _later() -> float:
    return time.perf_counter() + 60.0


def test_a_household_moves_to_a_better_option_that_fits() -> None:
    rows = _rows([1.0, 2.0, 2.4, 2.5])
    improved = improve_by_moves(*rows, _chosen(A, D))
    assert improved.tolist() == _chosen(B, D).tolist()


def test_a_move_never_overfills_a_job() -> None:
    rows = _rows([1.0, 2.0, 3.0, 2.5])
    # The job's only slot is h1's: B does not fit, so nothing moves.
    assert improve_by_moves(*rows, _chosen(A, C)).tolist() == _chosen(A, C).tolist()


def test_a_move_keeps_a_minimum_share_met() -> None:
    rows = _rows([1.0, 2.0, 2.4, 2.5], share_required=1.0)
    # B would gain 1 but leave the share (met only by A) short.
    assert improve_by_moves(*rows, _chosen(A, D)).tolist() == _chosen(A, D).tolist()


def test_an_exchange_displaces_the_holder_to_its_next_option_when_both_gain() -> None:
    rows = _rows([1.0, 2.0, 3.0, 2.5])
    improved = improve_by_exchanges(*rows, _chosen(A, C), _later())
    # h0 gains 1 on the job, h1 loses 0.5 housed only: 4.5 against 4.0.
    assert improved.tolist() == _chosen(B, D).tolist()
    assert rows[5].value[improved].sum() == pytest.approx(4.5)


def test_no_exchange_that_loses() -> None:
    rows = _rows([1.0, 2.0, 3.0, 1.5])
    # h1 would lose 1.5 for h0's gain of 1.
    assert improve_by_exchanges(*rows, _chosen(A, C), _later()).tolist() == _chosen(A, C).tolist()


def test_an_exchange_may_leave_out_only_a_household_that_may_be_left_out() -> None:
    # h1 has only C worth anything; D is worth less than nothing.
    free = _rows([1.0, 2.0, 0.5, -1.0])
    assert improve_by_exchanges(*free, _chosen(A, C), _later()).tolist() == _chosen(B).tolist()
    locked = _rows([1.0, 2.0, 0.5, -1.0], locked_h1=True)
    kept = improve_by_exchanges(*locked, _chosen(A, C), _later())
    assert kept.tolist() == _chosen(A, C).tolist()


def _space(seed: int) -> OptionSpace:
    instance = generate_household_instance(
        n_households=60, n_sites=6, sites_per_household=3, seed=seed
    )
    policy = PlacementPolicy()
    indexed = index_instance(instance)
    pairs = build_candidate_pairs(indexed, policy, GroundTruthRetention())
    found = settlement(indexed, policy)
    return build_option_space(indexed, pairs, policy, found, [], np.zeros(0), SHORTFALL_PENALTY)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_smoothed_dual_lies_above_the_bound_and_its_gradient_is_right(seed: int) -> None:
    space = _space(seed)
    prices = np.random.default_rng(seed).uniform(0.0, 0.3, space.n_jobs + space.n_sites)
    exact = bound(space, prices)
    # Log-sum-exp is above the max, and members choosing independently only add options.
    for temperature in (0.05, 0.001):
        value, _ = smoothed(prices, space, temperature)
        assert value >= exact - 1e-9
    value, gradient = smoothed(prices, space, 0.05)
    step = np.zeros_like(prices)
    for index in np.random.default_rng(seed).choice(
        len(prices), min(5, len(prices)), replace=False
    ):
        step[:] = 0.0
        step[index] = 1e-6
        forward, _ = smoothed(prices + step, space, 0.05)
        backward, _ = smoothed(prices - step, space, 0.05)
        assert (forward - backward) / 2e-6 == pytest.approx(gradient[index], abs=1e-4)


def test_run_maxima_and_sums_match_a_plain_loop() -> None:
    space = _space(3)
    values = np.random.default_rng(3).normal(size=len(space.pair_value))
    ends = np.append(space.ps_starts[1:], len(values))
    expected_max = [values[s:e].max() for s, e in zip(space.ps_starts, ends, strict=True)]
    expected_sum = [values[s:e].sum() for s, e in zip(space.ps_starts, ends, strict=True)]
    assert np.array_equal(space.run_max(values), expected_max)
    assert np.allclose(space.run_sum(values), expected_sum)
