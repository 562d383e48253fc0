"""Placement of households with several capacity dimensions: column generation, then MIP.

Model (maximise): sum of column values x_c, one column per household at most (exactly one
for households that may not move), job slots per job and housing places per site as
capacity rows, minimum shares as covering rows with a heavily penalised shortfall. A column
is one household option (a site, and a job or none for each work seeker there).

1. Seed columns: each household's best options at zero prices and housing-only options.
2. Column generation: solve the restricted LP (HiGHS simplex, warm-started as columns are
   added), take its duals as prices, and add each household's best options at those prices
   whose reduced value beats the household's dual (pricing.py). Every round evaluates the
   full-model bound g(prices) of pricing.py at the LP's duals: a PROVEN upper bound over all
   household options, not only the generated ones. Stop when no column prices in, the LP
   meets the bound, or the time budget is spent.
3. The exact MIP over the generated columns (HiGHS, time-limited) for up to
   MIP_MAX_HOUSEHOLDS households; larger runs, or a MIP that finds nothing in time, keep the
   LP's integral households and place the fractional ones by a small MIP.
4. A greedy pass places anyone still out wherever their best column still fits.

Above LP_MAX_HOUSEHOLDS households the prices come first instead (large.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from labour.engine.arrays import CandidatePairs, IndexedInstance
from labour.engine.columns import Columns
from labour.engine.master import (
    SHORTFALL_PENALTY,
    _concat_columns,
    _MasterLP,
    _select,
    _signatures,
)
from labour.engine.model import PlacementPolicy
from labour.engine.pricing import (
    OptionSpace,
    bound,
    build_option_space,
    nested_variants,
    price_columns,
)
from labour.engine.solution import (
    Settlement,
    Solution,
)

INTEGRAL = 1e-6
MIP_MAX_HOUSEHOLDS = 10_000
"""Up to this many households the exact MIP over the generated columns is tried."""
LP_MAX_HOUSEHOLDS = 12_000
"""Above this many households column generation from zero prices crawls (40,000 household
rows take minutes): Lagrangian prices over every option choose a restricted master first
(large.py), still under a proven bound."""
MIP_RELATIVE_GAP = 1e-3
"""The MIP stops within 0.1% of its own bound: far inside what the plan needs."""
MAX_PRICING_ROUNDS = 30
COLUMNS_PER_HOUSEHOLD = 2
MIP_COLUMNS_PER_HOUSEHOLD = 4
"""New columns per household and round: its best options at the LP's prices."""


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
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, float, str]:
    """Minimise -value; returns column values, row duals, objective and status text. A MIP
    may start from a known feasible `start`."""
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
    if start is not None:
        initial = highspy.HighsSolution()
        initial.col_value = start.astype(float).tolist()
        initial.value_valid = True
        highs.setSolution(initial)
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


