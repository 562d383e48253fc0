"""The search for prices with a small proven bound: L-BFGS on the smoothed Lagrangian dual.

g(prices) of pricing.py is convex but piecewise linear; each member's and each household's
max is smoothed into temperature x log-sum-exp, minimised at falling temperatures, and only
the exact g at the prices found is ever reported as the bound.
"""

from __future__ import annotations

import time

import numpy as np
from scipy import optimize

from labour.engine.pricing import OptionSpace, bound, clip_prices, reduced_pairs


def smoothed(
    prices: np.ndarray, space: OptionSpace, temperature: float
) -> tuple[float, np.ndarray]:
    """g with each member's and each household's max replaced by temperature x log-sum-exp
    (members choosing independently), and its gradient, for L-BFGS-B. Only the exact `bound`
    at the prices found is ever reported."""
    _job_price, site_price, _share_price = space.split(prices)
    reduced = reduced_pairs(space, prices)
    if len(reduced) == 0:
        return bound(space, prices), space.rhs()
    run_of_pair = space.run_of_pair
    peak = space.run_max(reduced)
    peak = np.where(space.ps_forced, peak, np.maximum(peak, 0.0))
    weight = np.exp((reduced - peak[run_of_pair]) / temperature)
    total = space.run_sum(weight)
    total = total + np.where(space.ps_forced, 0.0, np.exp(-peak / temperature))
    ps_soft = peak + temperature * np.log(total)
    pair_share = weight / total[run_of_pair]
    option = (
        space.option_housing
        - site_price[space.option_site] * space.option_size
        + np.bincount(space.ps_option, weights=ps_soft, minlength=len(space.option_site))
    )
    o_starts = space.option_starts
    run_of_option = np.repeat(np.arange(len(o_starts)), np.diff(np.append(o_starts, len(option))))
    o_peak = np.maximum.reduceat(option, o_starts)
    o_peak = np.where(space.may_stay_out, np.maximum(o_peak, 0.0), o_peak)
    o_weight = np.exp((option - o_peak[run_of_option]) / temperature)
    o_total = np.add.reduceat(o_weight, o_starts)
    o_total = o_total + np.where(space.may_stay_out, np.exp(-o_peak / temperature), 0.0)
    value = float(prices @ space.rhs() + (o_peak + temperature * np.log(o_total)).sum())
    option_prob = o_weight / o_total[run_of_option]
    pair_prob = option_prob[space.ps_option][run_of_pair] * pair_share
    used_slots = np.bincount(space.pair_job, weights=pair_prob, minlength=space.n_jobs)
    used_housing = np.bincount(
        space.option_site, weights=option_prob * space.option_size, minlength=space.n_sites
    )
    covered = space.pair_groups.T @ pair_prob if space.n_shares else np.zeros(0)
    gradient = space.rhs() - np.concatenate([used_slots, used_housing, -covered])
    return value, gradient


def _stop_at(deadline: float | None) -> object:
    """An L-BFGS callback that ends the search once `deadline` has passed."""

    def check(intermediate_result: object) -> None:
        if deadline is not None and time.perf_counter() > deadline:
            raise StopIteration

    return check


def minimise_bound(
    space: OptionSpace,
    temperatures: tuple[float, ...] = (0.05, 0.015, 0.005),
    evaluations: int = 30,
    deadline: float | None = None,
    start: np.ndarray | None = None,
    memory: int = 10,
) -> tuple[np.ndarray, float]:
    """Prices with a small exact bound g (L-BFGS-B on the smoothed g at falling
    temperatures), and that bound. Stops early at `deadline` (time.perf_counter), between
    evaluations. `memory`: L-BFGS correction pairs kept."""
    n_prices = space.n_jobs + space.n_sites + space.n_shares
    prices = np.zeros(n_prices) if start is None else clip_prices(space, start)
    best_prices, best_bound = prices, bound(space, prices)
    limits = list(
        zip(
            np.zeros(n_prices),
            np.concatenate(
                [
                    np.full(space.n_jobs + space.n_sites, np.inf),
                    np.full(space.n_shares, space.share_cap),
                ]
            ),
            strict=True,
        )
    )
    for temperature in temperatures:
        if deadline is not None and time.perf_counter() > deadline:
            break
        result = optimize.minimize(
            smoothed,
            prices,
            args=(space, temperature),
            jac=True,
            method="L-BFGS-B",
            bounds=limits,
            options={"maxfun": evaluations, "maxiter": evaluations, "maxcor": memory},
            callback=_stop_at(deadline),
        )
        prices = clip_prices(space, result.x)
        value = bound(space, prices)
        if value < best_bound:
            best_prices, best_bound = prices, value
    return best_prices, best_bound
