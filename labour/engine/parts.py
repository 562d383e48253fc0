"""Very large household runs: solve parts of the households exactly, under one proven bound.

Above LP_MAX_HOUSEHOLDS the simplex over every household row takes minutes. The households
are dealt at random into parts of at most PART_HOUSEHOLDS; each part gets its share of every
job's slots and every site's housing (by its number of people) and is solved by column
generation and rounding like a small run. Their plans together are feasible for the whole
run, and a greedy pass gives the places no part used to anyone still out. The bound is the
full model's Lagrangian dual (pricing.py) at the best of: the parts' averaged LP prices, and
those prices improved by L-BFGS on the smoothed dual, so it stays a proven upper bound.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np

from labour.engine.arrays import CandidatePairs, IndexedInstance, index_instance
from labour.engine.households import (
    MIP_COLUMNS_PER_HOUSEHOLD,
    _build_model,
    _greedy_complete,
    _round_and_repair,
    _seed_columns,
    _solution,
)
from labour.engine.master import SHORTFALL_PENALTY, _concat_columns, _select, _signatures
from labour.engine.model import PlacementPolicy
from labour.engine.pricing import (
    OptionSpace,
    bound,
    build_option_space,
    minimise_bound,
    nested_variants,
    price_columns,
)
from labour.engine.solution import (
    Settlement,
    Solution,
    pair_rows,
    reserve_prices,
    settlement,
    stay_bonus_per_pair,
)

PART_HOUSEHOLDS = 9_000


def _split_capacity(capacity: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(parts, n) integer capacities summing to `capacity`, proportional to `weights`."""
    share = np.outer(weights / weights.sum(), capacity)
    base = np.floor(share).astype(np.int64)
    rest = capacity - base.sum(axis=0)
    order = np.argsort(-(share - base), axis=0, kind="stable")
    for column in np.flatnonzero(rest > 0):
        base[order[: rest[column], column], column] += 1
    return base


def solve_in_parts(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    policy: PlacementPolicy,
    found: Settlement,
    solve_part: object,
) -> Solution | None:
    """None when the run cannot be split (households already placed, or minimum shares)."""
    from labour.engine import households as solver

    if found.locked_household.any() or found.movable_household.any() or policy.minimum_shares:
        return None
    started = time.perf_counter()
    instance = indexed.instance
    n_households = len(indexed.household_size)
    n_parts = math.ceil(n_households / PART_HOUSEHOLDS)
    part_of = np.random.default_rng(0).permutation(n_households) % n_parts
    people = np.array(
        [indexed.household_size[part_of == k].sum() for k in range(n_parts)], dtype=float
    )
    slots = _split_capacity(indexed.job_slots, people)
    housing = _split_capacity(indexed.site_housing, people)
    person_job = np.full(indexed.n_persons, -1, dtype=np.int64)
    person_site = np.full(indexed.n_persons, -1, dtype=np.int64)
    job_price = np.zeros(len(indexed.job_slots))
    site_price = np.zeros(len(indexed.site_housing))
    notes: list[str] = [f"{n_parts} parts of about {n_households // n_parts} households"]
    for k in range(n_parts):
        households = np.flatnonzero(part_of == k)
        persons = np.sort(
            np.concatenate([indexed.household_members[h] for h in households.tolist()])
        )
        sub = replace(
            instance,
            persons=tuple(instance.persons[p] for p in persons.tolist()),
            households=tuple(instance.households[h] for h in households.tolist()),
            jobs=tuple(replace(job, slots=int(slots[k, j])) for j, job in enumerate(instance.jobs)),
            sites=tuple(
                replace(site, housing_places=int(housing[k, s]))
                for s, site in enumerate(instance.sites)
            ),
        )
        sub_indexed = index_instance(sub, policy)
        new_index = np.full(indexed.n_persons, -1, dtype=np.int64)
        new_index[persons] = np.arange(len(persons))
        keep = new_index[pairs.person] >= 0
        sub_person = new_index[pairs.person[keep]]
        sub_pairs = CandidatePairs(
            person=sub_person,
            job=pairs.job[keep],
            failures=pairs.failures[keep],
            stay=pairs.stay[keep],
            score=pairs.score[keep],
            offsets=np.searchsorted(sub_person, np.arange(len(persons) + 1)),
        )
        part = solver.solve_households(
            sub_indexed, sub_pairs, policy, settlement(sub_indexed, policy), in_part=True
        )
        person_job[persons] = part.person_job
        person_site[persons] = part.person_site
        job_price += part.job_price / n_parts
        site_price += part.site_price / n_parts
        notes += [f"part {k}: {note}" for note in part.notes[-2:]]
    solved = time.perf_counter()
    share_masks: list[np.ndarray] = []
    space = build_option_space(indexed, pairs, policy, found, share_masks, np.zeros(0), 10.0)
    averaged = np.concatenate([job_price, site_price])
    proven = bound(space, averaged)
    improved, improved_bound = minimise_bound(
        space,
        temperatures=(0.003,),
        evaluations=15,
        deadline=started + 2 * policy.column_generation_time_s,
        start=averaged,
    )
    notes.append(f"bound at the parts' prices {proven:.3f}, improved {improved_bound:.3f}")
    proven = min(proven, improved_bound)
    solution = complete_and_value(
        indexed, pairs, policy, found, person_job, person_site, job_price, site_price
    )
    by_prices = _solve_by_prices(
        indexed, policy, found, space, time.perf_counter(), given_prices=improved
    )
    notes.append(
        f"parts {solution.objective:.3f}, greedy at their prices {by_prices.objective:.3f}"
    )
    if by_prices.objective > solution.objective:
        solution = by_prices
    solution.bound = proven
    solution.method = "column_generation_in_parts"
    solution.notes = notes + solution.notes
    solution.seconds = {
        "parts": solved - started,
        "bound": time.perf_counter() - solved - solution.seconds.get("complete", 0.0),
        **solution.seconds,
    }
    return solution


