"""Placement of households with several capacity dimensions: LP, rounding, MIP repair.

Model (maximise): sum of column values x_c, one column per household at most (exactly one
for households that may not move), job slots per job and housing places per site as
capacity rows, minimum shares as covering rows with a heavily penalised shortfall.

Up to LAGRANGIAN_ABOVE_COLUMNS candidate columns:
1. The LP relaxation (HiGHS simplex) gives the scarcity prices (row duals).
2. Households whose LP column is integral keep it.
3. The few fractional households are placed by a small MIP on the residual capacities.
4. A greedy pass places anyone still out wherever their best column still fits.
Above it (the simplex needs minutes on 38,000 household rows):
1. Lagrangian prices (see lagrangian.py) give the bound and the scarcity prices.
2. Households take their best column at those prices, most valuable first, if it fits.
3. The same greedy pass completes the plan.
Either way the bound is the Lagrangian dual value over all columns, an upper bound on the
LP relaxation, so the reported gap is conservative.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from labour.engine.arrays import CandidatePairs, IndexedInstance
from labour.engine.columns import Columns, build_columns
from labour.engine.lagrangian import (
    DualProblem,
    dual_value,
    make_dual_problem,
    minimise_dual,
)
from labour.engine.model import PlacementPolicy
from labour.engine.solution import Settlement, Solution

SHORTFALL_PENALTY = 10.0
"""Objective lost per group member below a minimum share: far above any score, so shares
are met whenever the capacities allow it."""
INTEGRAL = 1e-6
LAGRANGIAN_ABOVE_COLUMNS = 60_000
"""Up to this many candidate columns the simplex LP is fast; above it the simplex slows
down badly (40,000 household rows), so the Lagrangian prices place households directly."""
MIP_RELATIVE_GAP = 1e-2
"""The repair MIP covers a few hundred households; proving more than this is wasted time."""


@dataclass
class _Model:
    matrix: sparse.csc_matrix
    """Rows: households, jobs, sites, shares. Columns: placements, then share shortfalls."""
    row_lower: np.ndarray
    row_upper: np.ndarray
    value: np.ndarray
    n_placement_columns: int
    job_row_start: int
    site_row_start: int
    share_row_start: int
    share_names: list[str]


def _build_model(
    indexed: IndexedInstance, columns: Columns, policy: PlacementPolicy, found: Settlement
) -> _Model:
    n_households, n_jobs = len(indexed.household_size), len(indexed.job_slots)
    n_sites, n_columns = len(indexed.site_housing), len(columns)
    job_row, site_row = n_households, n_households + n_jobs
    share_row = site_row + n_sites
    share_masks = [indexed.group_mask(share.group) for share in policy.minimum_shares]
    rows = [columns.household, job_row + columns.member_job, site_row + columns.site]
    cols = [np.arange(n_columns), columns.member_column, np.arange(n_columns)]
    vals = [
        np.ones(n_columns),
        np.ones(len(columns.member_job)),
        indexed.household_size[columns.household].astype(float),
    ]
    required = []
    for index, (share, mask) in enumerate(zip(policy.minimum_shares, share_masks, strict=True)):
        in_group = mask[columns.member_person]
        rows += [np.full(int(in_group.sum()), share_row + index), [share_row + index]]
        cols += [columns.member_column[in_group], [n_columns + index]]
        vals += [np.ones(int(in_group.sum())), [1.0]]
        required.append(np.ceil(share.share * np.count_nonzero(mask & indexed.seeks_work)))
    n_shares = len(policy.minimum_shares)
    matrix = sparse.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(share_row + n_shares, n_columns + n_shares),
    )
    locked_lower = found.locked_household.astype(float)
    return _Model(
        matrix=matrix,
        row_lower=np.concatenate(
            [locked_lower, np.zeros(n_jobs + n_sites), np.array(required, dtype=float)]
        ),
        row_upper=np.concatenate(
            [
                np.ones(n_households),
                indexed.job_slots.astype(float),
                indexed.site_housing.astype(float),
                np.full(n_shares, np.inf),
            ]
        ),
        value=np.concatenate([columns.value, np.full(n_shares, -SHORTFALL_PENALTY)]),
        n_placement_columns=n_columns,
        job_row_start=job_row,
        site_row_start=site_row,
        share_row_start=share_row,
        share_names=[share.group.name for share in policy.minimum_shares],
    )


def _solve(
    matrix: sparse.csc_matrix,
    value: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    integer: bool,
    time_limit_s: float,
) -> tuple[np.ndarray, np.ndarray, float, str]:
    """Minimise -value; returns column values, row duals, objective and status text."""
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit_s))
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("mip_rel_gap", MIP_RELATIVE_GAP)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = -value
    lp.col_lower_ = np.zeros(matrix.shape[1])
    # Placement columns are at most 1; share shortfalls (negative value) are unbounded.
    lp.col_upper_ = np.where(value < 0, np.inf, 1.0)
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * matrix.shape[1]
    highs.passModel(lp)
    highs.run()
    status = highs.modelStatusToString(highs.getModelStatus())
    solution = highs.getSolution()
    if status == "Empty" or matrix.shape[1] == 0:
        return np.zeros(matrix.shape[1]), np.zeros(matrix.shape[0]), 0.0, "Empty"
    if not solution.value_valid:
        return np.zeros(matrix.shape[1]), np.zeros(matrix.shape[0]), 0.0, status
    x = np.array(solution.col_value)
    duals = np.array(solution.row_dual) if solution.dual_valid else np.zeros(matrix.shape[0])
    return x, duals, float(value @ x), status


def _dual_problem(model: _Model, columns: Columns, found: Settlement) -> DualProblem:
    placement = slice(0, model.n_placement_columns)
    capacity = slice(model.job_row_start, model.share_row_start)
    shares = slice(model.share_row_start, model.matrix.shape[0])
    rows = model.matrix[:, placement].tocsr()
    return make_dual_problem(
        household=columns.household,
        value=columns.value,
        capacity_rows=rows[capacity].tocsc(),
        capacity=model.row_upper[capacity],
        share_rows=rows[shares].tocsc(),
        share_required=model.row_lower[shares],
        share_price_cap=SHORTFALL_PENALTY,
        locked_household=found.locked_household,
    )


def _solve_work_lp(
    model: _Model, columns: Columns, found: Settlement, notes: list[str]
) -> tuple[np.ndarray, np.ndarray, float]:
    """LP over the columns that employ someone, keep locked households, or cover shares.

    Housing-only columns are left out of the LP: they are worth little, and thousands of
    equal-valued alternatives make the simplex crawl through degenerate pivots. The greedy
    completion places them afterwards, and the Lagrangian bound still counts them.

    The bound is the Lagrangian dual value at the LP's duals, over all columns.
    """
    is_candidate = (np.arange(model.n_placement_columns) < columns.n_work) | (
        found.locked_household[columns.household]
    )
    problem = _dual_problem(model, columns, found)
    bound = np.inf
    active = np.flatnonzero(is_candidate)
    shortfalls = model.n_placement_columns + np.arange(len(model.share_names))
    for pricing_round in range(1):
        with_shortfalls = np.concatenate([np.sort(active), shortfalls])
        x_active, duals, lp_value, status = _solve(
            model.matrix[:, with_shortfalls].tocsc(),
            model.value[with_shortfalls],
            model.row_lower,
            model.row_upper,
            False,
            1e9,
        )
        # "Empty": nobody can be employed and nobody is locked; only housing remains to give.
        if status not in ("Optimal", "Empty"):
            raise RuntimeError(f"placement LP not solved: {status}")
        lp_prices = np.concatenate(
            [
                np.maximum(0.0, -duals[model.job_row_start : model.share_row_start]),
                np.clip(duals[model.share_row_start :], 0.0, SHORTFALL_PENALTY),
            ]
        )
        lp_bound, reduced = dual_value(problem, lp_prices)
        bound = min(bound, lp_bound)
        notes.append(f"pricing round {pricing_round}: LP {lp_value:.3f}, bound {bound:.3f}")
        break
    x = np.full(model.matrix.shape[1], np.nan)
    x[with_shortfalls] = x_active
    notes.append(
        f"LP over {len(with_shortfalls)} of {model.matrix.shape[1]} columns: {lp_value:.3f};"
        f" best Lagrangian bound over all columns: {bound:.3f}"
    )
    return x, duals, bound


def _greedy_complete(
    model: _Model,
    columns: Columns,
    chosen: np.ndarray,
    placed: np.ndarray,
    n_households: int,
    order: np.ndarray | None = None,
) -> np.ndarray:
    """Give every household still out the first column, in `order` (default: by value),
    that fits what capacity remains."""
    used = model.matrix[:, : model.n_placement_columns] @ chosen.astype(float)
    remaining = model.row_upper - used
    if order is None:
        open_columns = np.flatnonzero(~placed[columns.household])
        order = open_columns[np.argsort(-columns.value[open_columns], kind="stable")]
    indptr, indices, data = model.matrix.indptr, model.matrix.indices, model.matrix.data
    for column in order:
        household = columns.household[column]
        if placed[household]:
            continue
        rows = indices[indptr[column] : indptr[column + 1]]
        amounts = data[indptr[column] : indptr[column + 1]]
        capacity_rows = rows >= n_households
        if np.all(remaining[rows[capacity_rows]] >= amounts[capacity_rows] - 1e-9):
            remaining[rows] -= amounts
            chosen[column] = True
            placed[household] = True
    return chosen


def _place_by_prices(
    model: _Model, columns: Columns, found: Settlement, notes: list[str]
) -> tuple[np.ndarray, np.ndarray, float]:
    """Chosen columns, capacity prices and bound from the Lagrangian dual (large models).

    Households most valuable at the prices go first, each to its best column at the prices
    that still fits; households that may not move go before everyone.
    """
    problem = _dual_problem(model, columns, found)
    prices, bound = minimise_dual(problem)
    _, reduced_sorted = dual_value(problem, prices)
    reduced = np.empty_like(reduced_sorted)
    reduced[problem.order] = reduced_sorted
    household_best = np.full(len(found.locked_household), -np.inf)
    np.maximum.at(household_best, columns.household, reduced)
    household_key = np.where(found.locked_household, np.inf, household_best)
    worth_it = (reduced > 0) | found.locked_household[columns.household]
    candidates = np.flatnonzero(worth_it)
    order = candidates[
        np.lexsort(
            (
                -reduced[candidates],
                columns.household[candidates],
                -household_key[columns.household[candidates]],
            )
        )
    ]
    chosen = np.zeros(model.n_placement_columns, dtype=bool)
    placed = np.zeros(len(found.locked_household), dtype=bool)
    chosen = _greedy_complete(model, columns, chosen, placed, len(placed), order)
    notes.append(f"Lagrangian prices over {len(columns)} columns: bound {bound:.3f}")
    n_capacity = model.share_row_start - model.job_row_start
    row_duals = np.zeros(model.matrix.shape[0])
    row_duals[model.job_row_start : model.share_row_start] = -prices[:n_capacity]
    return chosen, row_duals, bound


def _round_and_repair(
    model: _Model, columns: Columns, x: np.ndarray, policy: PlacementPolicy, notes: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the LP's integral households; place the fractional ones by a small MIP."""
    n_households = model.job_row_start
    placement_x = np.nan_to_num(x[: model.n_placement_columns])
    # Columns the LP never saw (NaN) stay out of the MIP; the greedy completion sees them.
    in_lp = ~np.isnan(x[: model.n_placement_columns])
    chosen = placement_x >= 1 - INTEGRAL
    placed = np.zeros(n_households, dtype=bool)
    placed[columns.household[chosen]] = True
    household_total = np.bincount(columns.household, weights=placement_x, minlength=n_households)
    fractional = (~placed) & (household_total > INTEGRAL)
    notes.append(f"{int(fractional.sum())} households fractional in the LP")
    repair_columns = np.flatnonzero(fractional[columns.household] & in_lp)
    if len(repair_columns):
        used = model.matrix[:, : model.n_placement_columns] @ chosen.astype(float)
        sub_columns = np.concatenate(
            [repair_columns, model.n_placement_columns + np.arange(len(model.share_names))]
        )
        lower = model.row_lower - used
        upper = model.row_upper - used
        # Household rows of households already placed or not in the repair are left free.
        lower[:n_households] = np.where(fractional, model.row_lower[:n_households], 0.0)
        upper[:n_households] = np.where(fractional, 1.0, 0.0)
        mip_x, _, _, mip_status = _solve(
            model.matrix[:, sub_columns].tocsc(),
            model.value[sub_columns],
            np.minimum(lower, upper),
            upper,
            True,
            policy.mip_time_limit_s,
        )
        picked = repair_columns[mip_x[: len(repair_columns)] > 0.5]
        chosen[picked] = True
        placed[columns.household[picked]] = True
        notes.append(f"MIP repair of {len(repair_columns)} columns: {mip_status}")
    return chosen, placed


