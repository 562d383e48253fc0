"""Very large household runs: Lagrangian prices over every option, then one LP and rounding.

Above LP_MAX_HOUSEHOLDS, column generation from zero prices spends minutes in the simplex:
its first rounds' duals are far from the final prices, so each round brings in columns the
next throws away (38,000 households: seven rounds, 500 s). Solving parts of the households
on shares of the capacities instead is faster but loses about 2% of the objective, as each
part may use only its slice of every job's few slots.

Here the prices come first and cheaply: L-BFGS on the smoothed Lagrangian dual of the full
model (price_search.minimise_bound), each evaluation a pass over every usable pair. The exact
dual g at those prices is the PROVEN bound. Near-optimal prices pick out the options an
optimal plan uses: each household's few best options at those prices (and its housing-only
options) make a restricted master whose LP (interior point, then crossover to a vertex so
that at most one household per capacity row is fractional) comes within a few tenths of a
percent of the full LP. Its integral households are kept, the fractional ones settled by a
small MIP on what capacity is left, and a greedy pass places anyone still out. That rounding
cost about 0.35% on 38,000 households with every column of the fractional households in the
MIP (~12,000): HiGHS spent its whole time limit in cut rounds at the root (dual bound 7%
above the incumbent feasibility jump found; 60 s did no better than 20). Offered only the
LP's support and each household's two most valuable columns (~3,700), it ends about 0.1%
higher; offered the LP's support alone (~2,700), another 0.06% higher at half the time (10 s
against 20, on a busy machine). Greedy orders (by LP weight, value, value per place) and
CP-SAT did worse. The other columns are left to the greedy pass and to the moves and
exchanges of improve.py, which gain another 0.1% in about ten seconds.

The price search stops at the column-generation budget, so on a slower (or busier) machine
the prices, and with them the bound and the plan, are a little worse, never unproven.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from labour.engine.arrays import IndexedInstance
from labour.engine.columns import Columns
from labour.engine.households import (
    MIP_COLUMNS_PER_HOUSEHOLD,
    _build_model,
    _greedy_complete,
    _prices_from_duals,
    _round_and_repair,
    _seed_columns,
    _solution,
)
from labour.engine.households import (
    _Model as Model,
)
from labour.engine.improve import improve_by_exchanges, improve_by_moves
from labour.engine.master import _concat_columns, _MasterLP, _select, _signatures
from labour.engine.model import PlacementPolicy
from labour.engine.price_search import minimise_bound
from labour.engine.pricing import (
    OptionSpace,
    bound,
    nested_variants,
    price_columns,
)
from labour.engine.solution import Settlement, Solution

MASTER_COLUMNS_PER_HOUSEHOLD = 5
"""Options per household in the restricted master: on 38,000 households its LP is 0.5%
below the full LP with 2, 0.3% with 3 and 0.2% with 5, and solves no slower (30-45 s)."""
REPAIR_COLUMNS_PER_HOUSEHOLD = 6
"""Options per household at the prices offered to the rounding (with their nested variants):
to the MIP where the LP uses them or they are among the most valuable, else to the greedy."""
REPAIR_MOST_VALUABLE = 0
"""Besides the LP's support, each household's this many most valuable columns go to the
rounding MIP: with 2 its 10-s run ended 0.06% lower on 38,000 households, stuck at its root
on 45% more columns."""
PRICE_TEMPERATURES = (0.02, 0.005, 0.0015, 0.0005, 0.0002)
"""Falling smoothing temperatures of the price search: the last is small against the
value differences between a household's options (a few hundredths)."""
PRICE_EVALUATIONS = 80
"""L-BFGS evaluations per temperature; each is one pass over every usable pair (0.1 s on
38,000 households). The search stops earlier at the column-generation budget."""
LP_TIME_FACTOR = 2.0
"""The restricted master's time limit, as a multiple of the column-generation budget: on
38,000 households its LP takes 30-45 s on a shared two-core machine."""
ROUNDING_MIP_TIME_S = 10.0
"""The rounding MIP's time limit here (at most the policy's): on 38,000 households its last
ten of twenty seconds gained less than the exchanges of improve.py gain in eight."""
EXCHANGE_TIME_S = 8.0
"""Wall-clock limit of the exchanges after rounding (improve.py), largest gains first: on
38,000 households they gained ~0.06% in 8-17 s on a busy machine."""
PRICE_MEMORY = 30
"""L-BFGS correction pairs: more than the default 10 converge faster on 2,000 prices."""