def _solve_by_prices(
    indexed: IndexedInstance,
    policy: PlacementPolicy,
    found: Settlement,
    space: OptionSpace,
    started: float,
    given_prices: np.ndarray | None = None,
) -> Solution:
    """Large runs: prices minimising the full-model bound (or given), then each household's best
    options at those prices, households most valuable at the prices first (locked ones
    before everyone), each taking the first option that still fits."""
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


def complete_and_value(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    policy: PlacementPolicy,
    found: Settlement,
    person_job: np.ndarray,
    person_site: np.ndarray,
    job_price: np.ndarray,
    site_price: np.ndarray,
) -> Solution:
    """A plan put together from parts: households still out take, greedily, their best
    options at the prices that fit what capacity is left; then the plan's objective."""
    started = time.perf_counter()
    n_households = len(indexed.household_size)
    space = build_option_space(indexed, pairs, policy, found, [], np.zeros(0), SHORTFALL_PENALTY)
    prices = np.concatenate([job_price, site_price])
    columns = _concat_columns(
        [
            price_columns(space, prices, None, MIP_COLUMNS_PER_HOUSEHOLD),
            _seed_columns(space, indexed),
        ]
    )
    household_site = np.full(n_households, -1, dtype=np.int64)
    housed = np.flatnonzero(person_site >= 0)
    household_site[indexed.person_household[housed]] = person_site[housed]
    out = household_site < 0
    columns = _select(columns, np.flatnonzero(out[columns.household]))
    model = _build_model(indexed, columns, policy, found)
    used_jobs = np.bincount(person_job[person_job >= 0], minlength=len(indexed.job_slots))
    used_sites = np.bincount(person_site[housed], minlength=len(indexed.site_housing))
    model.row_upper[model.job_row_start : model.site_row_start] -= used_jobs
    model.row_upper[model.site_row_start : model.share_row_start] -= used_sites
    chosen = np.zeros(len(columns), dtype=bool)
    chosen = _greedy_complete(model, columns, chosen, ~out.copy(), n_households)
    for column in np.flatnonzero(chosen):
        person_site[indexed.household_members[columns.household[column]]] = columns.site[column]
    employed = chosen[columns.member_column]
    person_job[columns.member_person[employed]] = columns.member_job[employed]
    value = pairs.score + stay_bonus_per_pair(indexed, pairs, policy, found)
    job_reserve, site_reserve = reserve_prices(indexed, policy)
    working = np.flatnonzero(person_job >= 0)
    rows = pair_rows(indexed, pairs, working, person_job[working])
    objective = float((value[rows] - job_reserve[pairs.job[rows]]).sum())
    placed_people = np.flatnonzero(person_site >= 0)
    objective += float((policy.housing_value - site_reserve[person_site[placed_people]]).sum())
    return Solution(
        person_job=person_job,
        person_site=person_site,
        job_price=job_price,
        site_price=site_price,
        objective=objective,
        bound=np.inf,
        method="",
        seconds={"complete": time.perf_counter() - started},
        notes=[f"{int(chosen.sum())} households placed from what the parts left"],
    )