def _round_and_repair(
    model: _Model, columns: Columns, x: np.ndarray, policy: PlacementPolicy, notes: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the LP's integral households; place the fractional ones by a small MIP."""
    n_households = model.job_row_start
    placement_x = np.nan_to_num(x[: model.n_placement_columns])
    # Columns the LP never saw (NaN) stay out of the MIP; the greedy completion sees them.
    in_lp = ~np.isnan(x[: model.n_placement_columns])
    # The LP's integral columns, kept only while they fit: an LP stopped by its time limit
    # may not be feasible, and a kept column must never overfill a job or a site.
    integral = np.flatnonzero(placement_x >= 1 - INTEGRAL)
    integral = integral[np.argsort(-columns.value[integral], kind="stable")]
    chosen = np.zeros(model.n_placement_columns, dtype=bool)
    placed = np.zeros(n_households, dtype=bool)
    chosen = _greedy_complete(model, columns, chosen, placed, n_households, integral)
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


def _prices_from_duals(model: _Model, duals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Capacity and share prices (pricing.py order), and each household's own price."""
    prices = np.concatenate(
        [
            np.maximum(0.0, -duals[model.job_row_start : model.share_row_start]),
            np.clip(duals[model.share_row_start :], 0.0, SHORTFALL_PENALTY),
        ]
    )
    return prices, -duals[: model.job_row_start]


def _seed_columns(space: OptionSpace, indexed: IndexedInstance) -> Columns:
    """Best options at zero prices, and housing-only options (jobs priced out of reach)."""
    n_prices = space.n_jobs + space.n_sites + space.n_shares
    free = price_columns(space, np.zeros(n_prices), None, COLUMNS_PER_HOUSEHOLD)
    unreachable = np.zeros(n_prices)
    unreachable[: space.n_jobs] = 1e6
    housing_only = price_columns(space, unreachable, None, 1)
    return _concat_columns([free, housing_only])


def solve_households(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    policy: PlacementPolicy,
    found: Settlement,
) -> Solution:
    started = time.perf_counter()
    n_households = len(indexed.household_size)
    share_masks = [indexed.group_mask(share.group) for share in policy.minimum_shares]
    required = np.array(
        [
            np.ceil(share.share * np.count_nonzero(mask & indexed.seeks_work))
            for share, mask in zip(policy.minimum_shares, share_masks, strict=True)
        ],
        dtype=float,
    )
    space = build_option_space(
        indexed, pairs, policy, found, share_masks, required, SHORTFALL_PENALTY
    )
    if n_households > LP_MAX_HOUSEHOLDS:
        from labour.engine.large import solve_by_restricted_master

        return solve_by_restricted_master(indexed, policy, found, space, started)
    columns = _seed_columns(space, indexed)
    signatures = _signatures(columns)
    _, first = np.unique(signatures, return_index=True)
    columns = _select(columns, np.sort(first))
    seen = set(_signatures(columns).tolist())
    model = _build_model(indexed, columns, policy, found)
    master = _MasterLP(model)
    master.add(model.matrix[:, : model.n_placement_columns].tocsc(), columns.value)
    built = time.perf_counter()
    notes: list[str] = []
    best_bound, lp_value = np.inf, -np.inf
    x = np.zeros(0)
    duals = np.zeros(model.matrix.shape[0])
    budget = policy.column_generation_time_s
    for pricing_round in range(MAX_PRICING_ROUNDS):
        x, duals, lp_value, status = master.solve(budget - (time.perf_counter() - built))
        if status not in ("Optimal", "Empty"):
            notes.append(f"round {pricing_round}: LP {status}")
            if not len(x):
                raise RuntimeError(f"placement LP not solved: {status}")
            break
        prices, household_price = _prices_from_duals(model, duals)
        best_bound = min(best_bound, bound(space, prices))
        if best_bound - lp_value <= 1e-7 * max(1.0, abs(best_bound)):
            notes.append(f"round {pricing_round}: LP {lp_value:.3f} meets the bound")
            break
        if time.perf_counter() - built > budget:
            notes.append(f"round {pricing_round}: time budget spent")
            break
        new = price_columns(space, prices, household_price, COLUMNS_PER_HOUSEHOLD)
        new_signatures = _signatures(new)
        fresh = np.array([s not in seen for s in new_signatures.tolist()], dtype=bool)
        if not fresh.any():
            notes.append(f"round {pricing_round}: no column prices in")
            break
        new = _select(new, np.flatnonzero(fresh))
        seen.update(new_signatures[fresh].tolist())
        new_model = _build_model(indexed, new, policy, found)
        master.add(new_model.matrix[:, : new_model.n_placement_columns].tocsc(), new.value)
        columns = _concat_columns([columns, new])
    model = _build_model(indexed, columns, policy, found)
    notes.append(
        f"column generation: {len(columns)} columns, LP {lp_value:.3f},"
        f" proven bound {best_bound:.3f}"
    )
    lp_done = time.perf_counter()

    # An incumbent first: the LP's integral households, a small MIP for the fractional
    # ones, then the greedy pass. Large runs stop here.
    chosen, placed = _round_and_repair(model, columns, x, policy, notes)
    chosen = _greedy_complete(model, columns, chosen, placed, n_households)
    method = "lp_round_repair"
    if n_households <= MIP_MAX_HOUSEHOLDS:
        n_before = len(columns)
        columns = _widen_for_mip(space, indexed, columns, duals, model, found)
        model = _build_model(indexed, columns, policy, found)
        start = np.zeros(model.matrix.shape[1])
        start[:n_before] = chosen
        achieved = model.matrix @ start
        for index in range(len(model.share_names)):
            row = model.share_row_start + index
            start[model.n_placement_columns + index] = max(
                0.0, model.row_lower[row] - achieved[row]
            )
        incumbent = float(model.value @ start)
        mip_x, _, mip_value, mip_status = _solve(
            model.matrix,
            model.value,
            model.row_lower,
            model.row_upper,
            True,
            policy.mip_time_limit_s,
            start,
        )
        notes.append(
            f"MIP over {len(columns)} columns from {incumbent:.3f}: {mip_status}, {mip_value:.3f}"
        )
        if len(mip_x) and mip_value >= incumbent - 1e-9:
            chosen = mip_x[: model.n_placement_columns] > 0.5
            method = "column_generation_mip"
        else:
            chosen = start[: model.n_placement_columns] > 0.5
        placed = np.zeros(n_households, dtype=bool)
        placed[columns.household[chosen]] = True
        chosen = _greedy_complete(model, columns, chosen, placed, n_households)
    done = time.perf_counter()
    return _solution(
        indexed,
        model,
        columns,
        chosen,
        duals,
        best_bound,
        method,
        notes,
        {
            "build": built - started,
            "column_generation": lp_done - built,
            "integer": done - lp_done,
        },
    )


def _widen_for_mip(
    space: OptionSpace,
    indexed: IndexedInstance,
    columns: Columns,
    duals: np.ndarray,
    model: _Model,
    found: Settlement,
) -> Columns:
    """More options for the MIP than the LP needed: each household's best few options at the
    final prices, and the smaller variants (k best workers) of every column, so that an
    integral plan can give way where the LP split a household between two options."""
    prices, _ = _prices_from_duals(model, duals)
    wider = price_columns(space, prices, None, MIP_COLUMNS_PER_HOUSEHOLD)
    merged = _concat_columns([columns, wider])
    assert merged.member_value is not None
    variants = nested_variants(merged, merged.member_value, found.locked_household)
    merged = _concat_columns([merged, variants])
    _, first = np.unique(_signatures(merged), return_index=True)
    return _select(merged, np.sort(first))


def _solution(
    indexed: IndexedInstance,
    model: _Model,
    columns: Columns,
    chosen: np.ndarray,
    duals: np.ndarray,
    proven_bound: float,
    method: str,
    notes: list[str],
    seconds: dict[str, float],
) -> Solution:
    person_job = np.full(indexed.n_persons, -1, dtype=np.int64)
    person_site = np.full(indexed.n_persons, -1, dtype=np.int64)
    for column in np.flatnonzero(chosen):
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
        bound=proven_bound,
        method=method,
        seconds=seconds,
        notes=notes,
        share_shortfall=shortfall,
    )