def solve_households(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    policy: PlacementPolicy,
    found: Settlement,
) -> Solution:
    started = time.perf_counter()
    columns = build_columns(indexed, pairs, policy, found)
    model = _build_model(indexed, columns, policy, found)
    built = time.perf_counter()
    notes: list[str] = []
    n_households = len(indexed.household_size)
    is_candidate = (np.arange(len(columns)) < columns.n_work) | found.locked_household[
        columns.household
    ]
    if is_candidate.sum() > LAGRANGIAN_ABOVE_COLUMNS:
        method = "lagrangian_prices_greedy"
        chosen, duals, bound = _place_by_prices(model, columns, found, notes)
        placed = np.zeros(n_households, dtype=bool)
        placed[columns.household[chosen]] = True
        lp_done = time.perf_counter()
    else:
        method = "lp_round_repair"
        x, duals, bound = _solve_work_lp(model, columns, found, notes)
        lp_done = time.perf_counter()
        chosen, placed = _round_and_repair(model, columns, x, policy, notes)
    chosen = _greedy_complete(model, columns, chosen, placed, n_households)
    done = time.perf_counter()

    person_job = np.full(indexed.n_persons, -1, dtype=np.int64)
    person_site = np.full(indexed.n_persons, -1, dtype=np.int64)
    chosen_columns = np.flatnonzero(chosen)
    for column in chosen_columns:
        person_site[indexed.household_members[columns.household[column]]] = columns.site[column]
    employed = chosen[columns.member_column]
    person_job[columns.member_person[employed]] = columns.member_job[employed]

    final_x = np.concatenate([chosen.astype(float), np.zeros(len(model.share_names))])
    achieved = model.matrix @ final_x
    shortfall = {}
    for index, name in enumerate(model.share_names):
        row = model.share_row_start + index
        shortfall[name] = float(max(0.0, model.row_lower[row] - achieved[row]))
    objective = float(columns.value[chosen].sum()) - SHORTFALL_PENALTY * sum(shortfall.values())
    # HiGHS reports d(min cost)/d(rhs); the scarcity price is the gain per extra unit.
    job_rows = slice(model.job_row_start, model.site_row_start)
    site_rows = slice(model.site_row_start, model.share_row_start)
    return Solution(
        person_job=person_job,
        person_site=person_site,
        job_price=np.maximum(0.0, -duals[job_rows]),
        site_price=np.maximum(0.0, -duals[site_rows]),
        objective=objective,
        bound=bound,
        method=method,
        seconds={
            "build": built - started,
            "lp_or_prices": lp_done - built,
            "round_and_repair": done - lp_done,
        },
        notes=notes,
        share_shortfall=shortfall,
    )