def solve_by_restricted_master(
    indexed: IndexedInstance,
    policy: PlacementPolicy,
    found: Settlement,
    space: OptionSpace,
    started: float,
) -> Solution:
    """Plan of a run too large for column generation from zero prices (module docstring)."""
    budget = policy.column_generation_time_s
    prices, proven = minimise_bound(
        space,
        temperatures=PRICE_TEMPERATURES,
        evaluations=PRICE_EVALUATIONS,
        deadline=started + budget,
        memory=PRICE_MEMORY,
    )
    priced = time.perf_counter()
    columns = _unique(
        _concat_columns(
            [
                price_columns(space, prices, None, MASTER_COLUMNS_PER_HOUSEHOLD),
                _housing_only(space),
            ]
        )
    )
    model = _build_model(indexed, columns, policy, found)
    master = _MasterLP(model)
    # Interior point is several times faster than the simplex from scratch on 40,000 rows;
    # the crossover gives the vertex that rounding needs.
    master.highs.setOptionValue("solver", "ipm")
    master.highs.setOptionValue("run_crossover", "on")
    master.add(model.matrix[:, : model.n_placement_columns].tocsc(), columns.value)
    x, duals, lp_value, status = master.solve(LP_TIME_FACTOR * budget)
    notes = [
        f"Lagrangian prices over every option: proven bound {proven:.3f}",
        f"restricted master of {len(columns)} columns: LP {status}, {lp_value:.3f}",
    ]
    if status != "Optimal" or not len(x):
        fallback = _greedy_at_prices(
            indexed, policy, found, space, time.perf_counter(), given_prices=prices
        )
        fallback.notes = notes + fallback.notes
        return fallback
    lp_prices, _ = _prices_from_duals(model, duals)
    at_lp_prices = bound(space, lp_prices)
    if at_lp_prices < proven:
        proven = at_lp_prices
        notes.append(f"bound at the LP's prices {at_lp_prices:.3f}")
    solved = time.perf_counter()

    # The rounding MIP may also give a household a nearby option the LP did not need.
    wider = _concat_columns(
        [columns, price_columns(space, prices, None, REPAIR_COLUMNS_PER_HOUSEHOLD)]
    )
    assert wider.member_value is not None
    wider = _concat_columns(
        [wider, nested_variants(wider, wider.member_value, found.locked_household)]
    )
    n_shares = len(model.share_names)
    wide_x = np.concatenate([x[: len(columns)], np.zeros(len(wider) - len(columns))])
    keep = _first_of_each(wider)
    wider, wide_x = _select(wider, keep), wide_x[keep]
    wide_model = _build_model(indexed, wider, policy, found)
    # The rounding MIP gets the LP's support (and REPAIR_MOST_VALUABLE columns); the rest
    # only the greedy pass and the local improvement (NaN). On 38,000 households a MIP over
    # all ~12,000 columns of the fractional households never leaves its root in the time
    # limit; over the ~2,700 of the support it ends 0.15% higher.
    offered = (wide_x > 0) | _most_valuable(wider, REPAIR_MOST_VALUABLE)
    wide_x = np.where(offered, wide_x, np.nan)
    wide_x = np.concatenate([wide_x, x[len(columns) : len(columns) + n_shares]])
    rounding_policy = dataclasses.replace(
        policy, mip_time_limit_s=min(policy.mip_time_limit_s, ROUNDING_MIP_TIME_S)
    )
    chosen, placed = _round_and_repair(wide_model, wider, wide_x, rounding_policy, notes)
    chosen = _greedy_complete(wide_model, wider, chosen, placed, len(indexed.household_size))
    chosen = _improve(wide_model, wider, chosen)
    done = time.perf_counter()
    return _solution(
        indexed,
        wide_model,
        wider,
        chosen,
        duals,
        proven,
        "lagrangian_prices_restricted_master",
        notes,
        {"prices": priced - started, "master_lp": solved - priced, "integer": done - solved},
    )


def _improve(model: Model, columns: Columns, chosen: np.ndarray) -> np.ndarray:
    """Moves, exchanges within EXCHANGE_TIME_S, then moves again (improve.py)."""
    rows = (
        model.matrix[:, : model.n_placement_columns].tocsc(),
        model.row_lower,
        model.row_upper,
        model.job_row_start,
        model.share_row_start,
        columns,
    )
    chosen = improve_by_moves(*rows, chosen)
    chosen = improve_by_exchanges(*rows, chosen, time.perf_counter() + EXCHANGE_TIME_S)
    return improve_by_moves(*rows, chosen)


