"""Lagrangian prices for the household model: a valid bound and a good set of columns.

Pricing out the capacity and share rows leaves one small choice per household, so the dual
function g(y) = y.d + sum_h max(0, max_c v_c - (C^T y)_c) is cheap to evaluate on millions
of columns. Any y >= 0 gives an upper bound on the LP (weak duality). We minimise a smoothed
g (log-sum-exp instead of max) with L-BFGS-B at decreasing temperatures; the exact g at the
resulting prices is the bound, and each household's best columns under those prices seed
the LP, which is then far smaller than the full model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse


@dataclass
class DualProblem:
    """Columns sorted by household, with the priced rows as one matrix."""

    order: np.ndarray
    """Permutation that sorts columns by household."""
    starts: np.ndarray
    """Start of each household's run in sorted order (households with columns only)."""
    group: np.ndarray
    """Group (household run) of each sorted column."""
    has_zero_option: np.ndarray
    """Per group: the household may stay out (False for households that may not move)."""
    value: np.ndarray
    priced: sparse.csr_matrix
    """C^T in sorted column order: reduced value = value - priced @ y."""
    rhs: np.ndarray
    upper: np.ndarray


def make_dual_problem(
    household: np.ndarray,
    value: np.ndarray,
    capacity_rows: sparse.csc_matrix,
    capacity: np.ndarray,
    share_rows: sparse.csc_matrix,
    share_required: np.ndarray,
    share_price_cap: float,
    locked_household: np.ndarray,
) -> DualProblem:
    order = np.argsort(household, kind="stable")
    sorted_household = household[order]
    starts = np.flatnonzero(np.concatenate([[True], sorted_household[1:] != sorted_household[:-1]]))
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(order))))
    # Share rows are covering (>=): flipping their sign turns them into priced <= rows.
    stacked = sparse.vstack([capacity_rows, -share_rows]).tocsc()[:, order]
    return DualProblem(
        order=order,
        starts=starts,
        group=group,
        has_zero_option=~locked_household[sorted_household[starts]],
        value=value[order],
        priced=stacked.T.tocsr(),
        rhs=np.concatenate([capacity, -share_required]),
        upper=np.concatenate(
            [np.full(len(capacity), np.inf), np.full(len(share_required), share_price_cap)]
        ),
    )


def dual_value(problem: DualProblem, prices: np.ndarray) -> tuple[float, np.ndarray]:
    """Exact g(prices) and each sorted column's reduced value."""
    reduced = problem.value - problem.priced @ prices
    best = np.maximum.reduceat(reduced, problem.starts) if len(reduced) else np.zeros(0)
    best = np.where(problem.has_zero_option, np.maximum(best, 0.0), best)
    return float(prices @ problem.rhs + best.sum()), reduced


def _smoothed(
    prices: np.ndarray, problem: DualProblem, temperature: float
) -> tuple[float, np.ndarray]:
    reduced = problem.value - problem.priced @ prices
    peak = np.maximum.reduceat(reduced, problem.starts)
    peak = np.where(problem.has_zero_option, np.maximum(peak, 0.0), peak)
    weights = np.exp((reduced - peak[problem.group]) / temperature)
    total = np.add.reduceat(weights, problem.starts)
    total = total + np.where(problem.has_zero_option, np.exp(-peak / temperature), 0.0)
    value = prices @ problem.rhs + float((peak + temperature * np.log(total)).sum())
    share = weights / total[problem.group]
    gradient = problem.rhs - problem.priced.T @ share
    return value, gradient


def minimise_dual(
    problem: DualProblem,
    start: np.ndarray | None = None,
    temperatures: tuple[float, ...] = (0.1, 0.03, 0.01, 0.003),
    evaluations_per_temperature: int = 60,
) -> tuple[np.ndarray, float]:
    """Prices with a small exact dual value, and that value (an upper bound on the LP)."""
    prices = np.zeros(len(problem.rhs)) if start is None else start.copy()
    best_prices, best_bound = prices, dual_value(problem, prices)[0]
    bounds = list(zip(np.zeros(len(problem.rhs)), problem.upper, strict=True))
    for temperature in temperatures:
        result = optimize.minimize(
            _smoothed,
            prices,
            args=(problem, temperature),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxfun": evaluations_per_temperature, "maxiter": evaluations_per_temperature},
        )
        prices = np.clip(result.x, 0.0, problem.upper)
        bound = dual_value(problem, prices)[0]
        if bound < best_bound:
            best_prices, best_bound = prices, bound
    return best_prices, best_bound


def best_columns_per_household(
    problem: DualProblem, reduced: np.ndarray, per_household: int
) -> np.ndarray:
    """Original indices of each household's `per_household` best columns by reduced value."""
    order = np.lexsort((-reduced, problem.group))
    rank = np.arange(len(order)) - problem.starts[problem.group[order]]
    return problem.order[order[rank < per_household]]