def _housing_only(space: OptionSpace) -> Columns:
    """Each household's housing-only options (jobs priced out of reach)."""
    unreachable = np.zeros(space.n_jobs + space.n_sites + space.n_shares)
    unreachable[: space.n_jobs] = 1e6
    return price_columns(space, unreachable, None, 1)


def _most_valuable(columns: Columns, per_household: int) -> np.ndarray:
    """Mask of each household's `per_household` most valuable columns."""
    order = np.lexsort((-columns.value, columns.household))
    households = columns.household[order]
    first = np.searchsorted(households, households, side="left")
    mask = np.zeros(len(columns), dtype=bool)
    mask[order[np.arange(len(order)) - first < per_household]] = True
    return mask


def _first_of_each(columns: Columns) -> np.ndarray:
    _, first = np.unique(_signatures(columns), return_index=True)
    return np.sort(first)


def _unique(columns: Columns) -> Columns:
    return _select(columns, _first_of_each(columns))


def _greedy_at_prices(
    indexed: IndexedInstance,
    policy: PlacementPolicy,
    found: Settlement,
    space: OptionSpace,
    started: float,
    given_prices: np.ndarray | None = None,
) -> Solution:
    """The fallback when the restricted master's LP does not finish: each household's best
    options at the prices (minimising the full-model bound, or given), households most
    valuable at the prices first (locked ones before everyone), each taking the first option
    that still fits; those not at their best option are settled again by a small MIP."""
    n_households = len(indexed.household_size)
    if given_prices is None:
        prices, proven = minimise_bound(space, deadline=started + policy.column_generation_time_s)
    else:
        prices, proven = given_prices, bound(space, given_prices)
    priced = time.perf_counter()
    columns = _concat_columns(
        [
            price_columns(space, prices, None, MIP_COLUMNS_PER_HOUSEHOLD),
            _seed_columns(space, indexed),
        ]
    )
    assert columns.member_value is not None
    variants = nested_variants(columns, columns.member_value, found.locked_household)
    columns = _concat_columns([columns, variants])
    _, first = np.unique(_signatures(columns), return_index=True)
    columns = _select(columns, np.sort(first))
    model = _build_model(indexed, columns, policy, found)
    job_price, site_price, _share_price = space.split(prices)
    reduced = (
        columns.value
        - np.bincount(
            columns.member_column, weights=job_price[columns.member_job], minlength=len(columns)
        )
        - site_price[columns.site] * indexed.household_size[columns.household]
    )
    household_best = np.full(n_households, -np.inf)
    np.maximum.at(household_best, columns.household, reduced)
    key = np.where(found.locked_household, np.inf, household_best)[columns.household]
    order = np.lexsort((-reduced, columns.household, -key))
    order = order[(reduced[order] > 0) | found.locked_household[columns.household[order]]]
    chosen = np.zeros(len(columns), dtype=bool)
    placed = np.zeros(n_households, dtype=bool)
    chosen = _greedy_complete(model, columns, chosen, placed, n_households, order)
    # Households that did not get their best option at the prices are settled again
    # together, by a small MIP on what capacity the others left.
    top = np.zeros(n_households, dtype=np.int64)
    top[columns.household[order[::-1]]] = order[::-1]
    settled = np.zeros(n_households, dtype=bool)
    settled[columns.household[chosen]] = chosen[top[columns.household[chosen]]]
    x = np.zeros(model.matrix.shape[1])
    x[: len(columns)] = np.where(settled[columns.household], chosen, 0.5)
    notes = [f"Lagrangian prices over every option: proven bound {proven:.3f}"]
    notes.append(f"{int((~settled).sum())} households not at their best option re-settled")
    chosen, placed = _round_and_repair(model, columns, x, policy, notes)
    chosen = _greedy_complete(model, columns, chosen, placed, n_households)
    duals = np.zeros(model.matrix.shape[0])
    duals[model.job_row_start : model.site_row_start] = -job_price
    duals[model.site_row_start : model.share_row_start] = -site_price
    done = time.perf_counter()
    return _solution(
        indexed,
        model,
        columns,
        chosen,
        duals,
        proven,
        "lagrangian_prices_greedy",
        notes,
        {"prices": priced - started, "greedy": done - priced},
    )
